"""200 simultaneous enrollment requests for a group with 12 seats, over real HTTP, on PostgreSQL.

The application runs in a threaded WSGI server (Django's live server) and 200
client threads, released together by a barrier, each POST one enrollment. The
server runs at most SERVER_SLOTS requests at once (as gunicorn's workers would),
so the test stays inside PostgreSQL's connection limit; the rest wait in the
listen queue, as they would in production.
"""

import datetime
import http.client
import threading
from unittest import skipUnless

from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import LiveServerTestCase
from django.test.testcases import LiveServerThread
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.referrals.base import make_group, make_offering
from trappa.accounts.models import Municipality, Role, Unit, User
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.people.models import Person, Sex
from trappa.referrals.models import Enrollment, EnrollmentStatus

CLIENTS = 200
SEATS = 12
SERVER_SLOTS = 20
CSRF = "c" * 32  # a CSRF secret of the accepted form, sent as cookie and header


class BoundedServer(ThreadedWSGIServer):
    request_queue_size = CLIENTS + 50
    slots = threading.BoundedSemaphore(SERVER_SLOTS)

    def process_request_thread(self, request, client_address):
        with self.slots:
            super().process_request_thread(request, client_address)


class BoundedServerThread(LiveServerThread):
    server_class = BoundedServer


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has one writer and no row locks")
class ConcurrentEnrollmentTest(LiveServerTestCase):
    server_thread_class = BoundedServerThread

    def setUp(self):
        vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        unit = Unit.objects.create(municipality=vefsn, code="helse", name="Helsetjenesten")
        self.leader = User.objects.create_user(
            "kari", password="x" * 20, role=Role.COURSE_LEADER, unit=unit, municipality=vefsn
        )
        self.group = make_group(
            make_offering(vefsn, unit, "sterk", "Sterk og stødig"), leader=self.leader, capacity=SEATS
        )
        self.persons = Person.objects.bulk_create(
            [
                Person(
                    municipality=vefsn,
                    national_id=f"8{i:010d}",
                    given_name=f"P{i}",
                    family_name="Test",
                    birth_date=datetime.date(1944, 1, 1),
                    sex=Sex.FEMALE,
                    municipality_number="1824",
                )
                for i in range(CLIENTS)
            ]
        )
        CareRelationship.objects.bulk_create(
            [
                CareRelationship(person=p, unit=unit, kind=CareRelationshipKind.WORKLIST, source="test")
                for p in self.persons
            ]
        )

    def session_cookie(self):
        self.client.force_login(self.leader)
        device = TOTPDevice.objects.create(user=self.leader, name="test", confirmed=True)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return f"sessionid={session.session_key}; csrftoken={CSRF}"

    def post_all_at_once(self, cookie):
        barrier = threading.Barrier(CLIENTS)
        results = [None] * CLIENTS
        host, port = self.server_thread.host, self.server_thread.port

        def client(i):
            path = reverse("referrals:enroll", args=[self.group.pk, self.persons[i].pk])
            conn = http.client.HTTPConnection(host, port, timeout=120)
            barrier.wait()
            try:
                conn.request("POST", path, body="", headers={"Cookie": cookie, "X-CSRFToken": CSRF})
                results[i] = conn.getresponse().status
            finally:
                conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def test_two_hundred_simultaneous_requests_fill_twelve_seats_and_waitlist_the_rest_in_order(self):
        statuses = self.post_all_at_once(self.session_cookie())
        self.assertEqual(statuses, [302] * CLIENTS)  # every request answered, none failed
        enrollments = list(Enrollment.objects.filter(group=self.group).order_by("sequence"))
        self.assertEqual(len(enrollments), CLIENTS)
        self.assertEqual([e.sequence for e in enrollments], list(range(1, CLIENTS + 1)))
        expected = [EnrollmentStatus.ENROLLED] * SEATS + [EnrollmentStatus.WAITLISTED] * (CLIENTS - SEATS)
        self.assertEqual([e.status for e in enrollments], expected)
        # Arrival order: the order the lock was granted is the order the rows were written.
        created = [e.created_at for e in enrollments]
        self.assertEqual(created, sorted(created))
        self.assertEqual(len({e.person_id for e in enrollments}), CLIENTS)
