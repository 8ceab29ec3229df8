"""Volunteer hours on the group page and in the action-plan report (through trappa/lib/panels.py)."""

import datetime
import io
from decimal import Decimal

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

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

    def _plan(self):
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
        return plan

    def test_the_action_plan_report_shows_the_hours_of_its_offerings_per_year(self):
        self._plan()
        self.login(self.unit_leader)
        response = self.client.get(reverse("catalogue:plan_year", args=["forebygging", 2026]))
        self.assertContains(response, "Volunteer hours given to the groups of the plan")
        # 2026: 2 + 1.5 for the instructor and 3 for the host on the other group of the same offering.
        self.assertContains(response, "<td>6.5</td>", html=True, count=2)  # the offering's row and the total
        self.assertNotContains(response, "<td>10.5</td>", html=True)  # the hours outside groups are in no plan

    @override_settings(LANGUAGE_CODE="en", DEMO=True)
    def test_the_plans_xlsx_export_holds_the_hours_of_its_offerings(self):
        self._plan()
        self.login(self.unit_leader)
        response = self.client.get(reverse("catalogue:plan_xlsx", args=["forebygging", 2026]))
        rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
        title = next(
            i
            for i, r in enumerate(rows)
            if r[0] == "Volunteer hours given to the groups of the plan's offerings, per year"
        )
        self.assertEqual(rows[title + 1][:2], ["Offering", 2026])
        self.assertEqual(rows[title + 2][:2], ["Sterk og stødig", 6.5])  # 2 + 1.5 + 3, as on the page
        self.assertEqual(rows[title + 3][:2], ["Total", 6.5])
        self.assertEqual(rows[title + 4][0], "Demo: the volunteers and their hours are invented.")
        self.assertNotIn(10.5, [c for r in rows for c in r])  # the hours outside groups are in no plan

    def test_the_plans_pdf_export_holds_the_hours_of_its_offerings(self):
        self._plan()
        self.login(self.unit_leader)
        self.client.cookies["django_language"] = "en"
        response = self.client.get(reverse("catalogue:plan_pdf", args=["forebygging", 2026]))
        pages = PdfReader(io.BytesIO(response.content)).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        self.assertIn("Volunteer hours given to the groups of the plan's offerings, per year", text)
        self.assertIn("Sterk og stødig 6.5", text)
        self.assertIn("Total 6.5", text)

    def test_a_plan_with_no_hours_exports_no_hours_table(self):
        self._plan()
        VolunteerHours.objects.all().delete()
        self.login(self.unit_leader)
        response = self.client.get(reverse("catalogue:plan_xlsx", args=["forebygging", 2026]))
        cells = [c for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for c in r]
        self.assertNotIn(Decimal("6.5"), cells)
        self.assertFalse(any(isinstance(c, str) and c.startswith("Volunteer hours") for c in cells))
