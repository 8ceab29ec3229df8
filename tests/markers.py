"""Browser tests are marked `browser`, so `-m "not browser"` leaves out every one of them (see conftest.py)."""

BROWSER_FIXTURE = "page"  # Playwright's page: whoever asks for it drives Chromium


def lacks_browser_marker(item):
    """True for a test that drives the browser but is not marked `browser`."""
    uses_browser = BROWSER_FIXTURE in getattr(item, "fixturenames", ())
    return uses_browser and item.get_closest_marker("browser") is None
