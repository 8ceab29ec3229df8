"""The visit form in a real browser: kept on the device without a connection, sent once when back online."""

import pytest

from tests.browser import conftest as browser
from tests.browser.conftest import page, world  # noqa: F401 - the browser fixtures
from tests.browser.support import log_in
from trappa.assessments.models import HomeVisit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_context():
    """The browser suite's browser, closed again after this module: one Playwright at a time, since
    tests/browser starts its own for the rest of the session."""
    yield from browser.browser_context.__wrapped__()


def _open_form(page, live_server, world):  # noqa: F811
    log_in(page, live_server.url, world.alice, world.password)
    page.goto(f"{live_server.url}/assessments/{world.olga.pk}/visits/new/")
    return f"trappa-visit-{world.olga.pk}"


def test_a_visit_saved_without_a_connection_is_sent_once_when_back_online(page, live_server, world):  # noqa: F811
    key = _open_form(page, live_server, world)
    page.fill("#id_what_matters", "Hagen min og barnebarna")
    try:
        page.context.set_offline(True)
        page.locator("#visit-form button[type=submit]").click()
        page.locator("#offline-status").wait_for(state="visible")
        assert HomeVisit.objects.count() == 0
        assert "Hagen min" in page.evaluate(f"localStorage.getItem('{key}')")
    finally:
        page.context.set_offline(False)
    page.wait_for_url("**/assessments/visits/*/")
    visit = HomeVisit.objects.get()
    assert visit.what_matters == "Hagen min og barnebarna"
    # The saved visit's page removes the draft from the device.
    assert page.evaluate(f"localStorage.getItem('{key}')") is None


def test_a_draft_survives_a_reload_with_its_idempotency_key(page, live_server, world):  # noqa: F811
    key = _open_form(page, live_server, world)
    first_key = page.input_value("input[name=idempotency_key]")
    page.fill("#id_goals", "Gå til butikken selv")
    page.reload()
    assert page.input_value("#id_goals") == "Gå til butikken selv"
    assert page.input_value("input[name=idempotency_key]") == first_key
    # Saved under the key the form was first shown with, so a retry of it would find this visit.
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_url("**/assessments/visits/*/")
    assert HomeVisit.objects.filter(idempotency_key=first_key).count() == 1
    assert page.evaluate(f"localStorage.getItem('{key}')") is None


def test_a_draft_older_than_twelve_hours_is_thrown_away(page, live_server, world):  # noqa: F811
    key = _open_form(page, live_server, world)
    page.evaluate(f"""localStorage.setItem('{key}', JSON.stringify({{at: Date.now() - 13 * 3600 * 1000,
                      fields: {{goals: 'Gammelt utkast'}}}}))""")
    page.reload()
    assert page.input_value("#id_goals") == ""
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
