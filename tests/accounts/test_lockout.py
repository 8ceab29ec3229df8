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


@override_settings(AXES_FAILURE_LIMIT=5, LOGIN_IP_FAILURE_LIMIT=15)
class LockoutCannotBeUsedAgainstAVictimTest(AccountsTestCase):
    """Issue 12, finding 5: a stranger's failures lock the stranger's address, not the user."""

    def post_login(self, username, password, address):
        return self.client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)

    def fail(self, username, address, times):
        for _ in range(times):
            response = self.post_login(username, "wrong password, again", address)
        return response

    def test_failures_from_another_address_do_not_lock_the_user_out(self):
        self.assertEqual(self.fail("kari", "203.0.113.66", 5).status_code, 429)
        response = self.post_login("kari", self.password, "192.0.2.10")
        self.assertEqual(response.status_code, 302)

    def test_the_address_that_failed_is_locked_out_of_that_username(self):
        self.fail("kari", "203.0.113.66", 5)
        self.assertEqual(self.post_login("kari", self.password, "203.0.113.66").status_code, 429)

    def test_one_address_spraying_many_usernames_is_throttled(self):
        for username in ("alice", "bob", "kari", "siri"):
            self.fail(username, "203.0.113.66", 4)  # 16 failures, none of them a lockout of its own
        response = self.post_login("cora", self.password, "203.0.113.66")
        self.assertContains(response, "Logins from this address are paused", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.post_login("cora", self.password, "192.0.2.10").status_code, 302)

    @override_settings(TRUSTED_PROXIES=1)
    def test_behind_a_proxy_the_forwarded_address_counts(self):
        for _ in range(5):
            self.client.post(
                "/accounts/login/",
                {"username": "kari", "password": "wrong password, again"},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.66",
            )
        response = self.client.post(
            "/accounts/login/",
            {"username": "kari", "password": self.password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.10",
        )
        self.assertEqual(response.status_code, 302)
