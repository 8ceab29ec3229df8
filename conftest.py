def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"trappa database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}"
