"""Enrolling an authenticator needs a one-time code from an approver (issue 12, finding 4)."""

import datetime

from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.base import AccountsTestCase
from tests.accounts.test_two_factor import TwoFactorMixin
from trappa.accounts import enrollment
from trappa.accounts.models import EnrollmentCode

ENROLL = "/accounts/two-factor/enroll/"


class EnrollmentCodeTest(TwoFactorMixin, AccountsTestCase):
    def test_the_password_alone_cannot_bind_an_authenticator(self):
        self.password_login(self.alice)
        response = self.client.get(ENROLL)
        self.assertContains(response, "Enrollment code")
        self.assertNotContains(response, "QR code")
        self.assertFalse(TOTPDevice.objects.filter(user=self.alice).exists())
        self.client.post(ENROLL, {"code": "123456"})
        self.assertFalse(TOTPDevice.objects.filter(user=self.alice, confirmed=True).exists())

    def test_a_code_from_the_approver_opens_enrollment_once(self):
        code = enrollment.issue(self.alice, self.unit_leader)
        device, backup = self.enroll(self.alice, code)
        self.assertTrue(TOTPDevice.objects.get(user=self.alice).confirmed)
        self.assertEqual(len(backup), 10)
        entry = EnrollmentCode.objects.get(user=self.alice)
        self.assertEqual(entry.issued_by, self.unit_leader)
        self.assertIsNotNone(entry.used_at)
        self.assertFalse(enrollment.redeem(self.alice, code))

    def test_an_expired_a_used_or_someone_elses_code_is_refused(self):
        code = enrollment.issue(self.bob, self.unit_leader)
        self.assertFalse(enrollment.redeem(self.alice, code))
        self.assertTrue(enrollment.redeem(self.bob, code))
        self.assertFalse(enrollment.redeem(self.bob, code))
        code = enrollment.issue(self.bob, self.unit_leader)
        EnrollmentCode.objects.filter(used_at=None).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        self.assertFalse(enrollment.redeem(self.bob, code))

    def test_a_new_code_makes_the_earlier_one_void(self):
        first = enrollment.issue(self.alice, self.administrator)
        second = enrollment.issue(self.alice, self.administrator)
        self.assertFalse(enrollment.redeem(self.alice, first))
        self.assertTrue(enrollment.redeem(self.alice, second))

    @override_settings(ENROLLMENT_CODE_HOURS=72)
    def test_a_code_expires_after_72_hours_by_default_and_is_stored_only_as_a_hash(self):
        code = enrollment.issue(self.alice, self.administrator)
        entry = EnrollmentCode.objects.get()
        self.assertEqual(entry.expires_at - entry.issued_at, datetime.timedelta(hours=72))
        self.assertNotIn(code.replace("-", ""), entry.code_hash)

    def test_the_unit_leader_issues_a_code_shown_once_and_nobody_issues_their_own(self):
        self.login(self.unit_leader)
        url = f"/accounts/users/{self.alice.pk}/enrollment-code/"
        response = self.client.post(url)
        code = response.context["code"]
        self.assertContains(response, code)
        self.assertNotContains(self.client.get(url), code)
        self.assertEqual(self.client.post(f"/accounts/users/{self.unit_leader.pk}/enrollment-code/").status_code, 403)
        self.assertEqual(self.client.post(f"/accounts/users/{self.therapist.pk}/enrollment-code/").status_code, 403)
        self.login(self.bob)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertEqual(EnrollmentCode.objects.count(), 1)
