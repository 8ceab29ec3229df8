import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command

from trappa.catalogue import budget, loading
from trappa.catalogue.models import ActionPlan, Offering, Step, YearlyCost
from trappa.catalogue.subjects import check_offering
from trappa.people.models import ServiceDecision, ServiceKind
from trappa.test import BaseTestCase

# 000 §3.3: the preventive offerings organised at Byparken senior centre.
BYPARKEN = [
    "klassefest",
    "forebyggende-hjemmebesok",
    "forebyggende-gruppemote",
    "takk-bare-bra",
    "hverdagsglede",
    "sterk-og-stodig",
    "lyst-pa-livet",
]


def load(*args):
    call_command("load_catalogue", *args, stdout=io.StringIO())


class LoadCatalogueTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load()

    def byparken(self):
        return Offering.objects.filter(municipality=self.vefsn, code__in=BYPARKEN)

    def test_it_loads_the_byparken_costs_per_year_as_the_tables_in_000_state_them(self):
        totals = budget.offering_totals(self.byparken())
        # 000 §3.3.1–3.3.7, "Sum kostnad"/"Kostnad" rows added up per year.
        self.assertEqual(
            {y: a.cost for y, a in totals.items()}, {2024: 1_300_000, 2025: 1_760_000, 2026: 1_660_000, 2027: 1_660_000}
        )
        self.assertEqual(
            {y: a.staffing_percent for y, a in totals.items()},
            {2024: Decimal(155), 2025: Decimal(200), 2026: Decimal(200), 2027: Decimal(200)},
        )

    def test_it_keeps_the_certification_of_takk_bare_bra_as_a_one_off_cost(self):
        cost = YearlyCost.objects.get(offering__code="takk-bare-bra", year=2025)
        self.assertEqual((cost.wage_cost, cost.one_off_cost, cost.total), (160_000, 100_000, 260_000))

    def test_it_loads_the_caregiver_plan_with_six_focus_areas_and_the_coordinator(self):
        plan = ActionPlan.objects.get(municipality=self.vefsn, code="parorendestotte")
        self.assertEqual(plan.focus_areas.count(), 6)
        table = budget.plan_table(plan.latest_revision())
        self.assertEqual(table.totals[2024].cost, 800_000)
        self.assertEqual(table.totals[2024].staff_years, 1)

    def test_it_loads_the_24_measures_of_the_rehabilitation_plan(self):
        revision = ActionPlan.objects.get(municipality=self.vefsn, code="rehabilitering").latest_revision()
        self.assertEqual(sorted(revision.measures.values_list("position", flat=True)), list(range(1, 25)))
        self.assertEqual(revision.measures.get(position=24).period_start, 2022)

    def test_it_loads_nord_aurdal_with_its_own_four_strategies_and_steps(self):
        plan = ActionPlan.objects.get(municipality=self.nord_aurdal)
        self.assertEqual(plan.focus_areas.count(), 4)
        self.assertEqual(Step.objects.get(municipality=self.nord_aurdal, position=1).code, "alle-innbyggjarar")
        self.assertFalse(Offering.objects.filter(municipality=self.nord_aurdal, code="klassefest").exists())

    def test_offerings_belong_to_the_units_the_data_declares(self):
        offering = Offering.objects.get(municipality=self.nord_aurdal, code="kvardagsrehabilitering")
        unit = (offering.unit.code, offering.unit.name)
        self.assertEqual(unit, ("omsorg-rehabilitering", "Omsorg og rehabilitering"))
        self.assertEqual(Offering.objects.get(code="hjemmesykepleie").unit.name, "Hjemmetjenesten")

    def test_loading_twice_changes_nothing(self):
        before = (Offering.objects.count(), YearlyCost.objects.count(), list(Offering.objects.values("id", "name_nb")))
        load("--municipality", "1824")
        after = (Offering.objects.count(), YearlyCost.objects.count(), list(Offering.objects.values("id", "name_nb")))
        self.assertEqual(before, after)

    def test_every_published_offering_has_texts_in_all_three_languages(self):
        for offering in Offering.objects.all():
            for field in ("name", "summary", "sign_up"):
                for lang in ("nb", "nn", "en"):
                    with self.subTest(offering=offering.code, field=field, lang=lang):
                        self.assertTrue(getattr(offering, f"{field}_{lang}"))

    def test_it_rejects_an_unknown_municipality_number(self):
        with self.assertRaisesMessage(CommandError, "No data folder for municipality number 9999"):
            load("--municipality", "9999")


