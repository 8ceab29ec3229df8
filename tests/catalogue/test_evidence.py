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


# The offerings the plans name that the catalogue lacked (#16): each with the words of its plan,
# the period its action plan gives, and nothing the plans do not give.
PLAN_OFFERINGS = {
    "laerings-og-mestringskurs": (
        "001",
        [
            "lærings- og mestringskurs til ulike diagnosegrupper",
            "Parkinson sykdom, KOLS- pasienter, pasienter med prostatakreft",
            "lærings- og mestringskurs for slagrammede",
        ],
        None,
    ),
    "fysioterapigrupper": (
        "001",
        [
            "den kommunale fysioterapitjenesten gruppetilbud til",
            "MS-pasienter",
            "KOLS-pasienter",
            "Pasienter som har eller har gjennomgått kreft",
        ],
        None,
    ),
    "samtalegrupper-parorende": ("002", ["Legge til rette for samtalegrupper og likemannssamtaler"], None),
    "parorendekurs-enhetene": (
        "002",
        [
            "Etablere pårørendekurs i driftsenhetene Kvalitetsavdeling, Helsetjenesten, Sykehjemstjenesten, "
            "Hjemmetjenesten, Miljøterapitjenesten 2024-2025",
            "arrangeres x 2 pr år",
        ],
        (2024, 2025),
    ),
    "tiltakspakke-demens": ("002", ["Tiltakspakke demens bør inneholde informasjon/punkt om avlastende tiltak"], None),
    "hva-med-oss": ("002", ["Samlivskurset «hva med oss» i regi av Familievernkontoret"], None),
    "foreldrearena": (
        "002",
        [
            "Stimulere til felles arena for foreldre med barn som har nedsatt funksjonsevne. "
            "Enhetsledere Helsetjenesten og Miljøterapitjenesten 2024-2027"
        ],
        (2024, 2027),
    ),
}


class PlanOfferingsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", stdout=io.StringIO())
        cls.texts = {n: seeds.text(n) for n in ("001", "002")}

    def offering(self, code):
        return Offering.objects.prefetch_related("costs", "locations").get(municipality=self.vefsn, code=code)

    def test_each_offering_the_plans_name_is_in_the_catalogue_with_its_plan_s_words(self):
        for code, (seed, phrases, _period) in PLAN_OFFERINGS.items():
            with self.subTest(offering=code):
                offering = self.offering(code)
                self.assertEqual(seed_of(offering.source), seed)
                for phrase in phrases:
                    self.assertIn(phrase, self.texts[seed])

    def test_their_periods_are_the_action_plan_s_and_nothing_else_is_filled_in(self):
        for code, (_seed, _phrases, period) in PLAN_OFFERINGS.items():
            with self.subTest(offering=code):
                offering = self.offering(code)
                self.assertEqual((offering.period_start, offering.period_end), period or (None, None))
                self.assertIsNone(offering.fee)
                self.assertIsNone(offering.capacity_per_group)
                self.assertFalse(offering.costs.exists())
                self.assertEqual((offering.contact_phone, offering.contact_email), ("", ""))

    def test_the_caregiver_courses_keep_the_plan_s_twice_a_year_and_the_measure_links_them(self):
        offering = self.offering("parorendekurs-enhetene")
        self.assertEqual(offering.schedule_nb, "To ganger i året.")
        self.assertEqual(Measure.objects.get(code="parorendekurs").offering, offering)
        self.assertEqual(Measure.objects.get(code="familieomsorg").offering, self.offering("hva-med-oss"))

    def test_the_staff_catalogue_lists_the_values_the_plans_do_not_give(self):
        self.login(self.unit_leader)
        page = self.client.get("/offerings/manage/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(page, 'id="missing-values"')
        rows = {
            offering.code: [str(label) for label in missing] for offering, missing in page.context["missing_values"]
        }
        self.assertEqual(rows["hva-med-oss"], ["season and schedule", "where it is held", "fee", "places per group"])
        self.assertEqual(rows["parorendekurs-enhetene"], ["where it is held", "fee", "places per group"])
        self.assertNotIn("tiltakspakke-demens", rows)  # a service by decision: no schedule or fee to give
        self.assertContains(page, 'href="/offerings/manage/offering/hva-med-oss/"')
