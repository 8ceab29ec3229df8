"""The demo's service statistics: the figures file is the plan's, and the loaded records reproduce it."""

import datetime
import io
import re
import tomllib

from django.core.management import CommandError, call_command

from tests import seeds
from tests.activity.base import make_persons
from tests.referrals.base import make_offering
from trappa.activity import statistics
from trappa.activity.models import Ward
from trappa.demo.activity import Pool
from trappa.demo.management.commands.load_activity_demo import FIGURES
from trappa.lib.national_id import make_synthetic
from trappa.people.models import Person
from trappa.test import BaseTestCase


def figures():
    return tomllib.loads(FIGURES.read_text(encoding="utf-8"))


def numbers_in(text):
    """Every whole number the seed writes, "1.680" and "9.314.093" included."""
    return {int(n.replace(".", "")) for n in re.findall(r"\d{1,3}(?:\.\d{3})+|\d+", text)}


class FiguresFileTest(BaseTestCase):
    def test_every_figure_in_the_file_is_in_seed_001(self):
        known = numbers_in(seeds.text("001"))
        data = figures()
        found = []

        def walk(value, where):
            if isinstance(value, dict):
                for key, item in value.items():
                    walk(item, f"{where}.{key}")
            elif isinstance(value, list):
                for n, item in enumerate(value):
                    walk(item, f"{where}[{n}]")
            elif isinstance(value, int) and not isinstance(value, bool) and not where.endswith(".pathway"):
                found.append((where, value))

        walk(data, "figures")
        missing = [(where, value) for where, value in found if value not in known]
        self.assertEqual(missing, [])
        self.assertGreater(len(found), 40)


class LoadActivityDemoTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        births = [datetime.date(1925 + n % 91, 1 + n % 12, 1 + n % 28) for n in range(4600)]
        make_persons(cls.vefsn, births)
        make_offering(cls.vefsn, cls.physio, "frisklivssentral", "Frisklivssentralen")
        call_command("load_activity_demo", stdout=io.StringIO())
        cls.data = figures()

    def test_the_stays_reproduce_the_plans_table(self):
        table = statistics.stays(Ward.objects.get(code="lms"), 2017)
        self.assertEqual(table.value("total", "patients"), 229)
        self.assertEqual(table.value("total", "bed_days"), 3790)
        self.assertEqual(table.value("total", "occupancy_percent"), 94.4)
        self.assertEqual(table.value("rehabilitation", "occupancy_percent"), 18.5)

    def test_the_other_tables_reproduce_the_plans_figures(self):
        plans = statistics.individual_plans(self.vefsn, datetime.date(2018, 3, 1))
        self.assertEqual((plans.value("home_0", "users"), plans.value("total", "users")), (35, 74))
        healthy = statistics.healthy_life(self.vefsn, 2017)
        self.assertEqual((healthy.value("referred", "persons"), healthy.value("completed", "persons")), (222, 107))
        self.assertEqual(healthy.value("reason_overweight", "persons"), 33)
        self.assertEqual(round(healthy.value("age_40", "percent")), 40)
        devices = statistics.devices(self.vefsn, 2012, 2017)
        self.assertEqual(devices.value("2017", "requests"), 523)
        self.assertEqual(devices.value("2016", "active_users"), 1918)
        self.assertEqual(devices.value("2013", "value_lent"), 9314093)
        mental = statistics.mental_health(self.vefsn, datetime.date(2018, 2, 1))
        self.assertEqual(mental.value("pathway_3", "persons"), 91)
        self.assertEqual(mental.value("pathway_1", "under_30"), 34)
        self.assertEqual(mental.value("lar", "persons"), 6)
        therapy = statistics.environmental_therapy(self.vefsn, datetime.date(2018, 3, 1))
        self.assertEqual(therapy.value("staffed_homes", "places"), 58)
        self.assertEqual(therapy.value("ambulant", "users"), 7)
        self.assertEqual(therapy.value("individual_plans", "users"), 9)

    def test_it_refuses_to_load_twice(self):
        with self.assertRaisesMessage(CommandError, "already has stays"):
            call_command("load_activity_demo", stdout=io.StringIO())


class PoolTest(BaseTestCase):
    """The pool asks the register by birth date: the same residents as their ages (Person.age_on) choose."""

    def test_it_takes_the_oldest_residents_of_the_ages_asked_for_by_id(self):
        on = datetime.date(2025, 2, 28)
        born = [datetime.date(1960, 2, 29), datetime.date(1960, 3, 1), datetime.date(1965, 2, 28)]
        born += [datetime.date(1965, 3, 1), datetime.date(1956, 2, 29), datetime.date(1957, 2, 28)]
        for n, day in enumerate(born):
            self.make_person(make_synthetic(day, "F", n), "Test", f"Person{n}", day, "F")
        persons = Person.objects.filter(municipality=self.vefsn).order_by("birth_date", "pk")
        for low, high in [(60, 64), (64, 65), (59, 59), (67, None), (0, 68)]:
            expected = [p.pk for p in persons if low <= p.age_on(on) and (high is None or p.age_on(on) <= high)]
            with self.subTest(low=low, high=high):
                self.assertEqual(Pool(self.vefsn).take(len(expected), on, low, high), expected)
        with self.assertRaisesRegex(ValueError, "only 3 residents aged 60–64"):
            Pool(self.vefsn).take(4, on, 60, 64)
