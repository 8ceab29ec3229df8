"""Deriving a population projection from the municipality's own register: page, command, runs."""

import datetime
from io import StringIO
from unittest import mock

import numpy as np
from django.core.management import CommandError, call_command
from django.utils import timezone

from trappa.accounts.models import Role
from trappa.people.models import Sex
from trappa.planning import params
from trappa.planning.models import PlanningRun, PopulationSeries, ProjectionDataset
from trappa.test import BaseTestCase

URL = "/planning/projections/derive/"


class DeriveProjectionTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.year = timezone.localdate().year
        day = datetime.date(cls.year, 1, 1)
        cls.n = 0

        def person(age, sex, **fields):
            # Born in the middle of the year: aged `age` on 1 January.
            cls.n += 1
            born = datetime.date(cls.year - age - 1, 6, 15)
            living_in = fields.pop("municipality_number", None)
            made = cls.make_person(f"9{cls.n:010d}", "Test", f"Person{cls.n}", born, sex, **fields)
            if living_in:
                made.municipality_number = living_in
                made.save(update_fields=["municipality_number"])
            return made

        for _ in range(3):
            person(0, Sex.FEMALE)
        for _ in range(3):
            person(2, Sex.MALE)
        for _ in range(4):
            person(40, Sex.FEMALE)
        person(110, Sex.MALE)  # counts at 105+
        person(70, Sex.FEMALE, date_of_death=day - datetime.timedelta(days=10))  # died before the day
        person(70, Sex.FEMALE, date_of_death=day + datetime.timedelta(days=10))  # alive on the day
        person(30, Sex.MALE, date_moved_out=day - datetime.timedelta(days=5), municipality_number="0301")
        person(30, Sex.MALE, date_moved_out=day + datetime.timedelta(days=5), municipality_number="0301")
        person(50, Sex.FEMALE, municipality_number="1833")  # a caregiver living elsewhere
        person(1, Sex.MALE, municipality=cls.nord_aurdal)
        cls.na_planner = cls.make_user("nina", Role.PLANNER, None, municipality=cls.nord_aurdal)

    def derive(self, user=None, **data):
        self.login(user or self.planner)
        return self.client.post(URL, {"horizon": 2050, **data}, follow=True)

    def test_it_projects_the_register_residents_from_1_january(self):
        response = self.derive()
        self.assertContains(response, "Derived")
        dataset = ProjectionDataset.objects.get()
        self.assertEqual(dataset.origin, "register")
        self.assertEqual((dataset.first_year, dataset.last_year), (self.year, 2050))
        self.assertEqual(dataset.alternatives, ["MMMM", "LLML", "HHMH"])
        self.assertIn("Derived from the register of Vefsn", dataset.title)
        series = PopulationSeries.objects.get(dataset=dataset)
        self.assertEqual(series.region, "1824")
        pop = series.array()
        self.assertEqual(pop.shape, (3, 2, 106, 2050 - self.year + 1))
        first = pop[0, :, :, 0]
        expected = np.zeros((2, 106))
        olga, per = self.olga.age_on(datetime.date(self.year, 1, 1)), self.per.age_on(datetime.date(self.year, 1, 1))
        expected[0, [0, 40, 70, olga]] = [3, 4, 1, 1]
        expected[1, [2, 30, 105, per]] = [3, 1, 1, 1]
        np.testing.assert_array_equal(first, expected)
        self.assertEqual(dataset.assumptions["residents"], 15)
        self.assertAlmostEqual(dataset.assumptions["births_per_year"], 2)  # six children aged 0-2, over three years
        # The year's births (2 a year, 1.05 boys per girl) enter at age 0.
        self.assertAlmostEqual(pop[0, :, 0, 1].sum(), 2 * (1 - 0.5 * 0.002), delta=0.002)
        self.assertAlmostEqual(pop[1, :, 0, 1].sum(), 0.9 * pop[0, :, 0, 1].sum(), delta=1e-3)  # LLML: 10 % fewer

    def test_the_same_register_on_the_same_day_gives_the_same_dataset_once(self):
        self.derive()
        response = self.derive()
        self.assertContains(response, "is unchanged")
        self.assertEqual(ProjectionDataset.objects.count(), 1)
        self.make_person("98888888888", "New", "Born", datetime.date(self.year - 1, 3, 1), Sex.MALE)
        self.derive()
        self.assertEqual(ProjectionDataset.objects.count(), 2)

    def test_a_derivation_racing_in_gets_the_stored_dataset_and_no_error(self):
        from trappa.planning import register_population as rp

        first, created = rp.derive_projection(self.vefsn, self.planner)
        self.assertTrue(created)
        # The second request looked before the first had stored its dataset: it finds none, then meets it.
        with mock.patch.object(rp.ProjectionDataset.objects, "filter") as looked:
            looked.return_value.first.return_value = None
            again, created = rp.derive_projection(self.vefsn, self.planner)
        self.assertEqual((again, created), (first, False))
        self.assertEqual(ProjectionDataset.objects.count(), 1)

    def test_someone_born_on_1_january_is_a_year_older_that_day(self):
        from trappa.planning import register_population as rp

        day = datetime.date(self.year, 1, 1)
        self.make_person("98888888888", "Nyttår", "Født", datetime.date(self.year - 71, 1, 1), Sex.FEMALE)
        counts = rp.register_counts(self.vefsn, day)
        self.assertEqual(counts[0, 71], 1)  # turned 71 on the day itself
        self.assertEqual(counts[0, 70], 1)  # only the one born mid-year, aged 70

    def test_a_unit_leader_may_derive(self):
        self.derive(self.unit_leader)
        self.assertEqual(ProjectionDataset.objects.count(), 1)

    def test_a_municipality_without_residents_gets_a_clear_error_and_nothing_is_written(self):
        self.na_planner.municipality.persons.all().delete()
        response = self.derive(self.na_planner)
        self.assertContains(response, "holds no residents")
        self.assertFalse(ProjectionDataset.objects.exists())

    def test_a_register_of_older_residents_only_is_refused(self):
        from trappa.people.models import Person

        Person.objects.filter(municipality=self.vefsn, birth_date__year__gt=self.year - 50).delete()
        response = self.derive()
        self.assertContains(response, "holds nobody under 50")
        self.assertFalse(ProjectionDataset.objects.exists())

    def test_a_bad_horizon_is_refused_and_nothing_is_written(self):
        response = self.derive(horizon=self.year)
        self.assertContains(response, "must be after")
        response = self.derive(horizon="soon")
        self.assertFalse(ProjectionDataset.objects.exists())

    def test_nurses_are_refused(self):
        for user in (self.alice, self.charlie):
            self.login(user)
            self.assertEqual(self.client.post(URL, {"horizon": 2050}).status_code, 403)
        self.assertFalse(ProjectionDataset.objects.exists())

    def test_it_takes_only_post(self):
        self.login(self.planner)
        self.assertEqual(self.client.get(URL).status_code, 405)

    def test_another_municipality_derives_only_its_own_and_neither_sees_the_other(self):
        self.derive(self.na_planner)
        series = PopulationSeries.objects.get()
        self.assertEqual(series.region, "3451")
        self.assertEqual(series.array()[0, :, :, 0].sum(), 1)
        self.login(self.planner)
        page = self.client.get("/planning/")
        self.assertNotContains(page, "Nord-Aurdal")
        self.derive()
        self.login(self.na_planner)
        page = self.client.get("/planning/")
        self.assertNotContains(page, "register of Vefsn")
        self.assertNotIn("Vefsn", str(page.context["form"].fields["series"].queryset.values_list("region_name")))

    def test_a_run_on_the_derived_projection_shows_that_it_is_register_derived(self):
        self.derive()
        series = PopulationSeries.objects.get()
        data = {
            "name": "Register run",
            "series": series.pk,
            "horizon": 2040,
            "draws": 50,
            "seed": 1,
            "rate_source": "register",
            "need_delay_min_age": 75,
            "need_delay_max_age": 105,
        }
        for key in params.load().interventions:
            data.update({f"{key}_mode": "evidence", f"{key}_uptake": "", f"{key}_effect": ""})
        self.login(self.planner)
        response = self.client.post("/planning/", data)
        run = PlanningRun.objects.get()
        self.assertRedirects(response, f"/planning/runs/{run.pk}/")
        page = self.client.get(f"/planning/runs/{run.pk}/")
        self.assertContains(page, "derived from the municipality")
        self.assertContains(page, "Migration: none")
        self.assertEqual(run.results["years"][-1], 2040)
        csv = self.client.get(f"/planning/runs/{run.pk}/export.csv").content.decode("utf-8-sig")
        self.assertIn("projection_origin;register", csv)
        self.assertIn("register_population.mortality", csv)


class DeriveProjectionCommandTest(BaseTestCase):
    def test_it_derives_from_the_command_line(self):
        year = timezone.localdate().year
        self.make_person("97777777777", "Young", "One", datetime.date(year - 10, 5, 1), Sex.FEMALE)
        out = StringIO()
        call_command("derive_projection", "--municipality", "1824", "--horizon", "2040", stdout=out)
        self.assertIn("Derived", out.getvalue())
        self.assertIn("Migration: none", out.getvalue())
        self.assertEqual(ProjectionDataset.objects.get().last_year, 2040)
        call_command("derive_projection", "--municipality", "1824", "--horizon", "2040", stdout=out)
        self.assertEqual(ProjectionDataset.objects.count(), 1)

    def test_it_names_an_unknown_municipality_or_an_empty_register(self):
        with self.assertRaisesMessage(CommandError, "No municipality 9999"):
            call_command("derive_projection", "--municipality", "9999", stdout=StringIO())
        with self.assertRaisesMessage(CommandError, "holds nobody under 50"):
            call_command("derive_projection", "--municipality", "1824", stdout=StringIO())
        self.assertFalse(ProjectionDataset.objects.exists())
