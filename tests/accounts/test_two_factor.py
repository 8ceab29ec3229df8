import re

from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.base import AccountsTestCase
from trappa.accounts import enrollment
from trappa.accounts.two_factor import reset_devices


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


class TwoFactorMixin:
    def password_login(self, user):
        response = self.client.post("/accounts/login/", {"username": user.username, "password": self.password})
        self.assertEqual(response.status_code, 302)
        return response

    def enroll(self, user, enrollment_code=None):
        """Log in with the password and set up TOTP with an enrollment code (issue 12: the password alone is not
        enough; an administrator issues one if none is given); returns (device, backup codes)."""
        self.password_login(user)
        self.enter_enrollment_code(user, enrollment_code)
        self.client.get("/accounts/two-factor/enroll/")
        device = TOTPDevice.objects.get(user=user)
        self.client.post("/accounts/two-factor/enroll/", {"code": current_code(device)})
        page = self.client.get("/accounts/two-factor/backup-codes/")
        codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
        self.client.post("/accounts/logout/")
        return device, codes

    def enter_enrollment_code(self, user, code=None):
        code = code or enrollment.issue(user, self.administrator)
        response = self.client.post("/accounts/two-factor/enroll/", {"enrollment_code": code})
        self.assertEqual(response.status_code, 302)


class EnrollmentTest(TwoFactorMixin, AccountsTestCase):
    def test_a_user_without_a_device_is_taken_to_enrollment(self):
        self.password_login(self.alice)
        response = self.client.get("/accounts/two-factor/?next=/people/")
        self.assertRedirects(response, "/accounts/two-factor/enroll/?next=%2Fpeople%2F", fetch_redirect_response=False)

    def test_it_shows_a_qr_code_and_the_secret(self):
        self.password_login(self.alice)
        self.enter_enrollment_code(self.alice)
        response = self.client.get("/accounts/two-factor/enroll/")
        self.assertContains(response, "<svg")
        device = TOTPDevice.objects.get(user=self.alice, confirmed=False)
        secret = response.context["secret"].replace(" ", "")
        self.assertIn(secret, device.config_url)

    def test_it_keeps_the_same_secret_until_confirmed(self):
        self.password_login(self.alice)
        self.enter_enrollment_code(self.alice)
        first = self.client.get("/accounts/two-factor/enroll/").context["secret"]
        second = self.client.get("/accounts/two-factor/enroll/").context["secret"]
        self.assertEqual(first, second)

    def test_an_unconfirmed_device_does_not_count(self):
        self.password_login(self.alice)
        self.enter_enrollment_code(self.alice)
        self.client.get("/accounts/two-factor/enroll/")
        self.assertRedirects(self.client.get("/"), "/accounts/two-factor/?next=/", fetch_redirect_response=False)

    def test_it_rejects_a_wrong_confirmation_code(self):
        self.password_login(self.alice)
        self.enter_enrollment_code(self.alice)
        self.client.get("/accounts/two-factor/enroll/")
        device = TOTPDevice.objects.get(user=self.alice)
        wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
        response = self.client.post("/accounts/two-factor/enroll/", {"code": wrong})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        device.refresh_from_db()
        self.assertFalse(device.confirmed)

    def test_it_confirms_with_a_right_code_and_shows_backup_codes_once(self):
        self.password_login(self.alice)
        self.enter_enrollment_code(self.alice)
        self.client.get("/accounts/two-factor/enroll/?next=/people/")
        device = TOTPDevice.objects.get(user=self.alice)
        response = self.client.post("/accounts/two-factor/enroll/?next=/people/", {"code": current_code(device)})
        self.assertRedirects(
            response, "/accounts/two-factor/backup-codes/?next=%2Fpeople%2F", fetch_redirect_response=False
        )
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        page = self.client.get("/accounts/two-factor/backup-codes/?next=/people/")
        self.assertEqual(len(page.context["codes"]), 10)
        self.assertEqual(StaticToken.objects.filter(device__user=self.alice).count(), 10)
        self.assertContains(page, 'href="/people/"')
        again = self.client.get("/accounts/two-factor/backup-codes/")
        self.assertEqual(again.status_code, 302)
        self.assertContains(self.client.get("/"), "Alice")

    def test_a_user_with_a_device_cannot_enroll_another(self):
        self.enroll(self.alice)
        self.password_login(self.alice)
        response = self.client.get("/accounts/two-factor/enroll/")
        self.assertRedirects(response, "/accounts/two-factor/", fetch_redirect_response=False)
        self.assertEqual(TOTPDevice.objects.filter(user=self.alice).count(), 1)


