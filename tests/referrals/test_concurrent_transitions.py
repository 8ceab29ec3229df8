"""Every conflicting pair of enrollment transitions, fired at once from two connections, on PostgreSQL.

Each round builds a small full group with a waitlist, then two threads (each with its
own database connection), released together by a barrier, take two transitions that
touch the same seats. After every round: seats taken (seated or completed) <= capacity,
a withdrawn, declined or expired person holds no seat, and each freed seat went to exactly
one person from the waitlist (an offer is the only step that sets `offer_expires_on`).
"""

import datetime
import itertools
import threading
from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, connections
from django.test import TransactionTestCase

from tests.referrals.base import make_group, make_offering
from trappa.accounts.models import Municipality, Role, Unit, User
from trappa.people.models import Person, Sex
from trappa.referrals import services
from trappa.referrals.models import TAKEN, Enrollment, EnrollmentStatus

ROUNDS = 100
CAPACITY = 2
# A day after any offer made in these rounds must be answered: the offer is overdue.
OVERDUE = datetime.date.today() + datetime.timedelta(days=365)
GONE = (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.DECLINED, EnrollmentStatus.EXPIRED)


def _run_together(*actions):
    """Run each action in its own thread and connection, all released at the same moment."""
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        close_old_connections()
        try:
            barrier.wait()
            action()
        except ValidationError:
            pass  # refused because the other got there first: a correct outcome
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has one writer and no row locks")
class ConcurrentTransitionsTest(TransactionTestCase):
    def setUp(self):
        vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        unit = Unit.objects.create(municipality=vefsn, code="helse", name="Helsetjenesten")
        self.leader = User.objects.create_user(
            "kari", password="x" * 20, role=Role.COURSE_LEADER, unit=unit, municipality=vefsn
        )
        self.offering = make_offering(vefsn, unit, "sterk", "Sterk og stødig")
        self.vefsn = vefsn
        self.numbers = itertools.count()

    def people(self, n):
        return [
            Person.objects.create(
                municipality=self.vefsn,
                national_id=f"8{next(self.numbers):010d}",
                given_name="P",
                family_name="Test",
                birth_date=datetime.date(1944, 1, 1),
                sex=Sex.FEMALE,
                municipality_number="1824",
            )
            for _ in range(n)
        ]

    def group_with_an_offer(self):
        """A full group of CAPACITY: one enrolled, one offered a freed seat; three on the waitlist."""
        group = make_group(self.offering, leader=self.leader, capacity=CAPACITY)
        first, second, leaving, *waiting = [services.enroll(group, p) for p in self.people(2 + 1 + 3)]
        services.withdraw(second)
        offered = Enrollment.objects.get(group=group, status=EnrollmentStatus.OFFERED)
        return group, first, offered, waiting

    def check(self, group, before):
        """`before`: {enrollment pk: status} when the round started."""
        rows = list(group.enrollments.all())
        taken = [e for e in rows if e.status in TAKEN]
        self.assertLessEqual(len(taken), group.capacity)
        gone = {e.person_id for e in rows if e.status in GONE}
        self.assertFalse(gone & {e.person_id for e in taken}, "a withdrawn person holds a seat")
        waiting = [e for e in rows if e.status == EnrollmentStatus.WAITLISTED]
        if waiting:  # every freed seat was offered on: the group is full while anyone waits
            self.assertEqual(len(taken), group.capacity)
        offers = [e for e in rows if before.get(e.pk) == EnrollmentStatus.WAITLISTED and e.offer_expires_on]
        # A seat held when the round started, or offered during it, and given up since.
        held = {e.pk for e in rows if before.get(e.pk) in TAKEN} | {e.pk for e in offers}
        freed = [e for e in rows if e.pk in held and e.status in GONE]
        self.assertEqual(len(offers), len(freed), "each freed seat is offered exactly once")
        return rows

    def rounds(self, pair):
        for _ in range(ROUNDS):
            group, first, offered, waiting = self.group_with_an_offer()
            before = dict(group.enrollments.values_list("pk", "status"))
            errors = _run_together(*pair(first, offered, waiting))
            self.assertEqual(errors, [])
            self.check(group, before)

    def test_accept_against_withdraw_of_the_same_offered_seat(self):
        self.rounds(
            lambda first, offered, waiting: (lambda: services.accept_offer(offered), lambda: services.withdraw(offered))
        )

    def test_accept_against_decline_of_the_same_offered_seat(self):
        self.rounds(
            lambda first, offered, waiting: (
                lambda: services.accept_offer(offered),
                lambda: services.decline_offer(offered),
            )
        )

    def test_withdraw_twice_at_once_frees_one_seat(self):
        def pair(first, offered, waiting):
            return (lambda: services.withdraw(first), lambda: services.withdraw(first))

        self.rounds(pair)

    def test_two_seated_people_withdrawing_at_once_each_free_a_seat_offered_once(self):
        self.rounds(
            lambda first, offered, waiting: (lambda: services.withdraw(first), lambda: services.withdraw(offered))
        )

    def test_a_new_enrollment_against_a_withdrawal(self):
        def pair(first, offered, waiting):
            newcomer = self.people(1)[0]
            return (lambda: services.enroll(first.group, newcomer), lambda: services.withdraw(first))

        self.rounds(pair)

    def test_accept_against_withdraw_of_a_waiting_person_offered_next(self):
        def pair(first, offered, waiting):
            return (lambda: services.accept_offer(offered), lambda: services.withdraw(waiting[0]))

        self.rounds(pair)

    def test_expire_against_accept_of_the_same_offered_seat(self):
        self.rounds(
            lambda first, offered, waiting: (
                lambda: services.expire_offer(offered, OVERDUE),
                lambda: services.accept_offer(offered),
            )
        )

    def test_expire_against_withdraw_of_the_same_offered_seat(self):
        self.rounds(
            lambda first, offered, waiting: (
                lambda: services.expire_offer(offered, OVERDUE),
                lambda: services.withdraw(offered),
            )
        )

    def test_expire_against_decline_of_the_same_offered_seat(self):
        self.rounds(
            lambda first, offered, waiting: (
                lambda: services.expire_offer(offered, OVERDUE),
                lambda: services.decline_offer(offered),
            )
        )

    def test_two_nightly_runs_expiring_the_same_offer_at_once(self):
        self.rounds(
            lambda first, offered, waiting: (
                lambda: services.expire_overdue_offers(self.vefsn, OVERDUE),
                lambda: services.expire_overdue_offers(self.vefsn, OVERDUE),
            )
        )

    def test_expire_of_one_seat_against_withdraw_of_the_other(self):
        self.rounds(
            lambda first, offered, waiting: (
                lambda: services.expire_offer(offered, OVERDUE),
                lambda: services.withdraw(first),
            )
        )

    def test_expire_against_a_new_enrollment(self):
        def pair(first, offered, waiting):
            newcomer = self.people(1)[0]
            return (lambda: services.expire_offer(offered, OVERDUE), lambda: services.enroll(first.group, newcomer))

        self.rounds(pair)

    def test_complete_against_withdraw_of_the_same_participant(self):
        self.rounds(
            lambda first, offered, waiting: (lambda: services.complete(first), lambda: services.withdraw(first))
        )

    def test_complete_of_one_against_withdraw_of_the_other_offered_seat(self):
        self.rounds(
            lambda first, offered, waiting: (lambda: services.complete(first), lambda: services.withdraw(offered))
        )

    def test_complete_against_expire_of_the_other_seat(self):
        self.rounds(
            lambda first, offered, waiting: (
                lambda: services.complete(first),
                lambda: services.expire_offer(offered, OVERDUE),
            )
        )

    def test_complete_of_one_seat_against_accept_of_the_other(self):
        self.rounds(
            lambda first, offered, waiting: (lambda: services.complete(first), lambda: services.accept_offer(offered))
        )

    def test_a_stale_copy_cannot_accept_a_withdrawn_offer(self):
        """The finding as reported: load the offered enrollment, withdraw it, accept the copy loaded first."""
        group, first, offered, waiting = self.group_with_an_offer()
        stale = Enrollment.objects.get(pk=offered.pk)
        services.withdraw(offered)
        with self.assertRaises(ValidationError):
            services.accept_offer(stale)
        stale.refresh_from_db()
        self.assertEqual(stale.status, EnrollmentStatus.WITHDRAWN)
        self.assertEqual(group.enrollments.filter(status__in=list(TAKEN)).count(), CAPACITY)
