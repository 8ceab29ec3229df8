"""Welfare technology per person: on the person page, and counted in the statistics."""

import datetime

from django.test import override_settings
from django.urls import reverse

from tests.activity.base import StatisticsTestCase, make_persons
from trappa.people.models import WelfareTechnology, WelfareTechnologyKind


class WelfareTechnologyTest(StatisticsTestCase):
    def test_the_person_page_shows_the_technology(self):
        WelfareTechnology.objects.create(
            person=self.olga, kind=WelfareTechnologyKind.MEDICINE_DISPENSER, since=datetime.date(2026, 2, 1)
        )
        self.login(self.alice)
        response = self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.assertContains(response, "Electronic medicine dispenser")

    @override_settings(SMALL_COUNT_THRESHOLD=1)
    def test_the_statistics_count_persons_with_each_technology_on_the_day(self):
        persons = make_persons(self.vefsn, [datetime.date(1940, 1, 1)] * 3)
        on = datetime.date(2026, 6, 1)
        for person in persons:
            WelfareTechnology.objects.create(person=person, kind=WelfareTechnologyKind.SAFETY_ALARM, since=on)
        WelfareTechnology.objects.create(person=persons[0], kind=WelfareTechnologyKind.GPS, since=on)
        ended = datetime.date(2026, 1, 1)
        WelfareTechnology.objects.create(person=persons[1], kind=WelfareTechnologyKind.GPS, since=ended, until=ended)
        table = self.csv_table(self.statistics(table="welfare_technology", year=2026, on=on.isoformat()))
        self.assertEqual(table["safety_alarm"]["persons"], "3")
        self.assertEqual(table["gps"]["persons"], "1")
        self.assertEqual(table["total"]["persons"], "3")
