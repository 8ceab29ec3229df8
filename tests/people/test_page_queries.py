"""The person page's queries are pinned (#17): each costs about a millisecond of CPU under load,
so a new one must be a choice, not an accident."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trappa.audit.models import AccessLogEntry, CareRelationship, CareRelationshipKind
from trappa.people.models import PersonRelation, RelationKind
from trappa.test import BaseTestCase


class PersonPageQueriesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A relative the nurse may see and one she may not: the page names one and logs her.
        cls.daughter = cls.make_person("24894400061", "Dagny", "Datter", datetime.date(1966, 9, 24), "F")
        PersonRelation.objects.create(from_person=cls.daughter, to_person=cls.olga, kind=RelationKind.CAREGIVER)
        PersonRelation.objects.create(from_person=cls.olga, to_person=cls.per, kind=RelationKind.SPOUSE)
        CareRelationship.objects.create(
            person=cls.daughter, user=cls.alice, kind=CareRelationshipKind.CAREGIVER_FOLLOW_UP
        )

    def queries(self):
        url = reverse("people:person", args=[self.olga.pk])
        self.client.get(url)  # the first request of a session notes its time in the session
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertContains(response, "Dagny Datter")
        return [q["sql"] for q in queries]

    def test_the_person_page_takes_a_fixed_number_of_queries(self):
        self.login(self.alice)
        # Session, user (with unit and municipality), device; the person, her grant; the relations,
        # the relatives' care relationships, an emergency access for the one without; decisions,
        # technology, change history, care relationships; the log's savepoint, chain head, insert, release.
        self.assertEqual(len(self.queries()), 16 + _chain_lock())

    def test_the_user_is_loaded_with_unit_and_municipality_at_once(self):
        self.login(self.alice)
        sql = self.queries()
        self.assertFalse([q for q in sql if q.startswith('SELECT "accounts_unit"')])
        self.assertFalse([q for q in sql if q.startswith('SELECT "accounts_municipality"')])

    def test_the_relations_are_read_in_one_query(self):
        self.login(self.alice)
        self.assertEqual(len([q for q in self.queries() if 'FROM "people_personrelation"' in q]), 1)

    def test_both_persons_shown_are_still_logged(self):
        self.login(self.alice)
        self.queries()
        logged = AccessLogEntry.objects.filter(user=self.alice).values_list("person_id", "what")
        self.assertIn((self.olga.pk, "person page"), logged)
        self.assertIn((self.daughter.pk, f"relation of person {self.olga.pk}"), logged)
        self.assertNotIn(self.per.pk, [pk for pk, _what in logged])


def _chain_lock():
    """PostgreSQL takes the access log chain's advisory lock before the write (trappa/audit/models.py)."""
    return 1 if connection.vendor == "postgresql" else 0
