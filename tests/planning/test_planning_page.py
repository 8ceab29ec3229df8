import datetime

from trappa.accounts.models import Role
from trappa.people.models import ServiceDecision, ServiceKind, Sex
from trappa.planning import services
from trappa.planning.models import PlanningRun

from .base import PlanningTestCase


class PlanningPageAccessTest(PlanningTestCase):
    def test_it_lets_a_planner_in(self):
        self.login(self.planner)
        response = self.client.get("/planning/")
        self.assertContains(response, "<form")
        self.assertContains(response, "1824 Vefsn")

    def test_it_lets_a_unit_leader_in(self):
        self.login(self.unit_leader)
        self.assertEqual(self.client.get("/planning/").status_code, 200)

    def test_it_refuses_a_nurse(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/planning/").status_code, 403)

    def test_it_sends_an_anonymous_visitor_to_the_login(self):
        response = self.client.get("/planning/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_it_hides_the_runs_of_another_municipality(self):
        self.make_run()
        run = PlanningRun.objects.get()
        other = self.make_user("nina", Role.PLANNER, None, municipality=self.nord_aurdal)
        self.login(other)
        self.assertEqual(self.client.get(f"/planning/runs/{run.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/planning/runs/{run.pk}/export.csv").status_code, 404)


class ProjectTest(PlanningTestCase):
    def test_it_projects_and_shows_charts_with_intervals(self):
        response = self.make_run()
        run = PlanningRun.objects.get()
        self.assertEqual(response["Location"], f"/planning/runs/{run.pk}/")
        self.assertEqual((run.seed, run.draws, run.region), (1, 200, "1824"))
        self.assertIn("intervention.preventive_home_visits.effect", run.parameter_versions)
        self.login(self.planner)
        page = self.client.get(response["Location"])
        self.assertContains(page, "<svg", count=5)
        self.assertContains(page, "90 % interval")
        self.assertContains(page, "Mayo-Wilson")
        self.assertContains(page, "<caption>", count=7)

    def test_rerunning_a_stored_run_gives_identical_numbers(self):
        self.make_run()
        run = PlanningRun.objects.get()
        self.assertEqual(services.rerun(run), run.results)

    def test_a_zero_effect_scenario_equals_the_baseline_exactly(self):
        off = {f"{key}_mode": "off" for key in ("fall_prevention", "everyday_rehabilitation", "caregiver_support")}
        self.make_run(preventive_home_visits_mode="custom", preventive_home_visits_effect="1", **off)
        results = PlanningRun.objects.get().results
        for kind in ("central", "mean", "low", "high"):
            for measure in ("users", "staff_years", "cost"):
                self.assertEqual(results[kind][measure]["baseline"], results[kind][measure]["scenario"])
                self.assertTrue(all(v == 0 for row in results[kind][measure]["difference"] for v in row))

    def test_it_flags_an_optimistic_variant(self):
        self.make_run(preventive_home_visits_mode="optimistic")
        self.login(self.planner)
        page = self.client.get(f"/planning/runs/{PlanningRun.objects.get().pk}/")
        self.assertContains(page, '<span class="flag">optimistic</span>', html=False)

    def test_it_refuses_a_horizon_beyond_the_projection_and_stores_nothing(self):
        self.login(self.planner)
        response = self.client.post("/planning/", self.form_data(horizon=2060))
        self.assertContains(response, "no later than 2050")
        self.assertFalse(PlanningRun.objects.exists())

    def test_it_asks_for_an_effect_when_the_own_effect_is_chosen(self):
        self.login(self.planner)
        response = self.client.post("/planning/", self.form_data(fall_prevention_mode="custom"))
        self.assertContains(response, "Give your own effect")
        self.assertFalse(PlanningRun.objects.exists())

    def test_it_compares_runs_side_by_side(self):
        self.make_run(name="Evidence")
        self.make_run(name="Optimistic", preventive_home_visits_mode="optimistic")
        ids = list(PlanningRun.objects.values_list("pk", flat=True))
        self.login(self.unit_leader)
        response = self.client.get("/planning/compare/", {"run": ids})
        self.assertContains(response, "Evidence")
        self.assertContains(response, "Optimistic")
        self.assertContains(response, "<svg", count=2)


class RegisterCalibrationTest(PlanningTestCase):
    def add_user_of(self, n, service):
        person = self.make_person(f"T{n:010d}", "Test", f"Person{n}", datetime.date(1940, 5, 1), Sex.FEMALE)
        ServiceDecision.objects.create(
            person=person, decision_id=f"D{n}", service=service, start_date=datetime.date(2020, 1, 1)
        )
        return person

    def test_it_scales_the_national_rates_to_our_users_counted_in_aggregate(self):
        for n in range(6):
            person = self.add_user_of(n, ServiceKind.LONG_TERM_INSTITUTION)
            # A lower service besides counts only at the highest level.
            ServiceDecision.objects.create(
                person=person,
                decision_id=f"H{n}",
                service=ServiceKind.HOME_NURSING,
                start_date=datetime.date(2020, 1, 1),
            )
        self.add_user_of(10, ServiceKind.HOME_NURSING)
        self.make_run()
        calibration = PlanningRun.objects.get().calibration
        self.assertEqual(calibration["source"], "register")
        self.assertEqual(calibration["observed"]["long_term"], 6)
        self.assertEqual(calibration["observed"]["home_nursing"], 1)
        self.assertEqual(calibration["used"]["home_nursing"], "national")  # fewer than 5 users
        expected = calibration["expected"]["long_term"]  # stored rounded to 0.001
        factor = calibration["factor"]["long_term"]
        self.assertGreater(factor, 1)  # the national profile expects fewer than 6 users here
        self.assertAlmostEqual(factor * expected, 6, delta=factor * 0.0005 + 1e-5)

    def test_it_uses_national_rates_for_another_municipality(self):
        self.make_run(series=self.dataset.series.get(region="3451").pk)
        self.assertEqual(PlanningRun.objects.get().calibration["source"], "national")


class CentralEstimateTest(PlanningTestCase):
    def test_it_shows_the_central_estimate_alone_with_zero_draws(self):
        self.make_run(draws=0)
        run = PlanningRun.objects.get()
        self.assertNotIn("low", run.results)
        self.login(self.planner)
        page = self.client.get(f"/planning/runs/{run.pk}/")
        self.assertContains(page, "Central estimate only")
        self.assertNotContains(page, "90 % interval -")
