"""The access log records a write only once it has happened, in the same transaction."""

from django.urls import reverse

from tests.referrals.base import ReferralTestCase, make_group
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.referrals import services
from trappa.referrals.models import Enrollment, EnrollmentStatus


class LogAfterWriteTest(ReferralTestCase):
    def test_a_refused_enrollment_leaves_no_create_entry(self):
        group = make_group(self.strong, leader=self.course_leader, requires_pre_course_conversation=True)
        self.login(self.alice)
        self.client.post(reverse("referrals:enroll", args=[group.pk, self.olga.pk]))
        self.assertFalse(Enrollment.objects.exists())
        self.assertFalse(AccessLogEntry.objects.filter(action=AccessAction.CREATE).exists())

    def test_an_enrollment_is_logged_as_created_naming_the_enrollment(self):
        group = make_group(self.strong, leader=self.course_leader)
        self.login(self.alice)
        self.client.post(reverse("referrals:enroll", args=[group.pk, self.olga.pk]))
        enrollment = Enrollment.objects.get()
        entry = AccessLogEntry.objects.get(action=AccessAction.CREATE)
        self.assertEqual(entry.what, f"enrollment {enrollment.pk}, group {group.pk}")

    def test_accepting_a_seat_no_longer_offered_is_refused_and_not_logged_as_a_change(self):
        group = make_group(self.strong, leader=self.course_leader, capacity=1)
        services.enroll(group, self.per)
        waiting = services.enroll(group, self.olga)
        self.login(self.alice)
        response = self.client.post(reverse("referrals:accept", args=[waiting.pk]), follow=True)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, EnrollmentStatus.WAITLISTED)
        self.assertFalse(AccessLogEntry.objects.filter(action=AccessAction.CHANGE).exists())
        self.assertEqual(len(list(response.context["messages"])), 1)

    def test_declining_an_offered_seat_offers_it_to_the_next(self):
        group = make_group(self.strong, leader=self.course_leader, capacity=1)
        seated = services.enroll(group, self.per)
        offered = services.enroll(group, self.olga)
        services.withdraw(seated)
        offered.refresh_from_db()
        self.assertEqual(offered.status, EnrollmentStatus.OFFERED)
        self.login(self.alice)
        self.client.post(reverse("referrals:decline", args=[offered.pk]))
        offered.refresh_from_db()
        self.assertEqual(offered.status, EnrollmentStatus.DECLINED)
        entry = AccessLogEntry.objects.get(action=AccessAction.CHANGE)
        self.assertEqual(entry.what, f"enrollment {offered.pk}: seat declined")
