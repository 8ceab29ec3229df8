"""Settings for the test suite: the production settings, read with the test
environment's defaults (pytest-django loads settings before any conftest runs,
so the defaults are set here). Explicit environment variables still win, so
`DATABASE_URL=postgres://… make test` runs the same suite on PostgreSQL."""

import os

os.environ.setdefault("TRAPPA_TESTING", "1")
os.environ.setdefault("TRAPPA_TASKS", "immediate")
os.environ.setdefault("TRAPPA_ALLOW_SYNTHETIC_IDS", "true")
# Tests read the source language (English) unless they ask for another;
# tests/test_translations.py checks that bokmål and nynorsk are complete.
os.environ.setdefault("TRAPPA_LANGUAGE", "en")

from trappa.settings import *  # noqa: E402, F403

# A test database need not survive a crash of its server: commits on the tests' PostgreSQL
# connections return without waiting for the write-ahead log to reach the disk (about 5 ms a
# commit on the CI machine, and the suite commits tens of thousands of times). Transactions,
# locks and isolation are unchanged, so the concurrency tests prove the same things.
for _alias in DATABASES.values():  # noqa: F405
    if _alias["ENGINE"] == "django.db.backends.postgresql":
        _options = dict(_alias.get("OPTIONS", {}))
        _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
        _alias["OPTIONS"] = _options
