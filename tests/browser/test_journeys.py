"""A working day, end to end in Chromium, for four roles: each starts on Min arbeidsdag and
gets its work done by following the links the pages show, with axe-core checking every page
on the way (0 WCAG violations).

- The nurse: worklist -> the person -> a home visit with SPPB (the running total as she
  types) -> the saved visit.
- The course leader: own group -> the offering's waitlist -> the person -> enrolled in the
  group (the enrollment is the care relationship) -> attendance marked for this week's session.
- The caseworker: a caregiver whose mapping is overdue -> the mapping with the strain index ->
  saved, and no longer overdue.
- The planner: a projection run with prevention -> the run's results -> the action plan.
"""

import datetime
import re

import pytest
from django.utils import timezone

from tests.browser.support import axe_violations, describe_violations, log_in, use_language
from tests.caregivers.base import make_link
from tests.planning.base import SAMPLE
from tests.referrals.base import make_group
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.caregivers.models import Mapping, MappingPrompt
from trappa.caregivers.transitions import prompt_mappings
from trappa.catalogue.models import Offering
from trappa.outreach.worklist import build
from trappa.people.models import ServiceDecision, ServiceKind, Sex
from trappa.planning import services as planning
from trappa.referrals import services
from trappa.referrals.models import Enrollment, EnrollmentStatus, Source, Status

pytestmark = pytest.mark.browser


class Journey:
    """Clicks through the pages as a user would, checking each page it lands on with axe."""

    def __init__(self, page, base_url):
        self.page, self.base_url, self.problems, self.visited = page, base_url, [], []

    def check(self):
        path = self.page.url.removeprefix(self.base_url)
        self.visited.append(path)
        self.problems += describe_violations(path, axe_violations(self.page))

    def click(self, name, within="main", exact=False):
        """Follow the link or press the button called `name` in `within`, and check the page it leads to."""
        area = self.page.locator(within)
        target = area.get_by_role("link", name=name, exact=exact).or_(
            area.get_by_role("button", name=name, exact=exact)
        )
        target = target.first
        assert target.count(), f"no link or button {name!r} on {self.page.url}:\n{self.page.inner_text('main')[:800]}"
        with self.page.expect_navigation():
            target.click()
        self.check()

    def says(self, text):
        main = self.page.inner_text("main")
        assert text in main, f"{self.page.url} does not say {text!r}:\n{main[:1000]}"

    def done(self):
        assert not self.problems, "\n".join(self.problems)


def start(page, base_url, user, password):
    use_language(page, base_url, "en")
    log_in(page, base_url, user, password)
    page.goto(base_url + "/workday/")
    journey = Journey(page, base_url)
    journey.check()
    return journey


def test_the_nurse_records_a_home_visit_from_the_worklist(page, live_server, world):
    build(world.vefsn)
    journey = start(page, live_server.url, world.alice, world.password)
    journey.click("On the worklist in all")
    journey.click("Nordmann, Olga")
    journey.says("Why this person is on the worklist")
    journey.click("Record a home visit")
    page.fill('[name="what_matters"]', "To manage at home and walk the dog")
    page.locator("#instrument-sppb > summary").click()  # open the collapsed instrument
    page.fill('[name="sppb__side_by_side"]', "10")
    page.fill('[name="sppb__semi_tandem"]', "10")
    page.fill('[name="sppb__tandem"]', "10")
    page.fill('[name="sppb__gait__1"]', "4,5")
    page.select_option('[name="sppb__chair_stand_single"]', "yes")
    page.fill('[name="sppb__chair_stands"]', "10")
    assert page.locator(".running-total").first.inner_text().startswith("Points so far: 12 of 12")
    journey.click("Save the visit")
    journey.says("The visit is saved.")
    assert re.search(r"/assessments/visits/\d+/$", page.url), page.url
    journey.says("To manage at home and walk the dog")
    journey.done()


