"""The catalogue and the action plans say only what the plans (../shared/seeds/) say.

Every fee, cost and staffing figure loaded from data/catalogue/ is looked up in
the text of the seed its `source` names; where a plan gives no figure the field
stays empty. Each correction of issue #16 has its own test here.
"""

import io
import re

from django.core.management import call_command

from tests import seeds
from trappa.catalogue import budget
from trappa.catalogue.models import ActionPlan, Measure, Offering
from trappa.test import BaseTestCase


def seed_of(source):
    """The seed number a `source` names first ("000 §3.3.6" -> "000")."""
    return re.match(r"\s*(\d{3})", source).group(1)


def norwegian(amount):
    """400000 -> "400.000", as the plans write kroner."""
    return f"{int(amount):,}".replace(",", ".")


class EvidenceTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", stdout=io.StringIO())
        cls.texts = {n: seeds.text(n) for n in ("000", "001", "002", "004")}

    def test_every_fee_is_one_a_plan_states(self):
        for offering in Offering.objects.exclude(fee__isnull=True):
            with self.subTest(offering=offering.code):
                text = self.texts[seed_of(offering.source)]
                self.assertGreater(offering.fee, 0, "no plan says an offering is free: leave the fee out")
                self.assertIn(f"{int(offering.fee)} kroner", text)

    def test_no_public_page_says_free_where_the_plans_state_no_fee(self):
        self.assertFalse(Offering.objects.filter(fee=0).exists())
        response = self.client.get("/offerings/vefsn/offering/hverdagsglede/")
        self.assertNotContains(response, "Gratis")

    def test_every_offering_cost_is_in_its_seed(self):
        for offering in Offering.objects.prefetch_related("costs"):
            text = self.texts.get(seed_of(offering.source)) if offering.source else None
            for cost in offering.costs.all():
                with self.subTest(offering=offering.code, year=cost.year):
                    self.assertIsNotNone(text, "a cost needs a source")
                    if cost.total:
                        self.assertIn(norwegian(cost.total), text)
                    if cost.staffing_percent:
                        self.assertIn(f"{cost.staffing_percent.normalize():f} %", text)

    def test_every_measure_cost_is_in_its_seed_and_inside_its_period(self):
        for measure in Measure.objects.prefetch_related("years").select_related("offering"):
            text = self.texts[seed_of(measure.source)] if measure.source else None
            for row in measure.years.all():
                with self.subTest(measure=measure.code, year=row.year):
                    self.assertIsNotNone(text)
                    self.assertTrue(measure.period_start <= row.year <= measure.period_end)
                    if row.cost:
                        self.assertIn(norwegian(row.cost), text)

    def test_a_measure_shows_costs_only_from_its_own_plan(self):
        # The rehabilitation plan (001) has no costs; Sterk og stødig's 400,000 kr and 50 % are 000's.
        for measure in Measure.objects.filter(offering__isnull=False).select_related("offering"):
            if measure.offering.costs.exists() and not measure.years.exists():
                with self.subTest(measure=measure.code):
                    self.assertEqual(seed_of(measure.source), seed_of(measure.offering.source))
        plan = ActionPlan.objects.get(code="rehabilitering")
        revision = plan.revisions.order_by("-year").first()
        self.assertFalse(any(amount.cost for amount in budget.plan_table(revision).totals.values()))

    def test_the_caregiver_coordinator_is_booked_for_the_year_the_plan_gives(self):
        match = re.search(r"Etablere pårørendekoordinatorstilling Kommunalsjef (\d{4}) ", self.texts["002"])
        measure = Measure.objects.get(code="parorendekoordinator")
        year = int(match.group(1))
        self.assertEqual((measure.period_start, measure.period_end), (year, year))
        self.assertEqual([row.year for row in measure.years.all()], [year])

    def test_sterk_og_stodig_is_held_only_where_the_plan_says_it_is(self):
        text = self.texts["000"]
        self.assertIn("Gruppetreningene har base på Byparken seniorsenter", text)
        self.assertIn("Det er et mål å starte opp treningsgrupper i Drevvatnet, Baågneset og Herringen", text)
        offering = Offering.objects.get(municipality=self.vefsn, code="sterk-og-stodig")
        self.assertEqual([location.code for location in offering.locations.all()], ["byparken"])
