"""API test helpers: a registered and approved client for the BaseTestCase people, and its tokens."""

from urllib.parse import urlencode

from trappa.accounts.models import Role
from trappa.api.clients import approve_client, register_client
from trappa.test import BaseTestCase


class ApiTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A second administrator: the one who approves what Ada registers.
        cls.approver = cls.make_user("arne", Role.ADMINISTRATOR, None)

    def make_client(self, scopes, unit=None, approve=True, role=Role.NURSE, name="Journal"):
        """A client acting for `unit` (Alice's unit by default, which sees Olga); returns (client, secret)."""
        client, secret = register_client(self.administrator, name, scopes, unit=unit or self.health, role=role)
        if approve:
            approve_client(self.approver, client)
        return client, secret

    def token_for(self, client, secret, scope=None):
        data = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": secret}
        if scope is not None:
            data["scope"] = scope
        response = self.post_form("/api/token/", data)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["access_token"]

    def api_client_with(self, *scopes, **options):
        client, secret = self.make_client(list(scopes), **options)
        return client, self.token_for(client, secret)

    def post_form(self, url, data, **headers):
        """POST as OAuth 2.0 clients do: application/x-www-form-urlencoded."""
        return self.client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded", **headers)

    def get_api(self, url, token, **params):
        return self.client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}")

    def post_api(self, url, token, data):
        return self.client.post(url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
