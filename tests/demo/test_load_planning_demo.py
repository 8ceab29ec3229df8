from io import StringIO

from django.core.management import call_command

from trappa.planning.models import PlanningRun, ProjectionDataset
from trappa.test import BaseTestCase


class LoadPlanningDemoTest(BaseTestCase):
    def test_it_loads_the_projection_and_vefsns_scenarios_once(self):
        # The base register holds only Olga and Per (older residents): no register-derived projection.
        call_command("load_planning_demo", stdout=StringIO())
        call_command("load_planning_demo", stdout=StringIO())
        self.assertEqual(ProjectionDataset.objects.count(), 1)
        runs = PlanningRun.objects.filter(municipality=self.vefsn)
        self.assertEqual(runs.count(), 2)
        self.assertEqual({r.results["years"][-1] for r in runs}, {2050})
        self.login(self.planner)
        response = self.client.get(f"/planning/runs/{runs[0].pk}/")
        self.assertContains(response, "synthetic figures in SSB")

    def test_it_derives_vefsns_projection_from_the_register_when_it_holds_the_young_too(self):
        import datetime

        from django.utils import timezone

        from trappa.people.models import Sex

        year = timezone.localdate().year
        for n, age in enumerate((0, 1, 2, 30, 45)):
            self.make_person(f"9555555555{n}", "Demo", f"Young{n}", datetime.date(year - age - 1, 4, 1), Sex.MALE)
        call_command("load_planning_demo", stdout=StringIO())
        call_command("load_planning_demo", stdout=StringIO())
        derived = ProjectionDataset.objects.get(origin="register")
        run = PlanningRun.objects.get(dataset=derived)
        self.assertEqual(run.results["years"], list(range(year, 2051)))
        self.login(self.planner)
        self.assertContains(self.client.get(f"/planning/runs/{run.pk}/"), "Migration: none")


class PlanningDemoExplainsTheConsultantsFigureTest(BaseTestCase):
    def test_the_demo_holds_the_consultants_scenario_and_its_reconciliation_page(self):
        from trappa.planning.models import Reconciliation

        call_command("load_planning_demo", stdout=StringIO())
        call_command("load_planning_demo", stdout=StringIO())
        rec = Reconciliation.objects.get(municipality=self.vefsn)
        self.assertEqual((rec.year, rec.institution, rec.home_services), (2050, -83, -121))
        self.login(self.planner)
        page = self.client.get("/planning/reconcile/")
        self.assertContains(page, "PwC")
        runs = PlanningRun.objects.filter(municipality=self.vefsn)
        for run in runs:
            self.assertContains(page, f'href="/planning/runs/{run.pk}/"')
        sensitivity = self.client.get(f"/planning/runs/{runs[0].pk}/sensitivity/")
        self.assertContains(sensitivity, "<svg", count=3)


class PlanningDemoRecomputesStaleRunsTest(BaseTestCase):
    def test_a_run_stored_with_the_double_count_is_recomputed(self):
        call_command("load_planning_demo", stdout=StringIO())
        run = PlanningRun.objects.get(municipality=self.vefsn, name="Prevention, optimistic")
        rows, r = run.results["rows"], run.results
        home, long_term = rows.index("home_nursing"), rows.index("long_term")
        # What the engine stored before issue #15: home nursing gained twice the avoided long-term users.
        stale = r["central"]["users"]["difference"][home][-1] - r["central"]["users"]["difference"][long_term][-1]
        r["central"]["users"]["difference"][home][-1] = stale
        PlanningRun.objects.filter(pk=run.pk).update(results=r)
        out = StringIO()
        call_command("load_planning_demo", stdout=out)
        self.assertIn("Recomputed: Prevention, optimistic", out.getvalue())
        run.refresh_from_db()
        self.assertNotEqual(run.results["central"]["users"]["difference"][home][-1], stale)
