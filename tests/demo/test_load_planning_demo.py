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
