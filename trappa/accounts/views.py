"""The login flow: password, then a second factor (enrollment the first time),
and logout. OpenID Connect logins come back through trappa.accounts.oidc."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from trappa.accounts import enrollment, lockout, two_factor
from trappa.accounts.forms import CodeForm, EnrollForm, EnrollmentCodeForm
from trappa.accounts.middleware import SESSION_ENDED_SESSION_KEY, STRONG_LOGIN_SESSION_KEY, needs_verification
from trappa.accounts.routes import public

BACKUP_CODES_SESSION_KEY = "trappa_new_backup_codes"
ENROLLMENT_ALLOWED_SESSION_KEY = "trappa_enrollment_allowed"
SESSION_ENDED = _("Your session has ended (too long without activity, or too long since you logged in). Log in again.")


def _next_url(request):
    """The `next` parameter if it points into this site, else the front page."""
    url = request.POST.get("next") or request.GET.get("next")
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def _to_second_factor(next_url):
    return redirect_to_login(next_url, reverse("accounts:two_factor"))


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request):
    if request.session.pop(SESSION_ENDED_SESSION_KEY, False):
        messages.info(request, SESSION_ENDED)
    if request.method == "POST" and lockout.address_throttled(request):
        context = {"failure_limit": settings.LOGIN_IP_FAILURE_LIMIT, "address_throttled": True}
        return render(request, "accounts/locked_out.html", context, status=429)
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        auth_login(request, form.get_user())
        request.session.pop(STRONG_LOGIN_SESSION_KEY, None)  # a password login is never strong
        if needs_verification(request):
            return _to_second_factor(_next_url(request))
        return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request), "oidc_provider": settings.OIDC_PROVIDER_NAME}
    return render(request, "accounts/login.html", context)


@public
@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, _("You are logged out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@public
@login_required
@sensitive_post_parameters("code")
@never_cache
def verify(request):
    """Ask for a code from the authenticator app, or a backup code."""
    if not needs_verification(request):
        return redirect(_next_url(request))
    if not two_factor.has_confirmed_device(request.user):
        return redirect(f"{reverse('accounts:enroll')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device, throttled = two_factor.verify_code(request.user, form.cleaned_data["code"])
        if device:
            otp_login(request, device)
            return redirect(_next_url(request))
        wait = _("Too many wrong codes in a row. Wait a minute and try again.")
        form.add_error("code", wait if throttled else _("Wrong code."))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


@public
@login_required
@sensitive_post_parameters("code")
@never_cache
def enroll(request):
    """Set up the authenticator app: only for a user who has no second factor yet."""
    if two_factor.has_confirmed_device(request.user):
        return redirect(f"{reverse('accounts:two_factor')}?{request.GET.urlencode()}")
    if request.session.get(ENROLLMENT_ALLOWED_SESSION_KEY) != request.user.pk:
        return _ask_enrollment_code(request)
    device = two_factor.pending_totp_device(request.user)
    form = EnrollForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            request.session[BACKUP_CODES_SESSION_KEY] = two_factor.confirm_enrollment(device)
            request.session.pop(ENROLLMENT_ALLOWED_SESSION_KEY, None)
            otp_login(request, device)
            return redirect(f"{reverse('accounts:backup_codes')}?{request.GET.urlencode()}")
        form.add_error("code", _("Wrong code. Check the clock on your phone and try the newest code."))
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_display(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/enroll.html", context)


def _ask_enrollment_code(request):
    """Before the QR code: the one-time enrollment code an approver gave the user (trappa/accounts/enrollment.py)."""
    form = EnrollmentCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if enrollment.redeem(request.user, form.cleaned_data["enrollment_code"]):
            request.session[ENROLLMENT_ALLOWED_SESSION_KEY] = request.user.pk
            return redirect(f"{reverse('accounts:enroll')}?{request.GET.urlencode()}")
        form.add_error("enrollment_code", _("This code is wrong, used or expired. Ask your leader for a new one."))
    return render(request, "accounts/enrollment_code.html", {"form": form, "next": _next_url(request)})


@public
@login_required
@never_cache
def backup_codes(request):
    """Show the new backup codes once, right after enrollment."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)})
