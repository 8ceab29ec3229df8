"""Respite pages: the plan over the beds, calendars per bed and per person, decisions, bookings, letters."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trappa.accounts.routes import staff_required
from trappa.audit.access import check_person_access, grants_for_persons, log_access, log_persons_listed
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.jobs.models import Job
from trappa.jobs.queue import enqueue
from trappa.letters.documents import LetterRefused
from trappa.people.access import get_person_for_user
from trappa.respite import capacity, services
from trappa.respite.forms import BookingForm, CapacityForm, DecisionForm, MoveForm
from trappa.respite.letters import stays_letter_response
from trappa.respite.models import Bed, BedGroup, PlannedStay
from trappa.respite.roles import CAPACITY_ROLES, RESPITE_ROLES
from trappa.respite.tasks import make_plan_task


def _names(request, stays, what):
    """{person id: name} for the persons of `stays` this user may see; the others show as occupied. Logged."""
    persons = {stay.decision.person_id: stay.decision.person for stay in stays}
    grants = grants_for_persons(request.user, list(persons.values()))
    shown = [persons[pk] for pk in grants]
    log_persons_listed(request, shown, what)
    return {person.pk: person.full_name for person in shown}


def _plan_stays(plan):
    if plan is None:
        return []
    return list(plan.stays.select_related("decision__person", "bed__unit", "option_bed__unit"))


@person_view(*RESPITE_ROLES)
def plan(request):
    latest = services.latest_plan(request.user.municipality)
    stays = _plan_stays(latest)
    names = _names(request, stays, "respite plan")
    beds = list(Bed.objects.filter(unit__municipality=request.user.municipality, active=True).select_related("unit"))
    grid = _grid(latest, beds, stays, names) if latest else []
    unplaced = [stay for stay in stays if not stay.placed]
    for stay in unplaced:
        stay.shown_name = names.get(stay.decision.person_id)
    context = {
        "plan": latest,
        "grid": grid,
        "weeks": _weeks(latest),
        "unplaced": unplaced,
        "overbooked": _overbooked(latest),
    }
    return render(request, "respite/plan.html", context)


def _overbooked(plan):
    if plan is None:
        return []
    return [
        dict(
            row,
            monday=plan.week_start(row["week"]),
            excess=row["demand"] - row["beds"],
            group_label=BedGroup(row["group"]).label,
        )
        for row in plan.overbooked
    ]


def _weeks(plan):
    return [plan.week_start(week) for week in range(plan.weeks)] if plan else []


def _grid(plan, beds, stays, names):
    """One row per bed, one cell per week: the name (when visible), "occupied", or empty."""
    cells = {}
    for stay in stays:
        if stay.placed:
            for day in _mondays(stay.start, stay.end):
                cells[stay.bed_id, day] = names.get(stay.decision.person_id, _("Occupied"))
    return [(bed, [cells.get((bed.pk, day), "") for day in _weeks(plan)]) for bed in beds]


def _mondays(start, end):
    day = start
    while day < end:
        yield day
        day += datetime.timedelta(weeks=1)


@require_POST
@staff_required(*RESPITE_ROLES)
def run(request):
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Use the button on the plan page to make a new plan."))
        return redirect("respite:plan")
    job = Job.objects.create(
        kind="respite_plan", label=_("Respite plan"), municipality=request.user.municipality, started_by=request.user
    )
    enqueue(job, make_plan_task)
    return redirect("jobs:job", job_id=job.pk)


@person_view(*RESPITE_ROLES)
def bed_calendar(request, bed_id):
    bed = get_object_or_404(Bed.objects.select_related("unit"), pk=bed_id, unit__municipality=request.user.municipality)
    latest = services.latest_plan(request.user.municipality)
    stays = [s for s in _plan_stays(latest) if s.bed_id == bed.pk]
    names = _names(request, stays, f"respite bed {bed.pk} calendar")
    rows = [(stay, names.get(stay.decision.person_id)) for stay in stays]
    return render(request, "respite/bed.html", {"bed": bed, "plan": latest, "rows": rows})


@person_view(*RESPITE_ROLES)
def person(request, person_id):
    person = get_person_for_user(request, person_id, "respite calendar")
    return render(request, "respite/person.html", _person_context(person))


def _person_context(person, decision_form=None, booking_form=None):
    latest = services.latest_plan(person.municipality)
    stays = (
        latest.stays.filter(decision__person=person).select_related("plan", "bed__unit", "option_bed__unit")
        if latest
        else PlannedStay.objects.none()
    )
    stays = list(stays.prefetch_related("moves__from_bed__unit", "moves__to_bed__unit"))
    today = timezone.localdate()
    for stay in stays:
        # a stay not over yet may move to a bed free for all its weeks (another ward when its own is full)
        stay.move_form = MoveForm(stay=stay, prefix=f"stay-{stay.pk}") if stay.end > today else None
    return {
        "person": person,
        "plan": latest,
        "stays": stays,
        "decisions": person.respite_decisions.select_related("service_decision"),
        "bookings": person.respite_bookings.select_related("unit"),
        "decision_form": decision_form or DecisionForm(person=person),
        "booking_form": booking_form or BookingForm(person=person),
    }


def _save_authored(request, person, form, what):
    """Save the person's new decision or booking with the user as its author, and log it: both or neither."""
    with transaction.atomic():
        entry = form.save(commit=False)
        entry.person, entry.created_by = person, request.user
        entry.save()
        grant = check_person_access(request.user, person)
        log_access(request, person, grant, f"{what} {entry.pk}", AccessAction.CREATE)
    return entry


