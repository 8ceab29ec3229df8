import io
from decimal import Decimal

from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from trappa.catalogue.models import ActionPlan, Measure, MeasureYear, Offering, PlanRevision, YearlyCost
from trappa.test import BaseTestCase


# These pages show the municipality's own texts (rules, plans, offerings) in bokmål.
@override_settings(LANGUAGE_CODE="nb")
class ActionPlanTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", stdout=io.StringIO())

    def setUp(self):
        self.login(self.planner)

    def test_the_prevention_plan_shows_totals_per_area_and_year(self):
        response = self.client.get("/offerings/plans/forebygging-eldre/")
        self.assertContains(response, "Forebyggende tiltak ved Byparken seniorsenter")
        totals = response.context["table"].totals
        costs = [totals[year].cost for year in (2024, 2025, 2026, 2027)]
        self.assertEqual(costs, [1_300_000, 1_760_000, 1_660_000, 1_660_000])
        self.assertContains(response, "1\u202f760\u202f000 kr")

    @override_settings(LANGUAGE_CODE="en")  # the export's and form's own words in English
    def test_the_xlsx_export_holds_the_measures_and_the_totals(self):
        response = self.client.get("/offerings/plans/forebygging-eldre/2024/xlsx/")
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = rows[1]
        self.assertEqual(header[:5], ["Focus area", "Measure", "Responsible", "Period", "Funding"])
        total = next(r for r in rows if r[0] == "Total")
        cost_2025 = total[header.index("Cost 2025 (NOK)")]
        self.assertEqual(cost_2025, 1_760_000)
        measure = Measure.objects.get(title_nb="Sterk og stødig – treningsgrupper, også i bygdene")
        self.assertTrue(any(r[1] == measure.text("title", "en") for r in rows))

    def test_the_pdf_export_can_be_read_back(self):
        self.client.cookies["django_language"] = "en"
        response = self.client.get("/offerings/plans/parorendestotte/2024/pdf/")
        self.assertEqual(response["Content-Type"], "application/pdf")
        pages = PdfReader(io.BytesIO(response.content)).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        self.assertIn("Create a caregiver coordinator post", text)
        self.assertIn("Predictable and coordinated services", text)
        self.assertIn("Total 800 000 kr 100 %", text)

    def test_a_revision_keeps_what_was_decided_the_year_before(self):
        response = self.client.post("/offerings/plans/forebygging-eldre/revise/")
        self.assertRedirects(response, "/offerings/plans/forebygging-eldre/2025/")
        YearlyCost.objects.filter(offering__code="klassefest", year=2026).update(running_cost=90_000)
        old = self.client.get("/offerings/plans/forebygging-eldre/2024/").context["table"]
        new = self.client.get("/offerings/plans/forebygging-eldre/2025/").context["table"]
        self.assertEqual(old.totals[2026].cost, 1_660_000)
        self.assertEqual(new.totals[2026].cost, 1_690_000)

    def test_a_frozen_revision_cannot_be_edited_or_revised_twice(self):
        self.client.post("/offerings/plans/parorendestotte/revise/")
        self.assertEqual(
            self.client.get("/offerings/plans/parorendestotte/2024/measure/parorendekoordinator/").status_code, 403
        )
        self.client.post("/offerings/plans/parorendestotte/revise/")
        self.assertEqual(PlanRevision.objects.filter(plan__code="parorendestotte").count(), 3)

    def test_reloading_the_seed_never_rewrites_a_frozen_revision(self):
        self.client.post("/offerings/plans/parorendestotte/revise/")
        MeasureYear.objects.filter(measure__revision__year=2024, measure__code="parorendekoordinator").update(cost=1)
        call_command("load_catalogue", "--municipality", "1824", stdout=io.StringIO())
        self.assertEqual(
            MeasureYear.objects.filter(measure__revision__year=2024, measure__code="parorendekoordinator").first().cost,
            1,
        )

    def test_a_planner_edits_a_measure_in_the_latest_revision(self):
        url = "/offerings/plans/parorendestotte/2024/measure/hjemmeside/"
        plan = ActionPlan.objects.get(code="parorendestotte")
        data = {
            "position": 5,
            "title_nb": "Ny hjemmeside med pårørendeknapp",
            "focus_area": plan.focus_areas.get(code="informasjon").pk,
            "responsible": "Kommunalsjef",
            "period_start": 2024,
            "period_end": 2026,
            "funding": "existing",
            "status": "planned",
            "years-TOTAL_FORMS": "1",
            "years-INITIAL_FORMS": "0",
            "years-MIN_NUM_FORMS": "0",
            "years-MAX_NUM_FORMS": "1000",
            "years-0-year": "2024",
            "years-0-staffing_percent": "0",
            "years-0-cost": "150000",
        }
        self.assertRedirects(self.client.post(url, data), "/offerings/plans/parorendestotte/2024/")
        table = self.client.get("/offerings/plans/parorendestotte/").context["table"]
        # The caregiver coordinator (800,000 kr, 2024 only in 002 §11) and the new cost.
        self.assertEqual(table.totals[2024].cost, 800_000 + 150_000)

    @override_settings(LANGUAGE_CODE="en")  # the export's and form's own words in English
    def test_a_bad_period_is_refused(self):
        url = "/offerings/plans/parorendestotte/2024/measure/hjemmeside/"
        plan = ActionPlan.objects.get(code="parorendestotte")
        data = {
            "position": 5,
            "title_nb": "X",
            "focus_area": plan.focus_areas.first().pk,
            "period_start": 2026,
            "period_end": 2024,
            "funding": "existing",
            "status": "planned",
            "years-TOTAL_FORMS": "0",
            "years-INITIAL_FORMS": "0",
            "years-MIN_NUM_FORMS": "0",
            "years-MAX_NUM_FORMS": "1000",
        }
        self.assertContains(self.client.post(url, data), "The period cannot end before it starts.")

    def test_the_effort_staircase_shows_kroner_and_staff_years_per_step(self):
        response = self.client.get("/offerings/plans/effort/")
        # One chart, with its legend inside it: a coloured key and a name for each of the six steps.
        self.assertContains(response, "<svg", count=1)
        effort = response.context["effort"]
        self.assertEqual(len(effort), 6)
        for s in effort:
            self.assertIn(f">{s.position}. {s.text('name')}</text>", response.context["chart"])
        step = next(s for s in effort if s.code == "forebygging")
        # Byparken's preventive offerings (minus Klassefest on step 1); the caregiver coordinator
        # is booked for 2024 only, the one year 002 §11 gives.
        self.assertEqual(effort[step][2025].cost, 1_760_000 - 140_000)
        self.assertEqual(effort[step][2025].staff_years, Decimal("1.9"))

    def test_the_effort_staircase_shows_each_steps_low_threshold_and_decision_based_offerings(self):
        # Seed 002 §9: it "shows low-threshold offerings and offerings that are decision-based".
        response = self.client.get("/offerings/plans/effort/", HTTP_ACCEPT_LANGUAGE="en")
        access = {step.code: counts for step, counts in response.context["access"].items()}
        offerings = Offering.objects.filter(municipality=self.vefsn)
        decided = offerings.filter(access__in=["application", "decision"]).count()
        self.assertEqual(sum(counts[1] for counts in access.values()), decided)
        self.assertEqual(sum(sum(counts) for counts in access.values()), offerings.count())
        self.assertGreater(decided, 0)
        step = offerings.get(code="hverdagsrehabilitering").step.code
        self.assertGreaterEqual(access[step][1], 1)
        self.assertContains(response, "by application or decision")

    def test_a_nurse_cannot_see_the_plans_and_nord_aurdal_sees_its_own(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/offerings/plans/").status_code, 403)
        self.charlie.role = "planner"
        self.charlie.save(update_fields=["role"])
        self.login(self.charlie)
        self.assertContains(self.client.get("/offerings/plans/"), "Kommunedelplan")
        self.assertEqual(self.client.get("/offerings/plans/parorendestotte/").status_code, 404)

    def test_the_plan_page_needs_the_same_queries_for_24_measures_as_for_a_few(self):
        self.client.get("/offerings/plans/rehabilitering/")
        # Session, user (with unit and municipality), device, then the plan page's own 7 (no measure
        # of this plan is an offering, so there are no offering costs to fetch): none per measure.
        with self.assertNumQueries(10):
            self.client.get("/offerings/plans/rehabilitering/")
