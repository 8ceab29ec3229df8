"""Browser tests: Playwright's sync API driving Debian's Chromium against a live Django server.

One browser for the whole session (a persistent context in a fresh, temporary
profile), one new page per test, cookies cleared between tests. Nothing is ever
downloaded: Chromium comes from Debian (`make browser-deps`), axe-core from
node_modules (pinned in package-lock.json). Missing either is a failure, not a
skip, because CI installs both and a silently skipped accessibility suite would
hide regressions.
"""

import os
import shutil
import tempfile

import pytest

from tests.browser.support import AXE_PATH, CHROMIUM_ARGS, CHROMIUM_PATH, World


@pytest.fixture(scope="session")
def browser_context():
    if not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.fail(f"Chromium is missing at {CHROMIUM_PATH}: install Debian's chromium package (make browser-deps).")
    if not AXE_PATH.is_file():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `npm ci` (make browser-deps).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between browser steps are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    profile = tempfile.mkdtemp(prefix="trappa-chromium-")
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            # A Norwegian reader's browser: pages without a language cookie come in bokmål.
            locale="nb-NO",
        )
        # Every page gets axe-core before its own scripts run.
        context.add_init_script(path=str(AXE_PATH))
        yield context
        context.close()
    finally:
        playwright.stop()
        shutil.rmtree(profile, ignore_errors=True)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser_context, live_server):
    """A fresh tab with no cookies, pointed at the live server."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()


@pytest.fixture
def world(transactional_db):
    """The named people of trappa.test.BaseTestCase (Alice, Olga, Per ...), committed
    so the live server's thread sees them, plus each app's public seed data."""
    return World.create()
