"""OpenID Connect login (HelseID, ID-porten).

Users are provisioned by an administrator and matched on their subject claim
(`User.oidc_subject`); none are created here. An id_token whose acr is in
OIDC_STRONG_ACR_VALUES counts as strong authentication, so no local second
factor is asked for; a weaker login still needs TOTP. Anything wrong with the
provider's answer (bad signature, wrong audience, expired token, unknown
subject, network errors) ends in the same clear refusal, never a 500.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from trappa.accounts.middleware import STRONG_LOGIN_SESSION_KEY, needs_verification
from trappa.accounts.routes import public

logger = logging.getLogger(__name__)

# What a provider's broken or hostile answer can raise inside the code flow.
PROVIDER_ERRORS = (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, ValueError, KeyError, TypeError)


class TrappaOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Password logins pass through every backend; this one answers only the OIDC callback.
        if not settings.OIDC_ENABLED or "username" in kwargs or "password" in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except PROVIDER_ERRORS as exc:
            logger.warning("OpenID Connect login refused: %s", exc)
            return None

    def get_payload_data(self, token, key):
        """Verify the id_token's signature, audience, expiry and (when configured) issuer."""
        algorithm = jwt.get_unverified_header(token).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"id_token signed with {algorithm!r}, expected {self.OIDC_RP_SIGN_ALGO!r}")
        return jwt.decode(
            token,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_OP_ISSUER or None,
            options={"require": ["exp", "iat", "aud", "sub"]},
        )

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo subject differs from the id_token subject")
        claims = {**userinfo, **payload}  # the signed id_token wins over userinfo
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) != 1:
            logger.warning("OpenID Connect login refused: no single active user with this subject")
            return None
        user = users[0]
        user.trappa_strong_login = claims.get("acr") in settings.OIDC_STRONG_ACR_VALUES
        return user

    def filter_users_by_claims(self, claims):
        subject = claims.get(settings.OIDC_SUBJECT_CLAIM)
        if not subject or not isinstance(subject, str):
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(oidc_subject=subject, is_active=True)


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (the "Log in with HelseID" button)."""

    @classmethod
    def as_view(cls, **initkwargs):
        return public(super().as_view(**initkwargs))

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code to exchange."""

    @classmethod
    def as_view(cls, **initkwargs):
        return public(super().as_view(**initkwargs))

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # e.g. a state this session never sent
            logger.warning("OpenID Connect callback refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        return render(self.request, "accounts/oidc_refused.html", status=403)

    def login_success(self):
        next_url = self.success_url  # read before login(), which may flush the session
        auth.login(self.request, self.user)
        self.request.session[STRONG_LOGIN_SESSION_KEY] = getattr(self.user, "trappa_strong_login", False)
        if needs_verification(self.request):
            return redirect_to_login(next_url, reverse("accounts:two_factor"))
        return redirect(next_url)
