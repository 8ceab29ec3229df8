"""User administration for the administrator role: users, units and
departments of the administrator's own municipality. No health data here."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from trappa.accounts import approval, lockout, two_factor
from trappa.accounts.access import get_managed_user, managed_municipality, managed_units, managed_users
from trappa.accounts.forms import DepartmentForm, NewUserForm, RevokeForm, UnitForm, UserForm
from trappa.accounts.history import record, save_user
from trappa.accounts.models import ProposalStatus, Role, RoleEventKind
from trappa.accounts.routes import staff_required

administrator = staff_required(Role.ADMINISTRATOR)


def _form_data(request):
    return request.POST if request.method == "POST" else None


@administrator
def users(request):
    q = managed_users(request).order_by("-is_active", "last_name", "first_name", "username")
    rows = list(q)
    locked = lockout.locked_usernames(u.username for u in rows)
    # One query for who has a second factor, not one per row.
    enrolled = set(TOTPDevice.objects.filter(user__in=rows, confirmed=True).values_list("user_id", flat=True))
    for row in rows:
        row.is_locked = row.username in locked
        row.has_two_factor = row.id in enrolled
    return render(request, "accounts/users.html", {"users": rows, "municipality": managed_municipality(request)})


@administrator
def user_new(request):
    form = NewUserForm(_form_data(request), municipality=managed_municipality(request))
    if form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            save_user(user, actor=request.user, reason=form.cleaned_data["reason"])
            approval.propose(user, **form.proposed_role(), reason=form.cleaned_data["reason"], proposed_by=request.user)
        messages.success(
            request,
            _("User %(username)s created. The role takes effect when the unit leader or the role approver approves it.")
            % {"username": user.username},
        )
        return redirect("accounts:user", user_id=user.id)
    return render(request, "accounts/user_form.html", {"form": form})


@administrator
def user_detail(request, user_id):
    user = get_managed_user(request, user_id)
    form = UserForm(_form_data(request), instance=user, municipality=user.municipality, editor=request.user)
    if form.is_valid():
        with transaction.atomic():
            save_user(form.save(commit=False), actor=request.user, update_fields=UserForm.Meta.fields)
            if form.role_changed():
                reason = form.cleaned_data["reason"]
                approval.propose(user, **form.proposed_role(), reason=reason, proposed_by=request.user)
                messages.info(request, _("The role change is proposed: it takes effect when approved."))
        messages.success(request, _("Changes saved."))
        return redirect("accounts:user", user_id=user.id)
    context = {
        "managed": user,
        "form": form,
        "revoke_form": RevokeForm(),
        "pending": user.role_proposals.filter(status=ProposalStatus.PENDING).select_related("unit", "proposed_by"),
        "is_locked": user.username in lockout.locked_usernames([user.username]),
        "has_two_factor": two_factor.has_confirmed_device(user),
    }
    return render(request, "accounts/user_detail.html", context)


@administrator
@require_POST
def user_set_active(request, user_id):
    user = get_managed_user(request, user_id)
    active = {"1": True, "0": False}.get(request.POST.get("active"))
    if active is None:
        messages.error(request, _("Choose whether to activate or deactivate the user."))
    elif user == request.user:
        messages.error(request, _("You cannot deactivate yourself."))
    else:
        user.is_active = active
        save_user(user, actor=request.user, update_fields=["is_active"])
        messages.success(request, _("User reactivated.") if active else _("User deactivated."))
    return redirect("accounts:user", user_id=user.id)


@administrator
@require_POST
def user_reset_two_factor(request, user_id):
    user = get_managed_user(request, user_id)
    two_factor.reset_devices(user)
    record(user, RoleEventKind.TWO_FACTOR_RESET, actor=request.user)
    messages.success(request, _("Two-factor reset: the user sets up a new authenticator app at the next login."))
    return redirect("accounts:user", user_id=user.id)


@administrator
@require_POST
def user_revoke_role(request, user_id):
    """Take the user's role away at once: removing access needs no approval, only a reason."""
    user = get_managed_user(request, user_id)
    form = RevokeForm(request.POST)
    if user == request.user:
        messages.error(request, _("You cannot take the administrator role from yourself."))
    elif not form.is_valid():
        messages.error(request, _("Say why the role is taken away."))
    else:
        approval.revoke(user, request.user, form.cleaned_data["reason"])
        messages.success(request, _("The role is taken away."))
    return redirect("accounts:user", user_id=user.id)


@administrator
@require_POST
def user_unlock(request, user_id):
    user = get_managed_user(request, user_id)
    lockout.unlock(user.username)
    messages.success(request, _("The account is unlocked."))
    return redirect("accounts:user", user_id=user.id)


@administrator
def units(request):
    context = {"units": managed_units(request), "municipality": managed_municipality(request)}
    return render(request, "accounts/units.html", context)


@administrator
def unit_new(request):
    form = UnitForm(_form_data(request), municipality=managed_municipality(request))
    if form.is_valid():
        form.save()
        messages.success(request, _("Unit created."))
        return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "title": _("New unit")})


@administrator
def unit_edit(request, unit_id):
    """The unit's name and the contact details its letters print."""
    unit = get_object_or_404(managed_units(request), pk=unit_id)
    form = UnitForm(_form_data(request), instance=unit, municipality=unit.municipality)
    if form.is_valid():
        form.save()
        messages.success(request, _("Unit saved."))
        return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "title": unit.name})


@administrator
def department_new(request):
    form = DepartmentForm(_form_data(request), municipality=managed_municipality(request))
    if form.is_valid():
        form.save()
        messages.success(request, _("Department created."))
        return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "title": _("New department")})
