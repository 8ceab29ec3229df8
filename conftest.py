def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"trappa database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}"


def pytest_configure(config):
    import os

    from django.conf import settings

    if os.environ.get("TRAPPA_TEST_OWNER_DATABASE_URL") and "owner" in settings.DATABASES:
        _flush_as_owner()


def _flush_as_owner():
    """The suite runs as the application role (.ci/run), which may not TRUNCATE the access log: the
    owner of the tables empties the database after each TransactionTestCase, as it runs `migrate`."""
    from django.core.management import call_command
    from django.db import connections
    from django.test import TransactionTestCase

    def _fixture_teardown(self):
        # A test that does not list "owner" in its databases has that connection blocked: open it here.
        cls, allowed = type(self), type(self).databases
        opened = "owner" not in allowed
        if opened:
            cls._remove_databases_failures()
            cls.databases = frozenset(allowed) | {"owner"}
        try:
            _flush(self)
        finally:
            if opened:
                cls.databases = allowed
                cls._add_databases_failures()

    def _flush(self):
        for alias in self._databases_names(include_mirrors=False):
            inhibit_post_migrate = self.available_apps is not None or (
                self.serialized_rollback and hasattr(connections[alias], "_test_serialized_contents")
            )
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database="owner" if alias == "default" else alias,
                reset_sequences=False,
                allow_cascade=self.available_apps is not None,
                inhibit_post_migrate=inhibit_post_migrate,
            )

    TransactionTestCase._fixture_teardown = _fixture_teardown


def pytest_runtest_setup(item):
    import pytest

    from tests.markers import lacks_browser_marker

    if lacks_browser_marker(item):
        pytest.fail(f"{item.nodeid} uses the browser (the `page` fixture) but is not marked `browser`", pytrace=False)
