"""Keyboard-only use: the skip link, the language switcher, the staff login with its
second step, and the way from the front page to an offering's sign-up information.

Only Tab, Enter and Space are pressed, plus the arrow keys a <select> needs; every
element that gets focus on the way must be on screen and show a focus indicator.
"""

import re

import pytest

from tests.browser.support import current_code, focused, tab_to, totp_device

pytestmark = pytest.mark.browser


def test_the_skip_link_comes_first_and_moves_focus_to_the_main_content(page, live_server, world):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"] == "#main", f"the first stop is {first}, not the skip link"
    assert first["onScreen"] and first["ring"], "the skip link must be visible, with a focus indicator, when focused"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert focused(page)["inMain"], "Tab after the skip link must go on inside the main content"


def test_the_language_is_changed_with_the_keyboard(page, live_server, world):
    page.goto(live_server.url + "/")
    assert page.get_attribute("html", "lang") == "nb"
    tab_to(page, lambda e: e["id"] == "language-select", "the language menu")
    page.keyboard.press("ArrowDown")  # nb -> nn, the next option
    tab_to(page, lambda e: e["tag"] == "button" and not e["inMain"], "the language form's button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.get_attribute("html", "lang") == "nn"
    assert page.url.rstrip("/") == live_server.url, "changing the language must stay on the same page"


def test_a_member_of_staff_logs_in_with_the_keyboard_alone(page, live_server, world):
    device = totp_device(world.alice)
    page.goto(live_server.url + "/")
    tab_to(page, lambda e: (e["href"] or "").endswith("/accounts/login/"), "the staff login link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, lambda e: e["name"] == "username", "the username field")
    page.keyboard.type(world.alice.username)
    tab_to(page, lambda e: e["name"] == "password", "the password field")
    page.keyboard.type(world.password)
    tab_to(page, lambda e: e["tag"] == "button" and e["inMain"], "the login button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, lambda e: e["tag"] == "input" and e["inMain"] and e["type"] != "hidden", "the code field")
    page.keyboard.type(current_code(device))
    tab_to(page, lambda e: e["tag"] == "button" and e["inMain"], "the code form's button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.locator("header").get_by_text(world.alice.get_full_name()).count() > 0, page.inner_text("main")[:300]


def test_an_offerings_sign_up_information_is_reached_from_the_front_page(page, live_server, world):
    page.goto(live_server.url + "/")
    staircase = re.compile(r"/offerings/[\w-]+/$")
    tab_to(page, lambda e: bool(staircase.search(e["href"] or "")), "a municipality's staircase")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    offering = tab_to(page, lambda e: "/offering/" in (e["href"] or ""), "an offering")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(offering["href"])
    sign_up = page.locator("#sign-up")
    assert sign_up.is_visible(), "the offering page must show how to sign up"
    assert page.locator("#sign-up + *").inner_text().strip(), "the sign-up heading must be followed by the information"


def test_the_public_pages_work_without_javascript(page, live_server, world):
    page.context.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(live_server.url + "/")
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.locator(".language-form button").click()
    assert page.get_attribute("html", "lang") == "en"
    with page.expect_navigation():
        page.locator("main a[href*='/offerings/']").first.click()
    with page.expect_navigation():
        page.locator("main a[href*='/offering/']").first.click()
    assert page.locator("#sign-up").is_visible()
    page.set_content("<p id=ran>no</p><script>document.getElementById('ran').textContent = 'yes'</script>")
    assert page.inner_text("#ran") == "no", "scripts were not off after all"
