"""Two-factor enforcement and session expiry.

A user whose role needs it must have verified a second factor (TOTP or a
backup code) in this session, or logged in through a strong OpenID Connect
login, before reaching any page but the truly public ones (the login flow, the
public catalogue), whatever its path.
The middleware acts on logged-in users only: anonymous visitors reach the
public pages, and every protected view sends them to the login page itself.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from trappa.accounts.routes import PUBLIC

# The session flag set by a strong OpenID Connect login (acr in OIDC_STRONG_ACR_VALUES).
STRONG_LOGIN_SESSION_KEY = "trappa_strong_login"
LAST_SEEN_SESSION_KEY = "trappa_last_seen"
LOGGED_IN_AT_SESSION_KEY = "trappa_logged_in_at"
SESSION_ENDED_SESSION_KEY = "trappa_session_ended"

# Infrastructure views reachable before the second factor: the language switch.
# (Static files are served by WhiteNoise before any view; the OpenID Connect views are @public.)
INFRA_MODULES = ("django.views.i18n",)


def reachable_before_second_factor(view):
    """Only truly public pages (declared `@public`, trappa/accounts/routes.py) are reachable
    with the password alone: the login flow and the public catalogue. The front page is
    public too, but to a logged-in user it shows the staff menu, so it is marked
    `second_factor_first` and a half-logged-in user is sent on to the second factor."""
    if getattr(view, "__module__", "").startswith(INFRA_MODULES):
        return True
    return getattr(view, "trappa_access", None) == PUBLIC and not getattr(view, "trappa_second_factor_first", False)


def is_verified(request):
    if request.session.get(STRONG_LOGIN_SESSION_KEY, False):
        return True
    # OTPMiddleware adds is_verified(); a user logged in during this request has not passed it yet.
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def needs_verification(request):
    """True when this logged-in user must still give a second factor."""
    user = request.user
    return settings.REQUIRE_TWO_FACTOR and user.is_authenticated and user.needs_two_factor and not is_verified(request)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and _session_ended(request):
            logout(request)
            # The message framework runs after this middleware, so the login page says why.
            request.session[SESSION_ENDED_SESSION_KEY] = True
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def process_view(self, request, view, view_args, view_kwargs):
        # Decided by the view's own access declaration, never by a path prefix, so a staff
        # page added under a public path (/offerings/manage/) is guarded like any other.
        if needs_verification(request) and not reachable_before_second_factor(view):
            return redirect_to_login(request.get_full_path(), reverse("accounts:two_factor"))
        return None


def note_login_time(sender, request, user, **kwargs):
    """user_logged_in receiver: the start of the session's absolute lifetime."""
    request.session[LOGGED_IN_AT_SESSION_KEY] = int(time.time())


def _session_ended(request):
    """Idle too long, or logged in longer than SESSION_COOKIE_AGE ago.

    Activity is noted at most once a minute to spare the session store. Noting
    it moves the cookie's expiry on, so the absolute limit is checked here.
    """
    now = int(time.time())
    session = request.session
    logged_in_at = session.setdefault(LOGGED_IN_AT_SESSION_KEY, now)
    last_seen = session.get(LAST_SEEN_SESSION_KEY, now)
    if now - logged_in_at > settings.SESSION_COOKIE_AGE or now - last_seen > settings.SESSION_IDLE_SECONDS:
        return True
    if LAST_SEEN_SESSION_KEY not in session or now - last_seen >= 60:
        session[LAST_SEEN_SESSION_KEY] = now
    return False


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in user (pages, exports, PDFs):
    personal data must not stay in a browser's or a proxy's cache. Public pages to visitors may
    be cached as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        logged_in = request.user.is_authenticated  # before the view: a logout answers as a visitor
        response = self.get_response(request)
        if logged_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
