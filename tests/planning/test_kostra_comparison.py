"""Our use of care by KOSTRA's age groups next to the country's published figures (issue #15)."""

import datetime

from django.utils import timezone

from trappa.accounts.models import Role
from trappa.people.models import ServiceDecision, ServiceKind, Sex
from trappa.planning import kostra

from .base import PlanningTestCase


class KostraComparisonTest(PlanningTestCase):
    def test_the_country_figures_are_the_published_arithmetic(self):
        # KOSTRA 2023: 10.1 % of the 256,485 people 80+ in an institution (K1), 25,905 of the 41,419 residents (S1);
        # the long-term residents 80+ are that share of 31,405.
        self.assertEqual(kostra.COUNTRY["institution_80"][0], 101.0)
        self.assertEqual(kostra.COUNTRY["long_term_80"][0], round(31405 * (0.101 * 256485 / 41419) / 256485 * 1000, 1))
        self.assertEqual(kostra.COUNTRY["long_term_80"][0], 76.6)
        self.assertEqual(kostra.COUNTRY["home_services_80"][0], 269.0)

    def test_our_register_next_to_the_country_and_no_made_up_kostra_group(self):
        year = timezone.localdate().year
        for n in range(6):
            person = self.make_person(f"9444444444{n}", "Eldre", f"Nr{n}", datetime.date(year - 86, 3, 1), Sex.FEMALE)
            ServiceDecision.objects.create(
                person=person, service=ServiceKind.LONG_TERM_INSTITUTION, start_date=datetime.date(year - 1, 5, 1)
            )
        self.login(self.planner)
        page = self.client.get("/planning/kostra/")
        self.assertEqual(page.status_code, 200)
        rows = {str(r["label"]): r for r in page.context["comparison"]["rows"]}
        long_term = rows["Long-term residents per 1,000 inhabitants 80+"]
        self.assertGreaterEqual(long_term["users"], 6)
        self.assertEqual(long_term["municipality"], round(long_term["users"] / long_term["people"] * 1000, 1))
        self.assertContains(page, "not available on this machine", count=5)

    def test_cost_per_user_year_next_to_kostras_bed_day_cost(self):
        self.login(self.planner)
        page = self.client.get("/planning/kostra/")
        costs = {str(r["label"]): r for r in page.context["comparison"]["costs"]}
        # KOSTRA 2023 (K2): NOK 5,156 per occupied bed-day x 365.
        self.assertEqual(costs["Long-term institution"]["country"], 1881940)
        self.assertEqual(costs["Short-term and rotation stays"]["country"], 1881940)
        # Trappa on 2026-12-03: 1.1 x 900,000 + 890,000 and 1.2 x 900,000 + 800,000.
        self.assertEqual(costs["Long-term institution"]["trappa"], 1880000)
        self.assertEqual(costs["Short-term and rotation stays"]["trappa"], 1880000)
        self.assertIsNone(costs["Home nursing"]["country"])
        self.assertContains(page, "no published figure found", count=4)

    def test_nord_aurdal_sees_its_plans_expenditure_need(self):
        other = self.make_user("nina", Role.PLANNER, None, municipality=self.nord_aurdal)
        self.login(other)
        page = self.client.get("/planning/kostra/")
        self.assertContains(page, "KS report 15/2017")
        self.assertContains(page, "<td>124</td>")
