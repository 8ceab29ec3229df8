"""Machine clients (OAuth 2.0 client credentials) and the short-lived tokens issued to them.

A client acts through a service user of its own: the access helpers and the
access log see that user, named after the client, so every read and write of a
person through the API is checked and logged exactly as a page's is. The
service user has no usable password and no OpenID subject: it cannot log in.

Secrets and tokens are stored hashed. A secret is hashed like a password
(argon2); a token is 256 random bits, so a SHA-256 digest is enough to store it
and lets a request find its token with one indexed query.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.api.scopes import Scope

# The prefix of a service user's username: the access log names the client.
SERVICE_USER_PREFIX = "api-client:"


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ClientQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(active=True, approved_at__isnull=False)


class Client(models.Model):
    """A journal system, the register or another machine that calls the API."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    client_id = models.CharField(max_length=40, unique=True, editable=False)
    secret_hash = models.CharField(max_length=200, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    # The client's id at HelseID, if it calls with HelseID access tokens instead of Trappa's own.
    helseid_client_id = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # The service user the client acts as (see the module docstring).
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Separation of duties: one administrator creates a client, another approves it.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="api_client_name_unique")]

    def __str__(self):
        return self.name

    @staticmethod
    def new_client_id():
        return secrets.token_hex(16)

    @staticmethod
    def new_secret():
        return secrets.token_urlsafe(32)

    def set_secret(self, secret):
        self.secret_hash = make_password(secret)

    def check_secret(self, secret):
        return check_password(secret, self.secret_hash)

    @property
    def is_usable(self):
        return self.active and self.approved_at is not None and self.user.is_active

    def grantable(self, asked):
        """The scopes of `asked` this client holds (all of its scopes if none were asked for)."""
        held = [s for s in Scope.values if s in self.scopes]
        return held if not asked else [s for s in held if s in asked]


class TokenQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(expires_at__gt=timezone.now(), client__active=True, client__approved_at__isnull=False)


class Token(models.Model):
    """A bearer token issued by the token endpoint; only its digest is stored."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = TokenQuerySet.as_manager()

    @classmethod
    def issue(cls, client, scopes):
        """Create a token; returns (the Token, the token itself, which is shown only now)."""
        value = secrets.token_urlsafe(32)
        now = timezone.now()
        expires_at = now + timedelta(seconds=settings.API_TOKEN_SECONDS)
        token = cls.objects.create(
            client=client, digest=token_digest(value), scopes=scopes, issued_at=now, expires_at=expires_at
        )
        return token, value
