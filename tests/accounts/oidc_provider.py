"""A small but real OpenID Connect provider for the tests, on 127.0.0.1 in a thread.

It serves the authorization endpoint (redirecting back with a code), the token
endpoint (an RS256-signed id_token, checking client, redirect URI and PKCE),
userinfo and the JWKS, like HelseID or ID-porten would. Tests set `subject`,
`acr` and `signing_key` (a different key than the published one makes a bad
signature) before going through the redirect dance.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID = "trappa-test"
CLIENT_SECRET = "not-so-secret"  # noqa: S105
KEY_ID = "stub-key-1"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_int(number):
    return b64url(number.to_bytes((number.bit_length() + 7) // 8, "big"))


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class StubProvider:
    def __init__(self):
        self.published_key = new_key()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    def reset(self):
        self.subject = "helseid-subject-alice"
        self.acr = "Level4"
        self.signing_key = self.published_key
        self.audience = CLIENT_ID
        self.grants = {}  # code -> what the authorization request asked for
        self.tokens = {}  # access token -> subject

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def settings(self):
        """Settings that point Trappa at this provider (for override_settings)."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_OP_ISSUER": self.url,
        }

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def authorize(self, query):
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {"error": "invalid_request"}, None
        code = secrets.token_urlsafe(16)
        self.grants[code] = query
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, None, location

    def token(self, form):
        grant = self.grants.pop(form.get("code"), None)
        if not grant or form.get("client_secret") != CLIENT_SECRET or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}, None
        if "code_challenge" in grant:
            verifier_hash = b64url(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if verifier_hash != grant["code_challenge"]:
                return 400, {"error": "invalid_grant"}, None
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = self.subject
        body = {"access_token": access_token, "token_type": "Bearer", "id_token": self.id_token(grant)}
        return 200, body, None

    def userinfo(self, authorization):
        subject = self.tokens.get(authorization.removeprefix("Bearer "))
        if subject is None:
            return 401, {"error": "invalid_token"}, None
        return 200, {"sub": subject, "name": "Alice Nurse"}, None

    def jwks(self):
        numbers = self.published_key.public_key().public_numbers()
        key = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KEY_ID, "n": b64url_int(numbers.n)}
        key["e"] = b64url_int(numbers.e)
        return 200, {"keys": [key]}, None

    def id_token(self, grant):
        now = int(time.time())
        claims = {"iss": self.url, "sub": self.subject, "aud": self.audience, "iat": now, "exp": now + 300}
        claims.update(nonce=grant.get("nonce"), acr=self.acr)
        header = {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
        signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
        signature = self.signing_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"


def _handler_for(provider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/authorize":
                self.answer(*provider.authorize(query))
            elif url.path == "/userinfo":
                self.answer(*provider.userinfo(self.headers.get("Authorization", "")))
            elif url.path == "/jwks":
                self.answer(*provider.jwks())
            else:
                self.answer(404, {"error": "not_found"}, None)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self.answer(*provider.token(form))
            else:
                self.answer(404, {"error": "not_found"}, None)

        def answer(self, status, body, location):
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            payload = json.dumps(body).encode() if body is not None else b""
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):  # keep the test output quiet
            pass

    return Handler