class VerificationTest(TwoFactorMixin, AccountsTestCase):
    def setUp(self):
        self.device = TOTPDevice.objects.create(user=self.alice, name="phone", confirmed=True)
        self.password_login(self.alice)

    def test_it_asks_for_a_code(self):
        response = self.client.get("/accounts/two-factor/")
        self.assertContains(response, 'name="code"')

    def test_it_accepts_a_right_code(self):
        response = self.client.post("/accounts/two-factor/?next=/people/", {"code": current_code(self.device)})
        self.assertRedirects(response, "/people/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/"), "Alice")

    def test_it_rejects_a_wrong_code(self):
        wrong = f"{(int(current_code(self.device)) + 1) % 1000000:06d}"
        response = self.client.post("/accounts/two-factor/", {"code": wrong})
        self.assertContains(response, 'class="errorlist')
        self.assertRedirects(self.client.get("/"), "/accounts/two-factor/?next=/", fetch_redirect_response=False)

    def test_it_does_not_accept_the_same_code_twice(self):
        code = current_code(self.device)
        self.client.post("/accounts/two-factor/", {"code": code})
        self.client.post("/accounts/logout/")
        self.password_login(self.alice)
        response = self.client.post("/accounts/two-factor/", {"code": code})
        self.assertEqual(response.status_code, 200)

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
    def test_it_throttles_attempts_after_a_wrong_code(self):
        wrong = f"{(int(current_code(self.device)) + 1) % 1000000:06d}"
        self.client.post("/accounts/two-factor/", {"code": wrong})
        response = self.client.post("/accounts/two-factor/", {"code": current_code(self.device)})
        self.assertContains(response, "Wait a minute")
        self.assertRedirects(self.client.get("/"), "/accounts/two-factor/?next=/", fetch_redirect_response=False)

    def test_it_ignores_a_next_address_on_another_site(self):
        response = self.client.post(
            "/accounts/two-factor/?next=https://evil.example/", {"code": current_code(self.device)}
        )
        self.assertRedirects(response, "/workday/", fetch_redirect_response=False)


class BackupCodeTest(TwoFactorMixin, AccountsTestCase):
    def test_a_backup_code_works_once(self):
        _, codes = self.enroll(self.alice)
        self.assertEqual(len(codes), 10)
        self.password_login(self.alice)
        response = self.client.post("/accounts/two-factor/", {"code": codes[0]})
        self.assertRedirects(response, "/workday/", fetch_redirect_response=False)
        self.client.post("/accounts/logout/")
        self.password_login(self.alice)
        response = self.client.post("/accounts/two-factor/", {"code": codes[0]})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(StaticToken.objects.filter(device__user=self.alice).count(), 9)

    @override_settings(OTP_STATIC_THROTTLE_FACTOR=0)  # no wait after the refused old code
    def test_backup_codes_from_before_a_reset_no_longer_work(self):
        _, old_codes = self.enroll(self.alice)
        reset_devices(self.alice)
        _, new_codes = self.enroll(self.alice)
        self.assertFalse(set(old_codes) & set(new_codes))
        self.password_login(self.alice)
        response = self.client.post("/accounts/two-factor/", {"code": old_codes[0]})
        self.assertEqual(response.status_code, 200)
        response = self.client.post("/accounts/two-factor/", {"code": new_codes[0]})
        self.assertEqual(response.status_code, 302)
