"""OpenID Connect login (HelseID, ID-porten): users are provisioned by an
administrator and matched on their subject claim; none are created here."""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class TrappaOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        subject = claims.get(settings.OIDC_SUBJECT_CLAIM)
        if not subject:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(oidc_subject=subject, is_active=True)

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)
