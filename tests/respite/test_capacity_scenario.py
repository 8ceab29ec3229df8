"""The capacity scenario: beds per week against the stays granted, today and with a rotation ward of ten places."""

import datetime
import re

from django.urls import reverse

from tests import seeds
from tests.respite.base import MONDAY, decision, vefsn_beds
from trappa.test import BaseTestCase


class CapacityScenarioTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        vefsn_beds(cls.vefsn)  # three somatic, three dementia
        # Eight somatic decisions of two weeks home, two in: four in every week, one more than the beds.
        for n in range(8):
            person = cls.make_person(f"0101{n:02d}40000", f"P{n}", "Rotasjon", datetime.date(1940, 1, 1), "F")
            decision(person, first=MONDAY + datetime.timedelta(weeks=2 * (n % 2)))

    def scenario(self, user=None, **params):
        self.login(user or self.planner)
        params = {"start": MONDAY.isoformat(), "weeks": 8, **params}
        return self.client.get(reverse("respite:capacity"), params)

    def test_it_shows_the_weeks_short_of_beds_today(self):
        response = self.scenario()
        summary = dict(response.context["groups"])
        self.assertEqual(summary["Somatic"]["peak"], 4)
        self.assertEqual(summary["Somatic"]["weeks_short_today"], 8)
        self.assertEqual(summary["Dementia"]["weeks_short_today"], 0)
        self.assertNotContains(response, "Rotasjon")

    def test_a_rotation_ward_of_the_plans_size_takes_them_all(self):
        text = seeds.text("002")
        places = int(re.search(r"antall plasser bør være minimum (\d+)", text).group(1))
        response = self.scenario(extra_somatic=places)
        summary = dict(response.context["groups"])
        self.assertEqual(summary["Somatic"]["weeks_short_in_scenario"], 0)
        self.assertEqual(summary["Somatic"]["stay_weeks_short_today"], 8)

    def test_the_first_week_must_be_a_monday(self):
        response = self.scenario(start=(MONDAY + datetime.timedelta(days=1)).isoformat())
        self.assertContains(response, "errorlist")

    def test_a_planner_may_open_it_and_an_administrator_may_not(self):
        self.assertEqual(self.scenario().status_code, 200)
        self.assertEqual(self.scenario(user=self.administrator).status_code, 403)
