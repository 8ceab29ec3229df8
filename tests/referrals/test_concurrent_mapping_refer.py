"""Two clicks on the same suggestion of a first-contact mapping at once (a double click, or two
tabs), on PostgreSQL: the person is referred to the offering once (issue #16)."""

import datetime
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase

from tests.referrals.base import make_offering
from tests.referrals.test_concurrent_transitions import _run_together
from trappa.accounts.models import Municipality, Role, Unit, User
from trappa.catalogue.models import Theme
from trappa.people.models import Person, Sex
from trappa.referrals import mapping
from trappa.referrals.models import ContactKind, Referral, Source

ROUNDS = 10


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has one writer and no row locks")
class ConcurrentReferFromMappingTest(TransactionTestCase):
    def setUp(self):
        vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        unit = Unit.objects.create(municipality=vefsn, code="fysio", name="Fysioterapitjenesten")
        self.nurse = User.objects.create_user(
            "alice", password="x" * 20, role=Role.NURSE, unit=unit, municipality=vefsn
        )
        self.offering = make_offering(vefsn, unit)
        self.offering.themes = [Theme.EXERCISE]
        self.offering.save(update_fields=["themes"])
        self.vefsn = vefsn

    def test_two_clicks_at_once_refer_once(self):
        for n in range(ROUNDS):
            person = Person.objects.create(
                municipality=self.vefsn,
                national_id=f"8{n:010d}",
                given_name="P",
                family_name="Test",
                birth_date=datetime.date(1944, 1, 1),
                sex=Sex.FEMALE,
                municipality_number="1824",
            )
            answers = {
                "kind": ContactKind.FIRST_CONTACT,
                "source": Source.HOME_SERVICES,
                "mapped_on": datetime.date(2026, 1, 5),
                "can_train": "yes",
            }
            saved = mapping.create(person, self.nurse, answers)

            def click(saved=saved):
                mapping.refer(saved, self.offering.pk, self.nurse)

            self.assertEqual(_run_together(click, click), [])
            self.assertEqual(Referral.objects.filter(mapping=saved).count(), 1)
