"""The home visit form shows the SPPB total and the protocol's stop rule as the nurse types
(static/js/visit-total.js); the server still scores the visit when it is saved."""

import pytest

from tests.browser.support import log_in, use_language

pytestmark = pytest.mark.browser


def test_the_sppb_total_and_the_stop_rule_show_as_you_type(page, live_server, world):
    use_language(page, live_server.url, "en")
    log_in(page, live_server.url, world.alice, world.password)
    page.goto(f"{live_server.url}/assessments/{world.olga.pk}/visits/new/")
    total = page.locator('.running-total[data-scoring="sppb-scoring"]')
    page.locator("#instrument-sppb > summary").click()  # the instrument is a collapsed section until used
    assert total.is_hidden(), "nothing is scored before anything is typed"
    page.fill('[name="sppb__side_by_side"]', "10")
    page.fill('[name="sppb__semi_tandem"]', "10")
    page.fill('[name="sppb__tandem"]', "10")
    page.fill('[name="sppb__gait__1"]', "4,5")
    page.select_option('[name="sppb__chair_stand_single"]', "yes")
    page.fill('[name="sppb__chair_stands"]', "10")
    assert total.inner_text().startswith("Points so far: 12 of 12"), total.inner_text()
    page.fill('[name="sppb__side_by_side"]', "5")
    text = total.inner_text()
    assert text.startswith("Points so far: 8 of 12"), text  # side by side 0; the stop rule ends the balance tests
    assert "Stop:" in text, text
