"""Bearer tokens for the API: Trappa's own (from the token endpoint) or, when
configured, JWTs from HelseID validated against its published keys.

The API uses no session: a request carries its token and nothing else, so the
two-factor middleware (which acts on session logins) never sees a token
request, and a logged-in member of staff gets nothing from the API either.
"""

import jwt
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from trappa.api.models import Client, Token, token_digest
from trappa.api.scopes import Scope

INVALID = _("The token is invalid or has expired.")


class ApiIdentity:
    """What DRF keeps as request.auth: the client and the scopes of this request's token."""

    def __init__(self, client, scopes):
        self.client = client
        self.scopes = frozenset(scopes)


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            value = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        identity = _own_token(value) or _helseid_token(value)
        if identity is None:
            raise exceptions.AuthenticationFailed(INVALID)
        return identity.client.user, identity

    def authenticate_header(self, request):
        return 'Bearer realm="trappa"'


def _own_token(value):
    token = Token.objects.valid().select_related("client__user").filter(digest=token_digest(value)).first()
    if token is None or not token.client.user.is_active:
        return None
    return ApiIdentity(token.client, token.scopes)


def _helseid_token(value):
    """A HelseID access token (a JWT) for a client registered here by its HelseID client id."""
    if not settings.HELSEID_JWKS_URL or value.count(".") != 2:
        return None
    try:
        claims = jwt.decode(
            value,
            _signing_key(value),
            algorithms=["RS256", "PS256", "ES256"],
            audience=settings.HELSEID_AUDIENCE,
            issuer=settings.HELSEID_ISSUER,
            options={"require": ["exp", "iss", "aud", "client_id"]},
        )
    except jwt.PyJWTError:
        return None
    client = Client.objects.usable().select_related("user").filter(helseid_client_id=claims["client_id"]).first()
    if client is None or not client.user.is_active:
        return None
    asked = str(claims.get("scope", "")).split()
    return ApiIdentity(client, client.grantable([_local_scope(s) for s in asked]))


_jwks_clients = {}


def _signing_key(value):
    url = settings.HELSEID_JWKS_URL
    if url not in _jwks_clients:
        _jwks_clients[url] = jwt.PyJWKClient(url, cache_keys=True)
    return _jwks_clients[url].get_signing_key_from_jwt(value).key


def _local_scope(scope):
    """HelseID scopes carry the API's prefix ("trappa/api:read:persons"): keep the part after it."""
    prefix = settings.HELSEID_SCOPE_PREFIX
    return scope[len(prefix) :] if prefix and scope.startswith(prefix) else scope


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The schema's description of the tokens: OAuth 2.0 client credentials, one scope per operation."""

    target_class = BearerTokenAuthentication
    name = "clientCredentials"

    def get_security_definition(self, auto_schema):
        scopes = {scope.value: str(scope.label) for scope in Scope}
        return {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/api/token/", "scopes": scopes}}}

    def get_security_requirement(self, auto_schema):
        return {self.name: [auto_schema.view.required_scope]}
