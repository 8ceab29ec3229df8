"""The letter text editor in a browser: the page and its error state pass axe, and the error
names what is wrong with the text."""

import pytest

from tests.browser.support import audit_page, axe_violations, describe_violations, log_in

pytestmark = pytest.mark.browser


def test_a_unit_leader_edits_a_letter_text_and_sees_why_a_text_is_refused(page, live_server, world):
    log_in(page, live_server.url, world.unit_leader, world.password)
    url = live_server.url + "/letters/text/reminder/nn/"
    problems, skipped = audit_page(page, url, label="letter text editor")
    assert not skipped, f"the editor is not a page: {skipped}"
    page.fill("textarea[name=text]", "Overskrift\n\nHei {national_id}")
    with page.expect_navigation():
        page.locator("main button[name=save]").click()
    error = page.locator("main .errorlist")
    assert "{national_id}" in error.inner_text(), page.inner_text("main")[:300]
    problems += describe_violations(f"{url} with an error", axe_violations(page))
    assert not problems, "\n".join(problems)


def test_an_administrator_edits_a_units_contact_details(page, live_server, world):
    log_in(page, live_server.url, world.administrator, world.password)
    url = f"{live_server.url}/accounts/units/{world.health.pk}/"
    problems, skipped = audit_page(page, url, label="unit")
    assert not skipped, f"the unit page is not a page: {skipped}"
    page.fill("input[name=phone]", "")
    page.fill("input[name=opening_hours]", "Kl. 8–15")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert "no phone" in page.inner_text("main") or "telefon" in page.inner_text("main"), page.inner_text("main")[:300]
    assert not problems, "\n".join(problems)
