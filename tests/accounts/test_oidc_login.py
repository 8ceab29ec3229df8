"""OpenID Connect login against a stub provider running on 127.0.0.1: the
whole redirect dance, with the Django test client on Trappa's side."""

from urllib.parse import urlsplit

import requests
from django.test import override_settings

from tests.accounts.base import AccountsTestCase
from tests.accounts.oidc_provider import StubProvider, new_key
from trappa.accounts.models import User


class OIDCLoginTest(AccountsTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = StubProvider()
        cls.provider.start()
        cls.addClassCleanup(cls.provider.stop)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alice.oidc_subject = "helseid-subject-alice"
        cls.alice.save(update_fields=["oidc_subject"])

    def setUp(self):
        self.provider.reset()
        overrides = self.settings(**self.provider.settings())
        overrides.enable()
        self.addCleanup(overrides.disable)

    def oidc_login(self, next_url="/people/"):
        """Press the button, let the provider answer, and follow it back to Trappa."""
        response = self.client.get("/oidc/authenticate/", {"next": next_url})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(f"{self.provider.url}/authorize?"))
        answer = requests.get(response["Location"], allow_redirects=False, timeout=5)
        self.assertEqual(answer.status_code, 302)
        callback = urlsplit(answer.headers["Location"])
        self.assertEqual(callback.path, "/oidc/callback/")
        return self.client.get(f"{callback.path}?{callback.query}")

    def assert_logged_out(self):
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_logs_in_a_known_subject_and_a_strong_acr_skips_totp(self):
        response = self.oidc_login()
        self.assertRedirects(response, "/people/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.id)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Alice")

    def test_a_weaker_acr_still_needs_totp(self):
        self.provider.acr = "Level3"
        response = self.oidc_login()
        self.assertRedirects(response, "/accounts/two-factor/?next=/people/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.id)
        response = self.client.get("/")
        self.assertRedirects(response, "/accounts/two-factor/?next=/", fetch_redirect_response=False)

    def test_it_refuses_an_unknown_subject_and_creates_no_user(self):
        self.provider.subject = "someone-nobody-provisioned"
        users_before = User.objects.count()
        response = self.oidc_login()
        self.assertContains(response, "Login refused", status_code=403)
        self.assertEqual(User.objects.count(), users_before)
        self.assert_logged_out()

    def test_it_refuses_an_id_token_with_a_bad_signature(self):
        self.provider.signing_key = new_key()
        response = self.oidc_login()
        self.assertContains(response, "Login refused", status_code=403)
        self.assert_logged_out()

    def test_it_refuses_an_id_token_meant_for_another_client(self):
        self.provider.audience = "another-service"
        response = self.oidc_login()
        self.assertEqual(response.status_code, 403)
        self.assert_logged_out()

    def test_it_refuses_a_deactivated_user(self):
        User.objects.filter(pk=self.alice.pk).update(is_active=False)
        response = self.oidc_login()
        self.assertEqual(response.status_code, 403)
        self.assert_logged_out()

    def test_it_refuses_a_callback_with_a_state_this_session_never_sent(self):
        self.client.get("/oidc/authenticate/")
        response = self.client.get("/oidc/callback/", {"code": "stolen", "state": "forged"})
        self.assertEqual(response.status_code, 403)
        self.assert_logged_out()

    def test_it_refuses_when_the_provider_reports_an_error(self):
        response = self.client.get("/oidc/callback/", {"error": "access_denied"})
        self.assertContains(response, "Login refused", status_code=403)

    def test_it_ignores_a_next_address_on_another_site(self):
        response = self.oidc_login(next_url="https://evil.example/")
        self.assertRedirects(response, "/workday/", fetch_redirect_response=False)

    def test_refused_logins_do_not_lock_out_the_provider_login(self):
        self.provider.subject = "someone-nobody-provisioned"
        for _ in range(6):
            self.assertEqual(self.oidc_login().status_code, 403)
        self.provider.subject = "helseid-subject-alice"
        self.assertEqual(self.oidc_login().status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.id)

    def test_the_login_page_offers_the_provider(self):
        response = self.client.get("/accounts/login/")
        self.assertContains(response, "Log in with HelseID")
        self.assertContains(response, 'href="/oidc/authenticate/?next=/workday/"')


class OIDCDisabledTest(AccountsTestCase):
    @override_settings(OIDC_ENABLED=False)
    def test_it_offers_no_provider_login_when_it_is_off(self):
        response = self.client.get("/accounts/login/")
        self.assertNotContains(response, "Log in with")
        self.assertEqual(self.client.get("/oidc/authenticate/").status_code, 404)
        self.assertEqual(self.client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code, 404)
