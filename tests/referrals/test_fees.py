"""Course fees: the course leader marks each participant's fee paid or not paid on the
group page, and lists who has not paid. Every change and every list is in the access log."""

import datetime
from unittest import mock

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.referrals.base import ReferralTestCase, make_group
from trappa.accounts.models import Role
from trappa.audit import access
from trappa.audit.models import AccessAction, AccessLogEntry, CareRelationship
from trappa.referrals import services
from trappa.referrals.models import EnrollmentStatus


@override_settings(LANGUAGE_CODE="en")
class FeeTestCase(ReferralTestCase):
    def setUp(self):
        # Kari leads the course, so enrolling gives her access to the participants.
        self.group = make_group(self.strong, leader=self.course_leader, capacity=2, fee=150)
        self.enrollment = services.enroll(self.group, self.olga)

    def mark(self, user, paid="yes", enrollment=None):
        self.login(user)
        enrollment = enrollment or self.enrollment
        return self.client.post(reverse("referrals:fee", args=[enrollment.pk]), {"paid": paid})

    def assert_unchanged(self):
        self.enrollment.refresh_from_db()
        self.assertEqual((self.enrollment.fee_paid, self.enrollment.fee_paid_by), (False, None))
        self.assertFalse(AccessLogEntry.objects.filter(action=AccessAction.CHANGE).exists())


class MarkFeeTest(FeeTestCase):
    def test_a_course_leader_marks_a_fee_paid_and_the_group_page_shows_it(self):
        response = self.mark(self.course_leader)
        self.assertRedirects(response, reverse("referrals:group", args=[self.group.pk]))
        self.enrollment.refresh_from_db()
        self.assertTrue(self.enrollment.fee_paid)
        self.assertEqual(self.enrollment.fee_paid_by, self.course_leader)
        self.assertIsNotNone(self.enrollment.fee_paid_at)
        page = self.client.get(reverse("referrals:group", args=[self.group.pk]))
        self.assertContains(page, "by Kari)")
        self.assertContains(page, "Mark as not paid")

    def test_the_change_is_in_the_access_log_with_who_made_it(self):
        self.mark(self.course_leader)
        entry = AccessLogEntry.objects.get(action=AccessAction.CHANGE)
        self.assertEqual((entry.person, entry.user), (self.olga, self.course_leader))
        self.assertEqual(entry.what, f"enrollment {self.enrollment.pk}: fee marked paid")

    def test_it_marks_a_fee_not_paid_again(self):
        self.mark(self.course_leader)
        self.mark(self.course_leader, paid="no")
        self.enrollment.refresh_from_db()
        self.assertEqual(
            (self.enrollment.fee_paid, self.enrollment.fee_paid_at, self.enrollment.fee_paid_by), (False, None, None)
        )
        self.assertTrue(AccessLogEntry.objects.filter(what__endswith="fee marked not paid").exists())

    def test_the_group_page_has_a_labelled_button_per_participant(self):
        self.login(self.course_leader)
        page = self.client.get(reverse("referrals:group", args=[self.group.pk]))
        self.assertContains(
            page, 'Mark as paid<span class="visually-hidden">: Olga Nordmann</span></button>', html=False
        )

    def test_a_nurse_sees_the_fee_but_cannot_mark_it(self):
        self.login(self.alice)  # Olga is on Alice's worklist
        page = self.client.get(reverse("referrals:group", args=[self.group.pk]))
        self.assertContains(page, "Not paid")
        self.assertNotContains(page, "Mark as paid")
        self.assertEqual(self.mark(self.alice).status_code, 403)
        self.assert_unchanged()

    def test_a_course_leader_without_a_care_relationship_is_refused(self):
        # Per's enrollment gives Kari access to him; Kjell has none (Olga is on his unit's worklist).
        per = services.enroll(self.group, self.per)
        other = self.make_user("kjell", Role.COURSE_LEADER, self.health)
        self.assertEqual(self.mark(other, enrollment=per).status_code, 403)
        per.refresh_from_db()
        self.assertFalse(per.fee_paid)
        self.assert_unchanged()

    def test_charlie_of_another_municipality_cannot(self):
        self.assertEqual(self.mark(self.charlie).status_code, 403)  # a nurse: refused before any look-up
        na_leader = self.make_user("nils", Role.COURSE_LEADER, self.na_health, municipality=self.nord_aurdal)
        self.assertEqual(self.mark(na_leader).status_code, 404)  # the right role: nothing hints at Olga
        self.assert_unchanged()

    def test_an_unknown_answer_writes_nothing(self):
        response = self.mark(self.course_leader, paid="maybe")
        self.assertRedirects(response, reverse("referrals:group", args=[self.group.pk]), fetch_redirect_response=False)
        self.assertContains(self.client.get(response["Location"]), "Say whether the fee is paid.")
        self.assert_unchanged()

    def test_a_group_without_a_fee_has_no_fee_to_mark(self):
        group = make_group(self.strong, leader=self.course_leader, name="Gratis")
        enrollment = services.enroll(group, self.per)
        response = self.mark(self.course_leader, enrollment=enrollment)
        self.assertContains(self.client.get(response["Location"]), "This group has no fee.")
        enrollment.refresh_from_db()
        self.assertFalse(enrollment.fee_paid)

    def test_someone_on_the_waitlist_has_no_fee_to_mark(self):
        services.enroll(self.group, self.per)
        waiting = services.enroll(
            self.group, self.make_person("01014400000", "Vera", "Venter", self.olga.birth_date, "F")
        )
        self.assertEqual(waiting.status, EnrollmentStatus.WAITLISTED)
        response = self.mark(self.course_leader, enrollment=waiting)
        self.assertContains(self.client.get(response["Location"]), "Only participants with a seat pay the fee.")
        waiting.refresh_from_db()
        self.assertFalse(waiting.fee_paid)


