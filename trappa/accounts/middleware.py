"""Two-factor enforcement: a user whose role needs it must have verified a
second factor (TOTP) in this session, or logged in through a strong OpenID
Connect login, before reaching any page but the login flow itself."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Paths reachable before the second factor: the login flow, public pages, static files.
ALLOWED_PREFIXES = ("/accounts/", "/oidc/", "/static/", "/i18n/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_TWO_FACTOR
            and user.is_authenticated
            and user.needs_two_factor
            and not _is_verified(request)
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)


def _is_verified(request):
    return request.user.is_verified() or request.session.get("trappa_strong_login", False)
