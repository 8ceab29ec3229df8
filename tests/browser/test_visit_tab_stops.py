"""The home visit form is light to move through with the keyboard (issue #14 measured 109 Tab
stops to Save). The instruments are collapsed sections (one stop each until the nurse opens
the one she uses), the section navigation jumps to each part, and the skip link passes the
menu. Every stop on the way is on screen with a visible focus ring (tab_to checks it),
including the date field's day, month and year.

Measured on 2026-12-03: 58 stops from the top of the page, 40 after the skip link."""

import pytest

from tests.browser.support import focused, log_in, tab_to, use_language

pytestmark = pytest.mark.browser

FROM_THE_TOP = 60  # the site header and its menu come first
AFTER_THE_SKIP_LINK = 40


def open_the_form(page, live_server, world):
    use_language(page, live_server.url, "en")
    log_in(page, live_server.url, world.alice, world.password)
    page.goto(f"{live_server.url}/assessments/{world.olga.pk}/visits/new/")


def stops_to_save(page):
    """Tab presses until Save has focus, and the way there."""
    path = []

    def is_save(element):
        path.append(
            f"{element['tag']} {element['name'] or element['href'] or element['id'] or ''} {element['text'][:30]!r}"
        )
        return element["tag"] == "button" and element["text"] == "Save the visit"

    tab_to(page, is_save, "the Save button", limit=200)
    return len(path) - 1, path  # tab_to looks at what has focus before the first Tab too


def test_save_is_reached_in_few_tab_stops_from_the_top_of_the_page(page, live_server, world):
    open_the_form(page, live_server, world)
    count, path = stops_to_save(page)
    print(f"Tab stops from the top of the visit form's page to Save: {count}")
    assert count <= FROM_THE_TOP, f"{count} Tab stops to Save (at most {FROM_THE_TOP}):\n" + "\n".join(path)


def test_save_is_reached_in_fewer_after_the_skip_link(page, live_server, world):
    open_the_form(page, live_server, world)
    page.keyboard.press("Tab")
    assert focused(page)["href"] == "#main"
    page.keyboard.press("Enter")
    count, path = stops_to_save(page)
    print(f"Tab stops from the skip link to Save: {count}")
    assert count <= AFTER_THE_SKIP_LINK, f"{count} Tab stops to Save (at most {AFTER_THE_SKIP_LINK}):\n" + "\n".join(
        path
    )


def test_an_opened_instrument_puts_its_fields_in_the_tab_order(page, live_server, world):
    open_the_form(page, live_server, world)
    tab_to(page, lambda e: e["tag"] == "summary" and e["text"].startswith("Short Physical"), "the SPPB section", 200)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "sppb__side_by_side", focused(page)
