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

# One Playwright (its sync API allows one per thread) and one browser, however many
# test modules import the fixtures below: the first user starts it, the last closes it.
_shared = {"users": 0}


@pytest.fixture(scope="session")
def browser_context():
    """The shared Chromium (a persistent context in a fresh profile). Other test folders
    may import this fixture, `page` and `world` from here."""
    if not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.fail(f"Chromium is missing at {CHROMIUM_PATH}: install Debian's chromium package (make browser-deps).")
    if not AXE_PATH.is_file():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `npm ci` (make browser-deps).")
    context = _acquire()
    try:
        yield context
    finally:
        _release()


def _acquire():
    if _shared["users"] == 0:
        _start()
    _shared["users"] += 1
    return _shared["context"]


def _release():
    _shared["users"] -= 1
    if _shared["users"] == 0:
        _stop()


def _start():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between browser steps are still plain synchronous code.
    _shared["previous_env"] = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    _shared["profile"] = tempfile.mkdtemp(prefix="trappa-chromium-")
    _shared["playwright"] = sync_playwright().start()
    try:
        context = _shared["playwright"].chromium.launch_persistent_context(
            _shared["profile"],
            executable_path=CHROMIUM_PATH,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            # A Norwegian reader's browser: pages without a language cookie come in bokmål.
            locale="nb-NO",
        )
    except Exception:
        _stop()
        raise
    # Every page gets axe-core before its own scripts run.
    context.add_init_script(path=str(AXE_PATH))
    _shared["context"] = context


def _stop():
    context = _shared.pop("context", None)
    if context is not None:
        context.close()
    _shared.pop("playwright").stop()
    shutil.rmtree(_shared.pop("profile"), ignore_errors=True)
    previous = _shared.pop("previous_env")
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
