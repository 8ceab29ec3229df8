import os

os.environ.setdefault("TRAPPA_TESTING", "1")
os.environ.setdefault("TRAPPA_TASKS", "immediate")
os.environ.setdefault("TRAPPA_ALLOW_SYNTHETIC_IDS", "true")


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"trappa database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}"
