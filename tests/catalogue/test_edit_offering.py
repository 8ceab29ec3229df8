import io
import json

from django.core.management import call_command

from trappa.catalogue.models import Offering, Version, YearlyCost
from trappa.test import BaseTestCase


class EditOfferingTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", stdout=io.StringIO())
        cls.sterk = Offering.objects.get(municipality=cls.vefsn, code="sterk-og-stodig")

    def form_data(self, offering, **changes):
        data = {
            "code": offering.code,
            "step": offering.step_id,
            "published": "on",
            "name_nb": offering.name_nb,
            "name_nn": offering.name_nn,
            "name_en": offering.name_en,
            "summary_nb": offering.summary_nb,
            "access": offering.access,
            "provider_kind": offering.provider_kind,
            "provider_name": offering.provider_name,
            "sign_up_nb": offering.sign_up_nb,
            "status": offering.status,
            "target_groups": offering.target_groups,
            "themes": offering.themes,
            "eligibility": json.dumps(offering.eligibility),
            "locations": list(offering.locations.values_list("id", flat=True)),
        }
        data.update(changes)
        return data

    def test_a_unit_leader_changes_a_name_and_the_change_is_versioned_with_who(self):
        self.login(self.unit_leader)
        response = self.client.post(
            "/offerings/manage/offering/sterk-og-stodig/", self.form_data(self.sterk, name_nb="Sterk og stødig")
        )
        self.assertRedirects(response, "/offerings/manage/")
        self.sterk.refresh_from_db()
        self.assertEqual(self.sterk.name_nb, "Sterk og stødig")
        latest = Version.objects.filter(model="offering", object_id=self.sterk.pk).first()
        self.assertEqual(latest.changed_by, self.unit_leader)
        self.assertEqual(Version.objects.filter(model="offering", object_id=self.sterk.pk).count(), 2)
        history = self.client.get("/offerings/manage/offering/sterk-og-stodig/history/")
        self.assertContains(history, "name_nb")
        self.assertContains(history, "Data files")

    def test_it_rejects_a_bad_eligibility_rule_and_changes_nothing(self):
        self.login(self.planner)
        bad = json.dumps([{"kind": "age_at_least", "years": 65, "explanation": {"nb": "x"}}])
        response = self.client.post(
            "/offerings/manage/offering/sterk-og-stodig/",
            self.form_data(self.sterk, eligibility=bad, name_nb="Changed"),
        )
        self.assertContains(response, "explanation needs nb, nn and en")
        self.sterk.refresh_from_db()
        self.assertNotEqual(self.sterk.name_nb, "Changed")

    def test_it_rejects_a_step_of_another_municipality(self):
        self.login(self.planner)
        other = self.nord_aurdal.steps.first()
        response = self.client.post(
            "/offerings/manage/offering/sterk-og-stodig/", self.form_data(self.sterk, step=other.pk)
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")

    def test_a_new_offering_needs_a_code_free_in_the_municipality(self):
        self.login(self.planner)
        response = self.client.post("/offerings/manage/offering/new/", self.form_data(self.sterk))
        self.assertContains(response, "Another offering already has this code.")
        response = self.client.post("/offerings/manage/offering/new/", self.form_data(self.sterk, code="ny-gruppe"))
        self.assertRedirects(response, "/offerings/manage/")
        self.assertTrue(Offering.objects.filter(municipality=self.vefsn, code="ny-gruppe").exists())

    def test_it_edits_the_costs_per_year_and_versions_them(self):
        self.login(self.planner)
        costs = list(self.sterk.costs.order_by("year"))
        data = {
            "costs-TOTAL_FORMS": str(len(costs)),
            "costs-INITIAL_FORMS": str(len(costs)),
            "costs-MIN_NUM_FORMS": "0",
            "costs-MAX_NUM_FORMS": "1000",
        }
        for i, cost in enumerate(costs):
            data.update(
                {
                    f"costs-{i}-id": cost.id,
                    f"costs-{i}-year": cost.year,
                    f"costs-{i}-staffing_percent": "60" if cost.year == 2027 else cost.staffing_percent,
                    f"costs-{i}-wage_cost": 480000 if cost.year == 2027 else cost.wage_cost,
                    f"costs-{i}-running_cost": 0,
                    f"costs-{i}-one_off_cost": 0,
                    f"costs-{i}-funding": "new",
                }
            )
        response = self.client.post("/offerings/manage/offering/sterk-og-stodig/costs/", data)
        self.assertRedirects(response, "/offerings/manage/")
        self.assertEqual(YearlyCost.objects.get(offering=self.sterk, year=2027).wage_cost, 480000)
        latest = Version.objects.filter(model="offering", object_id=self.sterk.pk).first()
        self.assertEqual(latest.data["costs"][-1]["wage_cost"], 480000)

    def test_the_same_year_twice_is_refused(self):
        self.login(self.planner)
        data = {
            "costs-TOTAL_FORMS": "2",
            "costs-INITIAL_FORMS": "0",
            "costs-MIN_NUM_FORMS": "0",
            "costs-MAX_NUM_FORMS": "1000",
        }
        for i in range(2):
            data.update(
                {
                    f"costs-{i}-year": 2030,
                    f"costs-{i}-staffing_percent": "10",
                    f"costs-{i}-wage_cost": 1,
                    f"costs-{i}-running_cost": 0,
                    f"costs-{i}-one_off_cost": 0,
                    f"costs-{i}-funding": "new",
                }
            )
        response = self.client.post("/offerings/manage/offering/sterk-og-stodig/costs/", data)
        self.assertContains(response, "errorlist nonform")
        self.assertFalse(YearlyCost.objects.filter(offering=self.sterk, year=2030).exists())

    def test_a_nurse_may_not_edit_the_catalogue(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/offerings/manage/").status_code, 403)

    def test_charlie_cannot_reach_vefsn_offerings(self):
        self.charlie.role = "unit_leader"
        self.charlie.save(update_fields=["role"])
        self.login(self.charlie)
        self.assertEqual(self.client.get("/offerings/manage/offering/sterk-og-stodig/").status_code, 404)

    def test_only_the_administrator_edits_steps(self):
        self.login(self.planner)
        self.assertEqual(self.client.get("/offerings/manage/step/alle/").status_code, 403)
        self.login(self.administrator)
        response = self.client.post(
            "/offerings/manage/step/alle/",
            {
                "position": 1,
                "name_nb": "For alle innbyggere",
                "name_nn": "For alle",
                "name_en": "For everyone",
            },
        )
        self.assertRedirects(response, "/offerings/manage/")
        self.assertContains(self.client.get("/offerings/manage/step/alle/"), "<td>Ada</td>", html=False)


class EditConfigurationTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", "--municipality", "1824", stdout=io.StringIO())

    def test_a_unit_leader_edits_the_caregiver_page_and_it_is_versioned(self):
        self.login(self.unit_leader)
        response = self.client.post(
            "/offerings/manage/caregivers/",
            {
                "introduction_nb": "Hei pårørende",
                "rights_nb": "Rett 1\nRett 2",
                "coordinator_title_nb": "Koordinator",
                "coordinator_phone": "75 10 10 00",
                "coordinator_email": "ikke-en-epost",
            },
        )
        self.assertContains(response, "errorlist")
        response = self.client.post(
            "/offerings/manage/caregivers/",
            {
                "introduction_nb": "Hei pårørende",
                "rights_nb": "Rett 1\nRett 2",
                "coordinator_title_nb": "Koordinator",
                "coordinator_phone": "75 10 10 00",
            },
        )
        self.assertRedirects(response, "/offerings/manage/")
        public = self.client.get("/offerings/vefsn/for/caregiver/")
        self.assertContains(public, "<li>Rett 2</li>", html=True)
        self.assertContains(self.client.get("/offerings/manage/caregivers/"), "Ulla")

    def test_an_administrator_adds_a_village_and_offerings_there_show_outside_the_centre(self):
        self.login(self.administrator)
        response = self.client.post(
            "/offerings/manage/location/new/",
            {
                "code": "elsfjord",
                "name": "Elsfjord grendehus",
                "outside_centre": "on",
            },
        )
        self.assertRedirects(response, "/offerings/manage/")
        offering = Offering.objects.get(code="lyst-pa-livet")
        offering.locations.add(offering.municipality.locations.get(code="elsfjord"))
        self.assertContains(self.client.get("/offerings/vefsn/for/outside-centre/"), "Lyst på livet")

    def test_a_planner_adds_a_measure_to_the_latest_revision(self):
        self.login(self.planner)
        plan = self.vefsn.action_plans.get(code="parorendestotte")
        data = {
            "code": "ny",
            "position": 20,
            "title_nb": "Nytt tiltak",
            "focus_area": plan.focus_areas.first().pk,
            "funding": "new",
            "status": "planned",
            "period_start": 2025,
            "period_end": 2025,
            "years-TOTAL_FORMS": "1",
            "years-INITIAL_FORMS": "0",
            "years-MIN_NUM_FORMS": "0",
            "years-MAX_NUM_FORMS": "1000",
            "years-0-year": "2025",
            "years-0-staffing_percent": "50",
            "years-0-cost": "400000",
        }
        response = self.client.post("/offerings/plans/parorendestotte/2024/measure/new/", data)
        self.assertRedirects(response, "/offerings/plans/parorendestotte/2024/")
        measure = plan.latest_revision().measures.get(code="ny")
        self.assertEqual(Version.objects.get(model="measure", object_id=measure.pk).data["years"][0]["cost"], 400000)
        again = self.client.post("/offerings/plans/parorendestotte/2024/measure/new/", data)
        self.assertContains(again, "Another measure in this revision already has this code.")
