from io import StringIO

from django.core.management import call_command

from trappa.planning.models import PlanningRun, ProjectionDataset
from trappa.test import BaseTestCase


class LoadPlanningDemoTest(BaseTestCase):
    def test_it_loads_the_projection_and_vefsns_scenarios_once(self):
        call_command("load_planning_demo", stdout=StringIO())
        call_command("load_planning_demo", stdout=StringIO())
        self.assertEqual(ProjectionDataset.objects.count(), 1)
        runs = PlanningRun.objects.filter(municipality=self.vefsn)
        self.assertEqual(runs.count(), 2)
        self.assertEqual({r.results["years"][-1] for r in runs}, {2050})
        self.login(self.planner)
        response = self.client.get(f"/planning/runs/{runs[0].pk}/")
        self.assertContains(response, "synthetic figures in SSB")
