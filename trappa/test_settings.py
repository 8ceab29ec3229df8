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
