"""Parameters agree with the municipal plans they cite (issue #15, item 4)."""

import datetime

from django.test import SimpleTestCase

from trappa.planning import params

TODAY = datetime.date(2026, 12, 3)


class PlanFiguresTest(SimpleTestCase):
    def test_preventive_home_visits_take_the_plans_about_half(self):
        uptake = params.load(TODAY).interventions["preventive_home_visits"].uptake
        self.assertEqual(uptake.value, 0.5)
        self.assertIn("about half accept", uptake.source)
        self.assertNotIn("most accept", uptake.source)

    def test_everyday_rehabilitation_figures_are_dated_2017(self):
        uptake = params.load(TODAY).interventions["everyday_rehabilitation"].uptake
        self.assertIn("reporting 2017: 63 referrals", uptake.source)
        self.assertIn("28 completed", uptake.source)
        self.assertNotIn("Vefsn 2018: 28", uptake.source)
