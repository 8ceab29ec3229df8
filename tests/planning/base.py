"""A planning test case: the demo projection loaded once, and a helper for the form."""

from pathlib import Path

from trappa.planning import params, services
from trappa.planning.models import PopulationSeries
from trappa.test import BaseTestCase

SAMPLE = (
    Path(__file__).resolve().parents[2] / "trappa" / "demo" / "samples" / ("14288_vefsn_nord-aurdal_synthetic.json")
)
EVIDENCE = ("preventive_home_visits", "fall_prevention", "everyday_rehabilitation", "caregiver_support")


class PlanningTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dataset = services.import_projection("SSB 14288 sample", SAMPLE.name, SAMPLE.read_bytes(), synthetic=True)
        cls.series = PopulationSeries.objects.get(dataset=cls.dataset, region="1824")

    def form_data(self, **overrides):
        data = {
            "name": "Test run",
            "series": self.series.pk,
            "horizon": 2050,
            "draws": 200,
            "seed": 1,
            "rate_source": "register",
            "need_delay_min_age": 75,
            "need_delay_max_age": 105,
        }
        for key in params.load().interventions:
            data[f"{key}_mode"] = "evidence" if key in EVIDENCE else "off"
            data[f"{key}_uptake"] = ""
            data[f"{key}_effect"] = ""
        data.update(overrides)
        return data

    def make_run(self, **overrides):
        self.login(self.planner)
        response = self.client.post("/planning/", self.form_data(**overrides))
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors
        )
        self.client.logout()
        return response