@require_POST
@person_view(*RESPITE_ROLES)
def add_decision(request, person_id):
    person = get_person_for_user(request, person_id, "respite decision form")
    form = DecisionForm(request.POST, person=person)
    if not form.is_valid():
        return render(request, "respite/person.html", _person_context(person, decision_form=form))
    _save_authored(request, person, form, "respite decision")
    messages.success(request, _("The decision is saved. Make a new plan to place its stays."))
    return redirect("respite:person", person_id=person.pk)


@require_POST
@person_view(*RESPITE_ROLES)
def add_booking(request, person_id):
    person = get_person_for_user(request, person_id, "respite booking form")
    form = BookingForm(request.POST, person=person)
    if not form.is_valid():
        return render(request, "respite/person.html", _person_context(person, booking_form=form))
    _save_authored(request, person, form, "respite booking")
    messages.success(request, _("The booking is saved."))
    return redirect("respite:person", person_id=person.pk)


@require_POST
@person_view(*RESPITE_ROLES)
def move_stay(request, stay_id):
    """Move a stay of the latest plan to another bed, with the reason; the move and its log entry together."""
    q = PlannedStay.objects.select_related("plan", "bed__unit", "decision")
    stay = get_object_or_404(q, pk=stay_id, plan__municipality=request.user.municipality)
    person = get_person_for_user(request, stay.decision.person_id, f"respite stay {stay.pk} move form")
    form = MoveForm(request.POST, stay=stay, prefix=f"stay-{stay.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a bed that is free for the whole stay."))
        return redirect("respite:person", person_id=person.pk)
    bed = form.cleaned_data["bed"]
    try:
        with transaction.atomic():
            services.move_stay(stay, bed, request.user, form.cleaned_data["reason"])
            grant = check_person_access(request.user, person)
            log_access(request, person, grant, f"respite stay {stay.pk} moved to bed {bed.pk}", AccessAction.CHANGE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The stay is moved to %(bed)s.") % {"bed": bed})
    return redirect("respite:person", person_id=person.pk)


@person_view(*RESPITE_ROLES)
def letter(request, person_id):
    """The planned dates as a PDF letter to the person. Letters to caregivers are made from the caregiver's
    page (trappa/caregivers), which checks that the person agreed to share their stays with that caregiver."""
    person = get_person_for_user(request, person_id, "respite letter", AccessAction.EXPORT)
    try:
        return stays_letter_response(request, person, person)
    except LetterRefused as refused:
        messages.error(request, str(refused))
        return redirect("respite:person", person_id=person.pk)


@staff_required(*CAPACITY_ROLES)
def capacity_scenario(request):
    """Beds per week against the stays granted, today and with the scenario's extra places (no names)."""
    form = CapacityForm(request.GET or None)
    context = {"form": form, "rows": None}
    if form.is_valid():
        data = form.cleaned_data
        extra = {BedGroup.SOMATIC: data["extra_somatic"] or 0, BedGroup.DEMENTIA: data["extra_dementia"] or 0}
        rows = capacity.scenario(request.user.municipality, data["start"], data["weeks"], extra)
        summary = capacity.summary(rows)
        groups = [(BedGroup(g).label, summary[g]) for g in BedGroup.values]
        context.update(rows=rows, groups=groups, labels=dict(BedGroup.choices))
    return render(request, "respite/capacity.html", context)
