"""Two machine clients enrolling into a group's last seat at the same moment, through the API, on PostgreSQL.

Each round builds a group with one seat left; two clients (each its own token, its own thread and
database connection, released together by a barrier) each enrol a different person. The group's
lock in the enrollment service decides: one gets the seat, the other the waitlist, never two seats.
A client sending the same request twice at once gets one place. A few rounds: it runs in seconds.
"""

import datetime
from unittest import skipUnless
from urllib.parse import urlencode

from django.db import connection
from django.test import Client as HttpClient
from django.test import TransactionTestCase

from tests.referrals.base import make_group, make_offering
from tests.referrals.test_concurrent_transitions import _run_together
from trappa.accounts.models import Municipality, Role, Unit, User
from trappa.api.clients import approve_client, register_client
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.people.models import Person, Sex
from trappa.referrals import services
from trappa.referrals.models import TAKEN, EnrollmentStatus

ROUNDS = 5
CAPACITY = 2


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has one writer and no row locks")
class ConcurrentApiEnrollmentTest(TransactionTestCase):
    def setUp(self):
        vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        unit = Unit.objects.create(municipality=vefsn, code="helse", name="Helsetjenesten")
        admins = [
            User.objects.create_user(name, role=Role.ADMINISTRATOR, municipality=vefsn) for name in ("ada", "arne")
        ]
        self.offering = make_offering(vefsn, unit, "sterk", "Sterk og stødig")
        self.filler, self.anna, self.berit = [
            Person.objects.create(
                municipality=vefsn,
                national_id=f"8{i:010d}",
                given_name=name,
                family_name="Test",
                birth_date=datetime.date(1944, 1, 1),
                sex=Sex.FEMALE,
                municipality_number="1824",
            )
            for i, name in enumerate(("Fyll", "Anna", "Berit"))
        ]
        for person in (self.filler, self.anna, self.berit):
            CareRelationship.objects.create(person=person, unit=unit, kind=CareRelationshipKind.WORKLIST, source="t")
        self.tokens = []
        for name in ("Journal A", "Journal B"):
            client, secret = register_client(admins[0], name, ["write:enrollments"], unit=unit, role=Role.NURSE)
            approve_client(admins[1], client)
            data = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": secret}
            response = self.client.post(
                "/api/token/", urlencode(data), content_type="application/x-www-form-urlencoded"
            )
            self.tokens.append(response.json()["access_token"])

    def group_with_one_seat_left(self):
        group = make_group(self.offering, capacity=CAPACITY)
        services.enroll(group, self.filler)
        return group

    def enrol(self, results, i, token, group, person):
        def request():
            response = HttpClient().post(
                f"/api/groups/{group.pk}/enrollments/",
                {"person_id": person.pk},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            results[i] = (response.status_code, response.json())

        return request

    def test_the_last_seat_goes_to_one_of_two_clients_and_a_doubled_request_takes_one_place(self):
        # One test, not two: each TransactionTestCase test ends with a flush of every table, which costs
        # more than all the rounds.
        for _ in range(ROUNDS):
            group = self.group_with_one_seat_left()
            results = [None, None]
            errors = _run_together(
                self.enrol(results, 0, self.tokens[0], group, self.anna),
                self.enrol(results, 1, self.tokens[1], group, self.berit),
            )
            self.assertEqual(errors, [])
            self.assertEqual([code for code, _body in results], [201, 201])
            statuses = sorted(body["status"] for _code, body in results)
            self.assertEqual(statuses, [EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED])
            self.assertEqual(group.enrollments.filter(status__in=list(TAKEN)).count(), CAPACITY)
            self.assertEqual(len(set(group.enrollments.values_list("sequence", flat=True))), 3)
        for _ in range(ROUNDS):
            group = self.group_with_one_seat_left()
            results = [None, None]
            errors = _run_together(
                self.enrol(results, 0, self.tokens[0], group, self.anna),
                self.enrol(results, 1, self.tokens[0], group, self.anna),
            )
            self.assertEqual(errors, [])
            self.assertEqual(sorted(code for code, _body in results), [200, 201])
            self.assertEqual(results[0][1]["id"], results[1][1]["id"])
            self.assertEqual(group.enrollments.filter(person=self.anna).count(), 1)
