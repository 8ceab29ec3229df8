import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings

from tests.accounts.base import AccountsTestCase


@override_settings(AXES_FAILURE_LIMIT=3)
class LockoutTest(AccountsTestCase):
    def post_login(self, password, username="alice"):
        return self.client.post("/accounts/login/", {"username": username, "password": password})

    def fail(self, times, username="alice"):
        for _ in range(times):
            response = self.post_login("wrong password, again", username)
        return response

    def test_it_locks_the_username_out_after_the_failure_limit(self):
        self.assertEqual(self.fail(2).status_code, 200)
        response = self.fail(1)
        self.assertContains(response, "Account locked", status_code=429)
        self.assertContains(response, "3 failed login attempts", status_code=429)

    def test_a_locked_out_user_cannot_log_in_even_with_the_right_password(self):
        self.fail(3)
        response = self.post_login(self.password)
        self.assertContains(response, "Account locked", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lockout_is_per_username(self):
        self.fail(3)
        response = self.post_login(self.password, username="bob")
        self.assertEqual(response.status_code, 302)

    def test_a_successful_login_resets_the_count(self):
        self.fail(2)
        self.assertEqual(self.post_login(self.password).status_code, 302)
        self.client.logout()
        self.assertEqual(self.fail(2).status_code, 200)

    def test_the_lockout_ends_after_the_cool_off_time(self):
        self.fail(3)
        cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
        for attempt in AccessAttempt.objects.filter(username="alice"):
            attempt.attempt_time -= cool_off + datetime.timedelta(seconds=1)
            attempt.save(update_fields=["attempt_time"])
        self.assertEqual(self.post_login(self.password).status_code, 302)

    def test_an_administrator_can_unlock_the_account(self):
        self.fail(3)
        user_client, self.client = self.client, self.client_class()
        self.login(self.administrator)
        admin_client, self.client = self.client, user_client
        page = admin_client.get(f"/accounts/users/{self.alice.id}/")
        self.assertContains(page, "Unlock the account")
        admin_client.post(f"/accounts/users/{self.alice.id}/unlock/")
        self.assertEqual(self.post_login(self.password).status_code, 302)