class EligibilityOfNamedPersonsTest(BaseTestCase):
    """Olga (85, widowed, lives alone in Elsfjord) and Per (78) against Sterk og stødig."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load("--municipality", "1824")
        cls.sterk = Offering.objects.get(municipality=cls.vefsn, code="sterk-og-stodig")
        cls.day = datetime.date(2026, 11, 23)

    def test_olga_is_eligible_once_a_screening_says_she_walks_without_aids_and_feels_unsteady(self):
        facts = {"walks_indoors_without_aids": True, "feels_unsteady": True}
        self.assertEqual(check_offering(self.sterk, self.olga, self.day, facts).outcome, "yes")

    def test_olga_is_unknown_before_any_screening(self):
        result = check_offering(self.sterk, self.olga, self.day)
        self.assertEqual(result.outcome, "unknown")
        self.assertEqual([r.name for r in result.unknown], ["walks_indoors_without_aids", "feels_unsteady"])

    def test_per_with_home_nursing_is_not_eligible(self):
        ServiceDecision.objects.create(
            person=self.per, decision_id="V1", service=ServiceKind.HOME_NURSING, start_date=datetime.date(2026, 1, 1)
        )
        facts = {"walks_indoors_without_aids": True, "feels_unsteady": True}
        result = check_offering(self.sterk, self.per, self.day, facts)
        self.assertEqual([r.name for r in result.reasons_not_met], ["without_service"])


class BadDataTest(BaseTestCase):
    def write(self, folder, offerings):
        (folder / "municipality.toml").write_text(
            'number = "1824"\nname = "Vefsn"\nslug = "vefsn"\n'
            '[[step]]\ncode = "alle"\nposition = 1\nname = { nb = "Alle" }\n',
            encoding="utf-8",
        )
        (folder / "offerings.toml").write_text(offerings, encoding="utf-8")

    def load_bad(self, offerings):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "x"
            folder.mkdir()
            self.write(folder, offerings)
            with mock.patch.object(loading, "DATA_DIR", Path(tmp)):
                load()

    def test_it_names_the_offering_with_an_unknown_step_and_writes_nothing(self):
        offering = (
            '[[offering]]\ncode = "a"\nstep = "nope"\nname = { nb = "A" }\nsummary = { nb = "A" }\n'
            'access = "open"\nprovider_kind = "unit"\nprovider_name = "X"\n'
        )
        with self.assertRaisesMessage(CommandError, "x/offerings.toml, offering a: unknown step 'nope'"):
            self.load_bad(offering)
        self.assertFalse(Step.objects.exists())

    def test_it_rejects_a_misspelt_key(self):
        offering = (
            '[[offering]]\ncode = "a"\nstep = "alle"\nname = { nb = "A" }\nsummary = { nb = "A" }\n'
            'access = "open"\nprovider_kind = "unit"\nprovider_name = "X"\nfe = 300\n'
        )
        with self.assertRaisesMessage(CommandError, "unknown keys fe"):
            self.load_bad(offering)

    def test_it_rejects_a_bad_access_value(self):
        offering = (
            '[[offering]]\ncode = "a"\nstep = "alle"\nname = { nb = "A" }\nsummary = { nb = "A" }\n'
            'access = "walk_in"\nprovider_kind = "unit"\nprovider_name = "X"\nsign_up = { nb = "x" }\n'
        )
        with self.assertRaisesMessage(CommandError, "access:"):
            self.load_bad(offering)

    def test_it_rejects_an_offering_code_that_appears_twice(self):
        offering = (
            '[[offering]]\ncode = "a"\nstep = "alle"\nname = { nb = "A" }\nsummary = { nb = "A" }\n'
            'access = "open"\nprovider_kind = "unit"\nprovider_name = "X"\n'
        )
        with self.assertRaisesMessage(CommandError, "x/offerings.toml: offering code 'a' appears twice"):
            self.load_bad(offering + offering)