class MarkFeeOnceTest(FeeTestCase):
    """A repeat changes nothing, a withdrawn participant cannot be marked, and the change and its
    log entry are stored together."""

    def test_marking_a_fee_paid_twice_keeps_the_first_marker_and_says_so(self):
        self.mark(self.course_leader)
        first = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=datetime.UTC)
        type(self.enrollment).objects.filter(pk=self.enrollment.pk).update(fee_paid_at=first)
        response = self.mark(self.course_leader)
        self.assertContains(self.client.get(response["Location"]), "The fee is already marked as paid.")
        self.enrollment.refresh_from_db()
        self.assertEqual((self.enrollment.fee_paid_at, self.enrollment.fee_paid_by), (first, self.course_leader))
        self.assertEqual(AccessLogEntry.objects.filter(action=AccessAction.CHANGE).count(), 1)

    def test_marking_not_paid_when_not_paid_changes_and_logs_nothing(self):
        response = self.mark(self.course_leader, paid="no")
        self.assertContains(self.client.get(response["Location"]), "The fee is already marked as not paid.")
        self.assert_unchanged()

    def test_each_real_change_is_logged_exactly_once(self):
        for paid in ("yes", "yes", "no", "no", "yes"):
            self.mark(self.course_leader, paid=paid)
        changes = AccessLogEntry.objects.filter(action=AccessAction.CHANGE).order_by("pk")
        whats = list(changes.values_list("what", flat=True))
        prefix = f"enrollment {self.enrollment.pk}: fee marked "
        self.assertEqual(whats, [prefix + "paid", prefix + "not paid", prefix + "paid"])

    def test_a_participant_withdrawn_meanwhile_cannot_be_marked_paid(self):
        stale = type(self.enrollment).objects.get(pk=self.enrollment.pk)  # read before the withdrawal
        services.withdraw(self.enrollment)
        with self.assertRaisesMessage(ValidationError, "Only participants with a seat pay the fee."):
            services.set_fee_paid(stale, True, self.course_leader)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.status, EnrollmentStatus.WITHDRAWN)
        self.assertEqual((self.enrollment.fee_paid, self.enrollment.fee_paid_by), (False, None))

    def test_a_withdrawn_participant_cannot_be_marked_through_the_page(self):
        services.withdraw(self.enrollment)
        response = self.mark(self.course_leader)
        self.assertContains(self.client.get(response["Location"]), "Only participants with a seat pay the fee.")
        self.assert_unchanged()

    def test_if_the_log_entry_cannot_be_written_the_fee_is_not_marked(self):
        real = access.log_access

        def failing_change(request, person, grant, what, action=AccessAction.VIEW):
            if action == AccessAction.CHANGE:
                raise RuntimeError("the access log is unavailable")
            return real(request, person, grant, what, action)

        with mock.patch("trappa.referrals.access.log_access", side_effect=failing_change):
            with self.assertRaises(RuntimeError):
                self.mark(self.course_leader)
        self.assert_unchanged()


class UnpaidFeesTest(FeeTestCase):
    def test_it_lists_the_name_and_amount_of_those_who_have_not_paid(self):
        per = services.enroll(self.group, self.per)
        services.set_fee_paid(per, True, self.course_leader)
        self.login(self.course_leader)
        response = self.client.get(reverse("referrals:unpaid_fees", args=[self.group.pk]))
        self.assertContains(response, "Olga Nordmann")
        self.assertContains(response, "<td>150.00</td>", html=True)
        self.assertNotContains(response, "Utenfor")  # Per has paid

    def test_the_list_is_in_the_access_log(self):
        self.login(self.course_leader)
        self.client.get(reverse("referrals:unpaid_fees", args=[self.group.pk]))
        entry = AccessLogEntry.objects.get(person=self.olga, user=self.course_leader)
        self.assertEqual((entry.action, entry.what), (AccessAction.LIST, f"unpaid fees, group {self.group.pk}"))

    def test_it_lists_only_persons_the_user_may_see(self):
        per = services.enroll(self.group, self.per)
        CareRelationship.objects.filter(pk=per.care_relationship_id).update(ended_at=timezone.now())
        self.login(self.course_leader)
        response = self.client.get(reverse("referrals:unpaid_fees", args=[self.group.pk]))
        self.assertContains(response, "Olga Nordmann")
        self.assertNotContains(response, "Utenfor")
        self.assertFalse(AccessLogEntry.objects.filter(person=self.per).exists())

    def test_a_nurse_cannot_open_it(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("referrals:unpaid_fees", args=[self.group.pk])).status_code, 403)

    def test_another_municipalitys_group_is_not_found(self):
        na_leader = self.make_user("nils", Role.COURSE_LEADER, self.na_health, municipality=self.nord_aurdal)
        self.login(na_leader)
        self.assertEqual(self.client.get(reverse("referrals:unpaid_fees", args=[self.group.pk])).status_code, 404)
