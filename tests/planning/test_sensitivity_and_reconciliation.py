"""Sensitivity (a tornado of the last year's difference) and the reconciliation of another model's figures."""

import dataclasses

from django.test import SimpleTestCase

from trappa.planning import reconcile, sensitivity
from trappa.planning.engine import Intervention, Scenario, Uncertain, project
from trappa.planning.models import PlanningRun, Reconciliation

from .base import PlanningTestCase
from .helpers import small_municipality

HOME, INST = 0, 1


def visits():
    return Intervention(
        "visits",
        "relative_risk",
        levels=(INST,),
        effect=Uncertain("rr", 0.8, 0.6, 1.0, distribution="lognormal"),
        uptake=Uncertain("uptake", 0.5, 0.4, 0.6, 0.9, minimum=0, maximum=1),
        start_year=2026,
        min_age=85,
        substitute_level=HOME,
        substitute_share=Uncertain("share", 1.0),
    )


class TornadoTest(SimpleTestCase):
    def test_each_end_of_a_range_is_the_central_run_with_that_value(self):
        inputs = small_municipality(alternatives=3)
        central, swings = sensitivity.tornado(inputs, Scenario("s", (visits(),)), ("MMMM", "LLML", "HHMH"))
        by_name = {s.name: s for s in swings}
        # By hand: men 90 x 0.17 x 50 % uptake x (RR - 1), moved to home nursing: total users unchanged,
        # staff-years (1.1 - 0.35) and other cost per moved user change.
        moved = 50 * 0.17 * 0.5 * (1 - 0.6)
        self.assertAlmostEqual(by_name["rr"].low["staff_years"], -moved * (1.1 - 0.35), delta=1e-9)
        self.assertAlmostEqual(by_name["rr"].high["staff_years"], 0.0, delta=1e-9)
        self.assertAlmostEqual(central["users"], 0.0, delta=1e-9)
        # The cost per staff-year moves only the cost: the staff-years saved are worth more at its high end.
        cost = by_name["cost"]
        self.assertEqual(cost.low["staff_years"], cost.high["staff_years"])
        self.assertGreater(cost.low["cost"], cost.high["cost"])
        # The population alternatives are the ends of the population row (1.1 and 1.2 times the main one).
        population = by_name["population_alternative"]
        self.assertEqual((population.low_value, population.high_value), ("HHMH", "LLML"))
        # Widest first: the staff-years per institution user and the effect move the staff-years most.
        widths = [s.width("users") for s in swings]
        self.assertEqual(widths, sorted(widths, reverse=True))

    def test_parameters_without_a_range_are_left_out(self):
        _, swings = sensitivity.tornado(small_municipality(), Scenario("s", (visits(),)))
        self.assertNotIn("share", {s.name for s in swings})
        self.assertNotIn("other.home", {s.name for s in swings})


class SolveTest(SimpleTestCase):
    def test_the_relative_risk_for_everyone_67_and_older_reproduces_the_target(self):
        inputs = dataclasses.replace(small_municipality(), groups=(("institution", (1,)),))
        solution = reconcile.solve(inputs, "institution", -3.0, 2027)
        # 12.5 institution users, all 67+: RR = 1 - 3 / 12.5.
        self.assertAlmostEqual(solution.relative_risk, 1 - 3 / 12.5, delta=1e-12)
        check = Intervention(
            "check",
            "relative_risk",
            levels=(INST,),
            effect=Uncertain("e", solution.relative_risk),
            uptake=Uncertain("u", 1.0),
            start_year=2025,
            min_age=67,
        )
        diff = project(inputs, Scenario("c", (check,)), draws=0).central["users"]["difference"][0, 2, -1]
        self.assertAlmostEqual(diff, -3.0, delta=1e-9)

    def test_the_years_need_comes_later_reproduce_the_target(self):
        inputs = dataclasses.replace(small_municipality(), groups=(("institution", (1,)),))
        solution = reconcile.solve(inputs, "institution", -3.0, 2027)
        # For h <= 1, women 80 at the rates of 80 - h: 100 x 0.04 (1 - h), 4 h fewer (no use at 79);
        # men 90: 50 x (0.17 - 0.07 h), 3.5 h fewer. 3 fewer users at h = 3 / 7.5.
        self.assertAlmostEqual(solution.years_later, 3 / 7.5, delta=1e-6)

    def test_the_reach_a_published_effect_would_need(self):
        inputs = dataclasses.replace(small_municipality(), groups=(("institution", (1,)),))
        evidence = [("visits", ("long_term",), 1.02, 0.88), ("rehab", ("home_nursing",), 0.95, 0.85)]
        solution = reconcile.solve(inputs, "institution", -3.0, 2027, evidence)
        self.assertEqual(len(solution.reach), 1)  # rehabilitation does not act on institution places
        key, effect, at_effect, best, at_best = solution.reach[0]
        self.assertIsNone(at_effect)  # RR 1.02 is no reduction: no reach gives fewer users
        self.assertAlmostEqual(at_best, (3 / 12.5) / 0.12, delta=1e-12)  # 200 %: not possible
        self.assertGreater(at_best, 1)


class ReconcilePageTest(PlanningTestCase):
    def test_the_consultants_figure_is_solved_and_set_next_to_the_runs(self):
        self.make_run(name="Evidence", draws=50)
        run = PlanningRun.objects.get()
        self.login(self.planner)
        response = self.client.post(
            "/planning/reconcile/",
            {
                "name": "PwC 2023",
                "source": "Vefsn's report on preventive measures (2023), chapter 1",
                "run": run.pk,
                "year": 2050,
                "institution": "-83",
                "home_services": "-121",
            },
        )
        self.assertEqual(response.status_code, 302)
        rec = Reconciliation.objects.get()
        self.assertEqual((rec.municipality, rec.created_by), (self.vefsn, self.planner))
        page = self.client.get("/planning/reconcile/")
        self.assertContains(page, "PwC 2023 (2050)")
        self.assertContains(page, "-83 (")
        self.assertContains(page, f'href="/planning/runs/{run.pk}/"')
        self.assertContains(page, "<caption>", count=3)

    def test_it_refuses_a_year_the_run_does_not_cover_and_an_empty_figure(self):
        self.make_run(name="Evidence", draws=0, horizon=2040)
        run = PlanningRun.objects.get()
        self.login(self.planner)
        response = self.client.post("/planning/reconcile/", {"name": "x", "run": run.pk, "year": 2050})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Reconciliation.objects.exists())
        self.assertEqual(len(response.context["form"].errors), 2)

    def test_another_municipalitys_run_cannot_be_chosen(self):
        self.make_run(name="Vefsn's", draws=0)
        run = PlanningRun.objects.get()
        from trappa.accounts.models import Role

        other = self.make_user("nina", Role.PLANNER, None, municipality=self.nord_aurdal)
        self.login(other)
        response = self.client.post(
            "/planning/reconcile/", {"name": "x", "run": run.pk, "year": 2050, "institution": "-1"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Reconciliation.objects.exists())


class SensitivityPageTest(PlanningTestCase):
    def test_the_tornado_and_its_table(self):
        self.make_run(name="Evidence", draws=0)
        run = PlanningRun.objects.get()
        self.login(self.planner)
        page = self.client.get(f"/planning/runs/{run.pk}/sensitivity/")
        self.assertContains(page, "<svg", count=3)
        self.assertContains(page, "<caption>", count=1)
        # The population row names the alternatives at its ends; the demo projection has LLML and HHMH.
        self.assertContains(page, "LLML")
        self.assertContains(page, "HHMH")