def test_the_course_leader_enrolls_from_the_waitlist_and_marks_attendance(page, live_server, world):
    strong = Offering.objects.filter(municipality=world.vefsn, unit__isnull=False).order_by("code").first()
    strong.unit = world.health
    strong.save(update_fields=["unit"])
    group = make_group(strong, leader=world.course_leader, capacity=2, name="Sterk og stødig, Byparken")
    services.add_weekly_sessions(group, timezone.now() + datetime.timedelta(hours=2), 4)
    services.enroll(group, world.olga)
    gerd = world.make_person("02885100047", "Gerd", "Venter", datetime.date(1951, 8, 2), Sex.FEMALE)
    referral = services.refer(gerd, strong, Source.GP, world.alice, "falls", unit=world.health)
    services.change_status(referral, Status.RELEVANT, world.alice)

    journey = start(page, live_server.url, world.course_leader, world.password)
    journey.click("Sterk og stødig, Byparken")
    journey.says("Nordmann")  # the participant the course leader may open
    journey.click("Referred and waiting for this offering")
    journey.click("Gerd Venter")
    journey.says("Enroll in a group")
    page.select_option("#group", str(group.pk))
    journey.click("Enroll", exact=True)
    journey.says("The person is enrolled.")
    assert Enrollment.objects.get(group=group, person=gerd).status == EnrollmentStatus.ENROLLED
    journey.click("Sterk og stødig, Byparken")
    journey.says("Gerd Venter")
    journey.click(re.compile(r"\d"), within="main #sessions")  # this week's first session
    page.get_by_label("Gerd Venter").check()
    page.get_by_label("Olga Nordmann").check()
    journey.click("Save attendance")
    journey.says("Attendance is saved.")
    assert page.get_by_label("Gerd Venter").is_checked()
    journey.click("Back to the group")
    journey.click("Olga Nordmann")  # the course leader opens a participant of the own group
    journey.says("Referrals and courses for Olga Nordmann")
    journey.done()


def test_the_caseworker_maps_a_caregiver_whose_mapping_is_overdue(page, live_server, world):
    CareRelationship.objects.create(
        person=world.olga, unit=world.service_office, kind=CareRelationshipKind.REFERRAL, source="test"
    )
    link = make_link(world, world.olga, unit=world.service_office)
    start_date = timezone.localdate() - datetime.timedelta(days=40)
    ServiceDecision.objects.create(
        person=world.olga, decision_id="v1", service=ServiceKind.HOME_NURSING, start_date=start_date
    )
    assert prompt_mappings(world.vefsn, timezone.localdate()) == 1

    journey = start(page, live_server.url, world.caseworker, world.password)
    journey.click("Caregiver mappings due")
    journey.says("Mapping overdue")
    journey.click(link.caregiver.full_name)
    page.fill('[name="situation"]', "Visits her mother every day and does the shopping")
    for group in page.locator("main form fieldset").filter(has=page.locator("legend", has_text="Strain")).all():
        for answer in group.locator('input[type="radio"][value="no"]').all():
            answer.check()
    journey.click("Save the mapping")
    journey.says("The mapping is saved.")
    assert Mapping.objects.filter(link=link).count() == 1
    assert not MappingPrompt.objects.filter(link=link, done_at=None).exists()
    journey.click("Caregiver worklist")
    assert "Mapping overdue" not in page.inner_text("main")
    journey.done()


def test_the_planner_runs_a_projection_and_opens_the_action_plan(page, live_server, world):
    planning.import_projection("Demo", SAMPLE.name, SAMPLE.read_bytes(), synthetic=True)
    journey = start(page, live_server.url, world.planner, world.password)
    journey.click("Projection runs")
    page.fill('[name="name"]', "Med forebygging")
    journey.click("Project")
    journey.says("Med forebygging")
    assert re.search(r"/planning/runs/\d+/$", page.url), page.url
    page.goto(live_server.url + "/workday/")
    journey.click("Action plans and budget")
    plan = page.locator("main table a, main ul a").first
    name = plan.inner_text()
    journey.click(name)
    journey.done()
