def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"trappa database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}"


def pytest_runtest_setup(item):
    import pytest

    from tests.markers import lacks_browser_marker

    if lacks_browser_marker(item):
        pytest.fail(f"{item.nodeid} uses the browser (the `page` fixture) but is not marked `browser`", pytrace=False)
