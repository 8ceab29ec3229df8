"""HelseID access tokens (JWTs), validated against the configured key set, with a locally generated key.

The key set is served by patching PyJWKClient.fetch_data: nothing leaves the machine.
"""

import json
import time
from unittest import mock

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings

from tests.api.support import ApiTestCase
from trappa.api import authentication
from trappa.audit.models import AccessLogEntry

ISSUER = "https://helseid-sts.test.nhn.no"
AUDIENCE = "trappa/api"
HELSEID = {
    "HELSEID_JWKS_URL": f"{ISSUER}/.well-known/openid-configuration/jwks",
    "HELSEID_ISSUER": ISSUER,
    "HELSEID_AUDIENCE": AUDIENCE,
    "HELSEID_SCOPE_PREFIX": "trappa/api:",
}


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwks(key, kid):
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {"keys": [{**public, "kid": kid, "use": "sig", "alg": "RS256"}]}


@override_settings(**HELSEID)
class HelseIdTests(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key, cls.other_key = new_key(), new_key()

    def setUp(self):
        super().setUp()
        authentication._jwks_clients.clear()
        patcher = mock.patch.object(jwt.PyJWKClient, "fetch_data", return_value=jwks(self.key, "k1"))
        patcher.start()
        self.addCleanup(patcher.stop)
        self.api, _secret = self.make_client(["read:persons"])
        self.api.helseid_client_id = "helseid-journal"
        self.api.save(update_fields=["helseid_client_id"])

    def token(self, key=None, **claims):
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "exp": now + 300,
            "iat": now,
            "client_id": "helseid-journal",
            "scope": "trappa/api:read:persons",
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": "k1"})

    def test_a_valid_helseid_token_reads_with_its_scopes_and_is_logged(self):
        response = self.get_api(f"/api/persons/{self.olga.pk}/", self.token())
        self.assertEqual(response.status_code, 200)
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, user=self.api.user).exists())

    def test_a_token_signed_by_another_key_is_refused(self):
        self.assertEqual(self.get_api("/api/persons/", self.token(self.other_key)).status_code, 401)

    def test_wrong_issuer_audience_or_expiry_is_refused(self):
        for claims in ({"iss": "https://evil.example"}, {"aud": "someone-else"}, {"exp": int(time.time()) - 10}):
            with self.subTest(claims=claims):
                self.assertEqual(self.get_api("/api/persons/", self.token(**claims)).status_code, 401)

    def test_an_unknown_helseid_client_is_refused(self):
        self.assertEqual(self.get_api("/api/persons/", self.token(client_id="stranger")).status_code, 401)

    def test_scopes_are_those_helseid_gave_and_the_client_holds(self):
        token = self.token(scope="trappa/api:write:register")
        self.assertEqual(self.get_api("/api/persons/", token).status_code, 403)

    @override_settings(HELSEID_JWKS_URL="")
    def test_without_a_key_set_helseid_tokens_are_not_accepted(self):
        self.assertEqual(self.get_api("/api/persons/", self.token()).status_code, 401)
