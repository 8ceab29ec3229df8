import datetime

from django.core.exceptions import ValidationError

from tests.referrals.base import ReferralTestCase, make_group
from trappa.audit.access import has_grant
from trappa.people.models import Person, Sex
from trappa.referrals import services
from trappa.referrals.models import EnrollmentStatus


class EnrollTest(ReferralTestCase):
    def make_people(self, n):
        return [
            Person.objects.create(
                municipality=self.vefsn,
                national_id=f"9{i:010d}",
                given_name=f"P{i}",
                family_name="Test",
                birth_date=datetime.date(1945, 1, 1),
                sex=Sex.FEMALE,
                municipality_number="1824",
            )
            for i in range(n)
        ]

    def test_it_waitlists_when_the_group_is_full(self):
        group = make_group(self.strong, leader=self.course_leader, capacity=2)
        a, b, c = [services.enroll(group, p) for p in self.make_people(3)]
        self.assertEqual([e.status for e in (a, b, c)], ["enrolled", "enrolled", "waitlisted"])
        self.assertEqual([e.sequence for e in (a, b, c)], [1, 2, 3])

    def test_a_freed_seat_is_offered_to_the_next_by_priority_then_arrival(self):
        group = make_group(self.strong, leader=self.course_leader, capacity=1)
        first, second, third, fourth = self.make_people(4)
        seated = services.enroll(group, first)
        services.enroll(group, second)
        urgent = services.enroll(group, third, priority=1)
        services.enroll(group, fourth, priority=1)
        offered = services.withdraw(seated)
        self.assertEqual(offered.pk, urgent.pk)
        urgent.refresh_from_db()
        self.assertEqual(urgent.status, EnrollmentStatus.OFFERED)
        services.accept_offer(urgent)
        self.assertEqual(group.enrollments.filter(status__in=["enrolled", "offered"]).count(), 1)

    def test_withdrawing_from_the_waitlist_offers_no_seat(self):
        group = make_group(self.strong, leader=self.course_leader, capacity=1)
        people = self.make_people(3)
        services.enroll(group, people[0])
        waiting = services.enroll(group, people[1])
        self.assertIsNone(services.withdraw(waiting))
        self.assertEqual(group.enrollments.filter(status="offered").count(), 0)

    def test_enrolling_twice_returns_the_same_enrollment(self):
        group = make_group(self.strong, leader=self.course_leader)
        self.assertEqual(services.enroll(group, self.per).pk, services.enroll(group, self.per).pk)

    def test_enrollment_gives_the_course_leader_access(self):
        group = make_group(self.strong, leader=self.course_leader)
        self.assertFalse(has_grant(self.course_leader, self.per))
        enrollment = services.enroll(group, self.per)
        self.assertTrue(has_grant(self.course_leader, self.per))
        services.withdraw(enrollment)
        self.assertFalse(has_grant(self.course_leader, self.per))

    def test_it_requires_the_pre_course_conversation_where_the_course_has_one(self):
        group = make_group(self.strong, leader=self.course_leader, requires_pre_course_conversation=True)
        with self.assertRaises(ValidationError):
            services.enroll(group, self.per)
        enrollment = services.enroll(group, self.per, pre_course_conversation_on=datetime.date(2026, 8, 20))
        self.assertEqual(enrollment.status, EnrollmentStatus.ENROLLED)

    def test_it_refuses_a_person_who_has_moved_out(self):
        self.per.date_moved_out = datetime.date(2026, 1, 1)
        self.per.save(update_fields=["date_moved_out"])
        with self.assertRaises(ValidationError):
            services.enroll(make_group(self.strong, leader=self.course_leader), self.per)
