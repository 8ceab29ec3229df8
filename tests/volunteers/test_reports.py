"""Volunteer hours on the group page and in the action-plan report (through trappa/lib/panels.py)."""

import datetime

from django.urls import reverse

from tests.referrals.base import make_group, make_offering
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.catalogue.models import ActionPlan, FocusArea, Measure, PlanRevision
from trappa.test import BaseTestCase
from trappa.volunteers.models import GroupAssignment, Volunteer, VolunteerHours, VolunteerRole


class VolunteerHoursReportsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.instructor = Volunteer.objects.create(
            municipality=cls.vefsn, name="Ingrid Instruktør", role=VolunteerRole.INSTRUCTOR, supervisor=cls.therapist
        )
        cls.host = Volunteer.objects.create(municipality=cls.vefsn, name="Mona Møteplass", role=VolunteerRole.OTHER)
        cls.strong = make_offering(cls.vefsn, cls.health, "sterk-og-stodig", "Sterk og stødig")
        cls.group = make_group(cls.strong)
        cls.other_group = make_group(cls.strong)
        GroupAssignment.objects.create(volunteer=cls.instructor, group=cls.group, starts_on=datetime.date(2026, 1, 5))
        for on, hours in (("2025-10-01", 2), ("2026-03-01", 2), ("2026-03-08", "1.5")):
            VolunteerHours.objects.create(volunteer=cls.instructor, group=cls.group, on=on, hours=hours)
        VolunteerHours.objects.create(volunteer=cls.host, group=cls.other_group, on="2026-03-08", hours=3)
        VolunteerHours.objects.create(volunteer=cls.host, on="2026-03-09", hours=4)  # outside groups: in no plan

    def test_the_group_page_shows_its_volunteers_and_their_hours(self):
        CareRelationship.objects.get_or_create(
            person=self.olga, user=self.therapist, kind=CareRelationshipKind.WORKLIST
        )
        self.login(self.therapist)
        response = self.client.get(reverse("referrals:group", args=[self.group.pk]))
        self.assertContains(response, "Volunteer hours given to the group")
        self.assertContains(response, "Ingrid Instruktør")
        self.assertContains(response, "<td>5.5</td>", html=True)
        self.assertNotContains(response, "Mona Møteplass")  # her hours are for another group

    def test_the_action_plan_report_shows_the_hours_of_its_offerings_per_year(self):
        plan = ActionPlan.objects.create(municipality=self.vefsn, code="forebygging", name_nb="Forebygging")
        area = FocusArea.objects.create(plan=plan, code="aktivitet", position=1, name_nb="Aktivitet")
        revision = PlanRevision.objects.create(plan=plan, year=2026)
        Measure.objects.create(
            revision=revision,
            focus_area=area,
            code="sterk",
            position=1,
            title_nb="Sterk og stødig",
            offering=self.strong,
        )
        self.login(self.unit_leader)
        response = self.client.get(reverse("catalogue:plan_year", args=["forebygging", 2026]))
        self.assertContains(response, "Volunteer hours given to the groups of the plan")
        # 2026: 2 + 1.5 for the instructor and 3 for the host on the other group of the same offering.
        self.assertContains(response, "<td>6.5</td>", html=True, count=2)  # the offering's row and the total
        self.assertNotContains(response, "<td>10.5</td>", html=True)  # the hours outside groups are in no plan
