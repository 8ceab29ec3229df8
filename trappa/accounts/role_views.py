"""Role approval, the role history of a user, and who had access to a unit on a day.

The unit leaders and the municipality's role approver decide proposals
(trappa/accounts/approval.py); administrators see what waits and for whom.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from trappa.accounts import approval
from trappa.accounts.access import get_managed_user, managed_municipality
from trappa.accounts.forms import AccessReportForm, DecisionForm
from trappa.accounts.history import who_had_access
from trappa.accounts.models import ProposalStatus, RoleProposal
from trappa.accounts.roles import ROLE_MANAGERS
from trappa.accounts.routes import staff_required

# Who decides roles (the configured approver is a unit leader or an administrator), and who audits them.
role_managers = staff_required(*ROLE_MANAGERS)


@role_managers
def proposals(request):
    municipality = managed_municipality(request)
    mine = approval.proposals_to_decide(request.user)
    waiting = RoleProposal.objects.filter(status=ProposalStatus.PENDING, user__municipality=municipality)
    waiting = waiting.exclude(pk__in=[p.pk for p in mine]).select_related("user", "unit", "department", "proposed_by")
    context = {"mine": mine, "waiting": waiting, "form": DecisionForm()}
    return render(request, "accounts/proposals.html", context)


@role_managers
@require_POST
def proposal_decide(request, proposal_id):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject."))
        return redirect("accounts:proposals")
    decide = approval.approve if form.cleaned_data["decision"] == "approve" else approval.reject
    try:
        decide(proposal_id, request.user, form.cleaned_data["note"])
    except RoleProposal.DoesNotExist:
        raise PermissionDenied from None
    except PermissionError:
        raise PermissionDenied from None
    except ValueError:
        messages.error(request, _("This proposal has already been decided."))
        return redirect("accounts:proposals")
    approved = form.cleaned_data["decision"] == "approve"
    messages.success(request, _("The role is approved and in effect.") if approved else _("The proposal is rejected."))
    return redirect("accounts:proposals")


@role_managers
def user_history(request, user_id):
    user = get_managed_user(request, user_id)
    events = user.role_events.select_related("actor", "approved_by", "unit_from", "unit_to", "department_to")
    return render(request, "accounts/user_history.html", {"managed": user, "events": events.order_by("-at", "-id")})


@role_managers
def access_report(request):
    municipality = managed_municipality(request)
    form = AccessReportForm(request.GET or None, municipality=municipality)
    rows = None
    if form.is_valid():
        rows = who_had_access(form.cleaned_data["unit"], form.cleaned_data["day"])
    return render(request, "accounts/access_report.html", {"form": form, "rows": rows})
