"""Individual plan pages: a person's plans, one plan with its coordinator, group, goals and measures;
the coordinators' workload (staff names and counts only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from trappa.accounts.models import PERSONAL_DATA_ROLES, User
from trappa.accounts.routes import staff_required
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.people.access import get_person_for_user
from trappa.referrals import plans
from trappa.referrals.access import get_plan_for_user
from trappa.referrals.models import PlanAnswer
from trappa.referrals.roles import REFERRAL_ROLES


@person_view(*REFERRAL_ROLES)
def person_plans(request, person_id):
    person = get_person_for_user(request, person_id, "individual plans")
    if request.method == "POST":
        try:
            # The plan and its log entry are committed together, the entry after the plan exists.
            with transaction.atomic():
                plan = plans.create(person, request.user, _required_date(request.POST.get("entitled_on")))
                get_plan_for_user(request, plan.pk, AccessAction.CREATE)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("referrals:plans", person_id=person.pk)
        return redirect("referrals:plan", plan_id=plan.pk)
    context = {"person": person, "plans": person.individual_plans.select_related("coordinator")}
    return render(request, "referrals/plans.html", context)


def _required_date(raw):
    try:
        day = parse_date(raw or "")
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("Give a valid date."))
    return day


@person_view(*REFERRAL_ROLES)
def plan_detail(request, plan_id):
    plan = get_plan_for_user(request, plan_id)
    if request.method == "POST":
        try:
            with transaction.atomic():
                _change(request, plan, request.POST.get("action"))
                get_plan_for_user(request, plan.pk, AccessAction.CHANGE)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("referrals:plan", plan_id=plan.pk)
        messages.success(request, _("The plan is saved."))
        return redirect("referrals:plan", plan_id=plan.pk)
    staff = User.objects.filter(municipality=plan.municipality, role__in=PERSONAL_DATA_ROLES, is_active=True)
    context = {
        "plan": plan,
        "person": plan.person,
        "goals": plan.goals.prefetch_related("measures"),
        "members": plan.members.all(),
        "staff": staff.order_by("first_name", "username"),
        "answers": [PlanAnswer.ACCEPTED, PlanAnswer.DECLINED],
    }
    return render(request, "referrals/plan.html", context)


def _change(request, plan, action):
    data = request.POST
    if action == "answer":
        plans.answer(plan, data.get("answer"), _required_date(data.get("answered_on")))
    elif action == "coordinator":
        coordinator = User.objects.filter(pk=_pk(data.get("coordinator"))).first()
        if coordinator is None:
            raise ValidationError(_("Choose a coordinator."))
        plans.assign_coordinator(plan, coordinator)
    elif action == "member":
        plans.add_member(plan, data.get("name", ""), data.get("role", ""))
    elif action == "goal":
        plans.add_goal(plan, data.get("text", ""))
    elif action == "measure":
        goal = plan.goals.filter(pk=_pk(data.get("goal"))).first()
        if goal is None:
            raise ValidationError(_("Choose the goal."))
        plans.add_measure(goal, data.get("text", ""), data.get("responsible", ""))
    else:
        raise ValidationError(_("Unknown change."))


def _pk(raw):
    return int(raw) if str(raw or "").isdigit() else None


@staff_required()
def coordinator_workload(request):
    rows = plans.workload(request.user.municipality)
    return render(request, "referrals/workload.html", {"rows": rows})
