"""The token endpoint: OAuth 2.0 client credentials with scopes."""

import base64
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from tests.api.support import ApiTestCase
from trappa.api.clients import approve_client, deactivate_client, new_secret, register_client
from trappa.api.models import Client, Token, token_digest


class TokenTests(ApiTestCase):
    def request_token(self, client_id, secret, **extra):
        data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **extra}
        return self.post_form("/api/token/", data)

    def test_it_issues_a_short_lived_bearer_token_with_the_clients_scopes(self):
        client, secret = self.make_client(["read:persons", "write:register"])
        response = self.request_token(client.client_id, secret)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["token_type"], "Bearer")
        self.assertEqual(body["expires_in"], 600)
        self.assertEqual(body["scope"], "read:persons write:register")
        self.assertEqual(response["Cache-Control"], "no-store")
        token = Token.objects.get(digest=token_digest(body["access_token"]))
        self.assertAlmostEqual(token.expires_at, timezone.now() + timedelta(seconds=600), delta=timedelta(seconds=5))

    def test_it_stores_neither_the_secret_nor_the_token_in_clear(self):
        client, secret = self.make_client(["read:persons"])
        value = self.token_for(client, secret)
        client.refresh_from_db()
        self.assertNotIn(secret, client.secret_hash)
        self.assertTrue(client.secret_hash.startswith("argon2"))
        self.assertFalse(Token.objects.filter(digest=value).exists())

    def test_it_narrows_to_the_scopes_asked_for(self):
        client, secret = self.make_client(["read:persons", "write:register"])
        response = self.request_token(client.client_id, secret, scope="read:persons")
        self.assertEqual(response.json()["scope"], "read:persons")

    def test_it_refuses_a_scope_the_client_does_not_hold(self):
        client, secret = self.make_client(["read:persons"])
        response = self.request_token(client.client_id, secret, scope="read:persons write:register")
        self.assertEqual((response.status_code, response.json()), (400, {"error": "invalid_scope"}))

    def test_it_accepts_http_basic_client_authentication(self):
        client, secret = self.make_client(["read:persons"])
        basic = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
        response = self.post_form(
            "/api/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
        )
        self.assertEqual(response.status_code, 200)

    def test_it_refuses_a_wrong_secret_an_unknown_client_and_another_grant(self):
        client, secret = self.make_client(["read:persons"])
        self.assertEqual(self.request_token(client.client_id, secret + "x").status_code, 401)
        self.assertEqual(self.request_token("nobody", secret).status_code, 401)
        response = self.request_token(client.client_id, secret, grant_type="password")
        self.assertEqual(response.json(), {"error": "unsupported_grant_type"})

    def test_an_unapproved_or_deactivated_client_gets_no_token(self):
        client, secret = self.make_client(["read:persons"], approve=False)
        self.assertEqual(self.request_token(client.client_id, secret).status_code, 401)
        approve_client(self.approver, client)
        token = self.token_for(client, secret)
        deactivate_client(self.administrator, client)
        self.assertEqual(self.request_token(client.client_id, secret).status_code, 401)
        self.assertEqual(self.get_api("/api/persons/", token).status_code, 401)

    def test_a_new_secret_replaces_the_old_one(self):
        client, secret = self.make_client(["read:persons"])
        fresh = new_secret(self.administrator, client)
        self.assertEqual(self.request_token(client.client_id, secret).status_code, 401)
        self.assertEqual(self.request_token(client.client_id, fresh).status_code, 200)

    def test_an_expired_token_is_refused(self):
        client, token = self.api_client_with("read:persons")
        Token.objects.filter(client=client).update(expires_at=timezone.now() - timedelta(seconds=1))
        response = self.get_api("/api/persons/", token)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="trappa"')

    @override_settings(API_TOKEN_SECONDS=60)
    def test_the_lifetime_comes_from_the_settings(self):
        client, secret = self.make_client(["read:persons"])
        self.assertEqual(self.request_token(client.client_id, secret).json()["expires_in"], 60)


class ClientManagementTests(ApiTestCase):
    def test_only_an_administrator_of_the_municipality_registers_a_client(self):
        for user in (self.unit_leader, self.alice, self.planner):
            with self.assertRaises(PermissionDenied):
                register_client(user, "Journal", ["read:persons"])

    def test_the_one_who_registered_a_client_cannot_approve_it(self):
        client, _secret = self.make_client(["read:persons"], approve=False)
        with self.assertRaises(PermissionDenied):
            approve_client(self.administrator, client)
        with self.assertRaises(PermissionDenied):
            approve_client(self.unit_leader, client)
        approve_client(self.approver, client)
        self.assertTrue(Client.objects.usable().filter(pk=client.pk).exists())

    def test_the_service_user_cannot_log_in(self):
        client, secret = self.make_client(["read:persons"])
        self.assertFalse(client.user.has_usable_password())
        self.assertFalse(client.user.check_password(secret))
        self.assertIsNone(client.user.oidc_subject)
