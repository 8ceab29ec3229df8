"""axe-core in headless Chromium on the page of what may be shared with a caregiver, with every topic
consented to and something in each: the staff-page walk (tests/browser) reaches the page with respite
consent only, and its world has no screenings or groups."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import browser_context, page, world  # noqa: F401 (pytest fixtures)
from tests.browser.support import audit_page, log_in
from tests.caregivers.base import make_link
from tests.referrals.base import make_group
from trappa.assessments.instruments import get, score
from trappa.assessments.models import HomeVisit, Screening
from trappa.caregivers.models import Consent, ConsentTopic
from trappa.catalogue.models import Offering
from trappa.referrals import services
from trappa.referrals.models import Session

pytestmark = pytest.mark.browser


def test_the_shared_page_with_every_topic_has_no_accessibility_violations(page, live_server, world):  # noqa: F811
    link = make_link(None, world.olga, unit=world.health)
    for topic in ConsentTopic:
        Consent.objects.create(link=link, topic=topic)
    today = timezone.localdate()
    visit = HomeVisit.objects.create(
        municipality=world.vefsn,
        person=world.olga,
        visited_on=today,
        visited_by=world.alice,
        idempotency_key=uuid.uuid4(),
    )
    tug = get("tug")
    result = score(tug, {"seconds": 14})
    Screening.objects.create(
        visit=visit,
        person=world.olga,
        instrument_id="tug",
        instrument_version=tug.version,
        answers={"seconds": 14},
        total=result.total,
        band=result.band.id,
        screened_on=today,
    )
    offering = Offering.objects.get(municipality=world.vefsn, code="sterk-og-stodig")  # the seed catalogue's
    group = make_group(offering, leader=world.course_leader, name="Balance course")
    Session.objects.create(group=group, starts_at=timezone.now() + datetime.timedelta(days=7))
    services.enroll(group, world.olga)
    log_in(page, live_server.url, world.alice, world.password)
    problems, skipped = audit_page(page, live_server.url + reverse("caregivers:shared", args=[link.pk]), "nb")
    assert not skipped, f"not a page: {skipped}"
    text = page.inner_text("main")
    assert "Timed Up and Go" in text and "Balance course" in text, "the page must show both topics"
    assert not problems, "\n".join(problems)
