"""axe-core in headless Chromium on the group page with its fee buttons and on the unpaid
fees list, which the staff-page walk (tests/browser) does not reach: its world has no groups.
The button is pressed with the keyboard, and its name says whose fee it marks."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.conftest import browser_context, page, world  # noqa: F401 (pytest fixtures)
from tests.browser.support import audit_page, log_in
from tests.referrals.base import make_group
from trappa.catalogue.models import Offering
from trappa.referrals import services

pytestmark = pytest.mark.browser


def nb(text):
    with translation.override("nb"):  # the browser's language
        return translation.gettext(text)


def named(text):
    """The button's accessible name: its text, then whose fee it marks."""
    return re.compile(rf"^{re.escape(nb(text))}\W+Olga Nordmann$")


def test_the_fee_buttons_and_the_unpaid_list_have_no_accessibility_violations(page, live_server, world):  # noqa: F811
    offering = Offering.objects.get(municipality=world.vefsn, code="sterk-og-stodig")  # the seed catalogue's
    group = make_group(offering, leader=world.course_leader, fee=150)
    olga = services.enroll(group, world.olga)
    log_in(page, live_server.url, world.course_leader, world.password)
    group_url = live_server.url + reverse("referrals:group", args=[group.pk])
    problems, skipped = audit_page(page, live_server.url + reverse("referrals:unpaid_fees", args=[group.pk]), "nb")
    assert "Olga Nordmann" in page.inner_text("main"), "the unpaid list must show Olga"
    found, not_a_page = audit_page(page, group_url, "nb")
    problems, skipped = problems + found, skipped + not_a_page
    button = page.get_by_role("button", name=named("Mark as paid"))
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    olga.refresh_from_db()
    assert olga.fee_paid, "the keyboard press must mark the fee paid"
    assert page.get_by_role("button", name=named("Mark as not paid")).count() == 1
    found, not_a_page = audit_page(page, group_url, "nb")
    problems, skipped = problems + found, skipped + not_a_page
    assert not skipped, f"not pages: {skipped}"
    assert not problems, "\n".join(problems)
