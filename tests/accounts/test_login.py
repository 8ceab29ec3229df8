import time

from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from tests.accounts.base import AccountsTestCase
from trappa.accounts.middleware import LAST_SEEN_SESSION_KEY, LOGGED_IN_AT_SESSION_KEY


class LoginTest(AccountsTestCase):
    def post_login(self, username="alice", password=None, **extra):
        data = {"username": username, "password": password or self.password, **extra}
        return self.client.post("/accounts/login/", data)

    def test_it_shows_the_login_form(self):
        response = self.client.get("/accounts/login/")
        self.assertContains(response, 'name="username"')
        self.assertContains(response, 'name="password"')

    def test_it_logs_in_and_asks_a_nurse_for_the_second_factor(self):
        response = self.post_login()
        self.assertRedirects(response, "/accounts/two-factor/?next=/workday/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.id)

    def test_it_asks_a_planner_too_for_the_second_factor(self):
        # Every member of staff gives a second factor (issue 12): planners see aggregates of health data.
        response = self.post_login("petter")
        self.assertRedirects(response, "/accounts/two-factor/?next=/workday/", fetch_redirect_response=False)
        response = self.client.get("/planning/")
        self.assertRedirects(response, "/accounts/two-factor/?next=/planning/", fetch_redirect_response=False)

    def test_it_rejects_a_wrong_password(self):
        response = self.post_login(password="not the password at all")
        self.assertTrue(response.context["form"].non_field_errors())
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_rejects_a_deactivated_user(self):
        self.alice.is_active = False
        self.alice.save(update_fields=["is_active"])
        self.post_login()
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_keeps_a_safe_next_address(self):
        response = self.post_login("petter", next="/planning/")
        self.assertRedirects(response, "/accounts/two-factor/?next=/planning/", fetch_redirect_response=False)

    def test_it_ignores_a_next_address_on_another_site(self):
        for unsafe in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
            self.client.logout()
            response = self.post_login("petter", next=unsafe)
            self.assertRedirects(response, "/accounts/two-factor/?next=/workday/", fetch_redirect_response=False)

    def test_it_passes_the_next_address_on_to_the_second_factor(self):
        response = self.post_login(next="/people/")
        self.assertRedirects(response, "/accounts/two-factor/?next=/people/", fetch_redirect_response=False)

    def test_it_hashes_passwords_with_argon2(self):
        self.alice.refresh_from_db()
        self.assertEqual(identify_hasher(self.alice.password).algorithm, "argon2")


class LogoutTest(AccountsTestCase):
    def test_it_logs_out_by_post(self):
        self.login(self.alice)
        response = self.client.post("/accounts/logout/")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_does_not_log_out_by_get(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/accounts/logout/").status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)


class IdleSessionTest(AccountsTestCase):
    def set_last_seen(self, seconds_ago, key=LAST_SEEN_SESSION_KEY):
        session = self.client.session
        session[key] = int(time.time()) - seconds_ago
        session.save()

    @override_settings(SESSION_IDLE_SECONDS=600)
    def test_it_ends_a_session_left_idle_too_long(self):
        self.login(self.alice)
        self.set_last_seen(601)
        response = self.client.get("/")
        self.assertRedirects(response, "/accounts/login/?next=/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertContains(self.client.get("/accounts/login/"), "Your session has ended")

    @override_settings(SESSION_IDLE_SECONDS=600)
    def test_it_keeps_an_active_session(self):
        self.login(self.alice)
        self.set_last_seen(500)
        self.assertContains(self.client.get("/"), "Alice")
        self.assertGreater(self.client.session[LAST_SEEN_SESSION_KEY], int(time.time()) - 10)

    @override_settings(SESSION_COOKIE_AGE=3600)
    def test_it_ends_a_session_older_than_its_lifetime_even_when_active(self):
        self.login(self.alice)
        self.assertContains(self.client.get("/"), "Alice")
        self.set_last_seen(3601, key=LOGGED_IN_AT_SESSION_KEY)
        response = self.client.get("/")
        self.assertRedirects(response, "/accounts/login/?next=/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_new_login_starts_a_new_lifetime(self):
        self.client.post("/accounts/login/", {"username": "petter", "password": self.password})
        self.assertGreater(self.client.session[LOGGED_IN_AT_SESSION_KEY], int(time.time()) - 10)
