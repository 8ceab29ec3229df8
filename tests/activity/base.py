"""Helpers for the statistics tests: many persons at once, and the statistics page as csv rows."""

import csv
import datetime
import io
import itertools

from django.urls import reverse

from trappa.people.models import Person, Sex
from trappa.test import BaseTestCase

_numbers = itertools.count(1)


def make_persons(municipality, birth_dates):
    """One person per birth date, with synthetic numbers no real person has."""
    persons = [
        Person(
            municipality=municipality,
            national_id=f"9{next(_numbers):010d}",
            given_name="Record",
            family_name=f"Person{n}",
            birth_date=born,
            sex=Sex.FEMALE,
            municipality_number=municipality.number,
        )
        for n, born in enumerate(birth_dates)
    ]
    Person.objects.bulk_create(persons)
    return list(Person.objects.filter(national_id__in=[p.national_id for p in persons]).order_by("national_id"))


def born_aged(age, on):
    """A birth date that makes the person `age` on `on`."""
    return datetime.date(on.year - age - 1, on.month, on.day) + datetime.timedelta(days=1)


def spread(total, parts):
    """`total` split into `parts` whole numbers as even as can be."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class StatisticsTestCase(BaseTestCase):
    def statistics(self, user=None, **params):
        self.login(user or self.planner)
        params.setdefault("format", "csv")
        return self.client.get(reverse("activity:statistics"), params)

    def csv_table(self, response):
        """{row key: {column key: value}} of a csv export."""
        self.assertEqual(response.status_code, 200, response.content[:500])
        reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        return {row.pop("key"): row for row in reader}
