"""Finding 7 of issue #14: the enrollment form refuses a course that needs a conversation first
without its date by keeping the input and moving focus to an error summary that links to the field."""

import pytest

from tests.browser.support import focused, log_in, use_language
from tests.referrals.base import make_group
from trappa.catalogue.models import Offering

pytestmark = pytest.mark.browser


def test_a_refused_enrollment_keeps_the_input_and_focuses_the_error_summary(page, live_server, world):
    offering = Offering.objects.filter(municipality=world.vefsn).order_by("code").first()
    group = make_group(offering, leader=world.course_leader, requires_pre_course_conversation=True)
    use_language(page, live_server.url, "en")
    log_in(page, live_server.url, world.alice, world.password)
    page.goto(f"{live_server.url}/referrals/{world.olga.pk}/")
    page.select_option("#group", str(group.pk))
    page.fill("#priority", "4")
    with page.expect_navigation():
        page.get_by_role("button", name="Enroll", exact=True).click()
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible(), page.inner_text("main")[:500]
    element = focused(page)
    assert element["inMain"] and "ds-error-summary" in page.evaluate("document.activeElement.className"), element
    assert page.input_value("#priority") == "4"
    assert page.input_value("#group") == str(group.pk)
    assert summary.get_by_role("link").first.get_attribute("href") == "#conversation_on"
