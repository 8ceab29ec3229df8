"""Keyboard only, in headless Chromium: from the front page to an offering's sign-up information."""

import pytest

from tests.browser.conftest import browser_context, page, world  # noqa: F401 (pytest fixtures)

pytestmark = pytest.mark.browser


def tab_to(tab, href_suffix, limit=250):
    """Press Tab until the focused element is the link ending in `href_suffix`; return it."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        href = tab.evaluate("document.activeElement && document.activeElement.getAttribute('href')")
        if href and href.endswith(href_suffix):
            return tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    raise AssertionError(f"Tab never reached a link to {href_suffix}")


def test_a_keyboard_user_reaches_the_sign_up_information_of_sterk_og_stodig(page, live_server, world):  # noqa: F811
    page.goto(live_server.url + "/")
    outline = tab_to(page, "/offerings/vefsn/")
    assert outline != "none", "the focused link must show a visible focus outline"
    page.keyboard.press("Enter")
    page.wait_for_url("**/offerings/vefsn/")
    tab_to(page, "/offerings/vefsn/offering/sterk-og-stodig/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/offering/sterk-og-stodig/")
    heading = page.locator("#sign-up")
    assert heading.is_visible()
    assert "Byparken" in page.locator("#sign-up ~ p").nth(1).inner_text()
