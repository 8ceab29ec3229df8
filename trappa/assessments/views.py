"""Preventive home visits: record one (with screenings), see one with its suggestions, list a person's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trappa.assessments import screening, suggestions
from trappa.assessments.access import get_visit_for_user
from trappa.assessments.forms import VisitForm
from trappa.assessments.instruments import get
from trappa.assessments.models import HomeVisit, Screening, Topic
from trappa.assessments.roles import VISIT_ROLES
from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.people.access import get_person_for_user


@person_view(*VISIT_ROLES)
def new_visit(request, person_id):
    if request.method != "POST":
        person = get_person_for_user(request, person_id, "new home visit form")
        return _render_form(request, person, VisitForm(), [])
    person = get_person_for_user(request, person_id, "home visit form")
    existing = _already_saved(request.POST.get("idempotency_key"), person)
    if existing is not None:
        return _saved_before(request, existing)
    form = VisitForm(request.POST)
    scored = screening.score_form(request.POST)
    if form.is_valid():
        # Checked again: the same form sent twice at once may have been saved since the first check.
        key = form.cleaned_data["idempotency_key"]
        existing = _already_saved(key, person)
        if existing is not None:
            return _saved_before(request, existing)
        if HomeVisit.objects.filter(idempotency_key=key).exclude(person=person).exists():
            form.add_error(None, _("This form was already used for another person. Open a new form for this visit."))
    if not form.is_valid() or any(s.problems for s in scored):
        return _render_form(request, person, form, scored)
    visit, created = _save(request, person, form, scored)
    if not created:
        return _saved_before(request, visit)
    messages.success(request, _("The visit is saved."))
    return redirect("assessments:visit", visit_id=visit.pk)


def _saved_before(request, visit):
    """A repeated submission: say it is already saved, and show what was saved."""
    messages.info(request, _("This visit was already saved; it is stored once. This is the saved visit."))
    return redirect("assessments:visit", visit_id=visit.pk)


def _already_saved(key, person):
    """The visit this form was saved as before (a retry after a lost connection), if any."""
    try:
        return HomeVisit.objects.filter(idempotency_key=key, person=person).first()
    except ValidationError:  # not a UUID: the form's validation says so
        return None


def _save(request, person, form, scored):
    visit = form.save(commit=False)
    visit.person, visit.municipality, visit.visited_by = person, person.municipality, request.user
    visit.idempotency_key = form.cleaned_data["idempotency_key"]
    try:
        with transaction.atomic():
            visit.save()
            Screening.objects.bulk_create([screening.stored(visit, s) for s in scored])
            # Logged in the same transaction, once the visit exists.
            log_access(
                request,
                person,
                check_person_access(request.user, person),
                f"home visit {visit.pk}",
                AccessAction.CREATE,
            )
    except IntegrityError:
        # Two submissions of the same form at the same moment: the other one won, and is the visit.
        return HomeVisit.objects.get(idempotency_key=visit.idempotency_key, person=person), False
    return visit, True


def _live_scoring(instrument):
    """The instrument's scoring rules for the running total in the form (static/js/visit-total.js).
    The server scores the visit again on save; this only shows the total and the stop rule as you type.
    Only instruments whose total is a sum of item points have one."""
    if instrument.method != "sum":
        return None
    lang = screening.language()
    items = []
    for item in instrument.items:
        if not item.scored:
            continue
        trials = range(1, item.trials + 1) if item.trials > 1 else [None]
        rule = item.requires
        items.append(
            {
                "id": item.id,
                "label": item.label.get(lang),
                "kind": item.kind,
                "fields": [screening.field_name(instrument, item, n or "") for n in trials],
                "code": screening.field_name(instrument, item, "code"),
                "bands": [[float(b.min), float(b.max), b.points] for b in item.bands],
                "options": {o.id: o.points for o in item.options},
                "yes": item.yes_points,
                "no": item.no_points,
                "requires": {"item": rule.item, "min_points": rule.min_points, "answer": rule.answer} if rule else None,
                "stopped": item.points_when_stopped,
            }
        )
    total_max = int(instrument.total_max) if instrument.total_max is not None else None
    return {"id": instrument.id, "max": total_max, "items": items}


def _render_form(request, person, form, scored):
    sections = []
    problems = {s.instrument.id: s.problems for s in scored}
    for label, instrument_ids in screening.VISIT_SECTIONS:
        blocks = []
        for instrument_id in instrument_ids:
            instrument = get(instrument_id)
            blocks.append(
                {
                    "instrument": instrument,
                    "name": instrument.name.get(screening.language()),
                    "items": screening.form_items(instrument, request.POST),
                    "problems": problems.get(instrument_id, ()),
                    "live": _live_scoring(instrument),
                }
            )
        sections.append(
            {
                "id": "-".join(instrument_ids),
                "name": label or blocks[0]["name"],
                "grouped": len(blocks) > 1,
                "blocks": blocks,
                "problems": any(block["problems"] for block in blocks),
            }
        )
    context = {
        "person": person,
        "form": form,
        "sections": sections,
        "has_problems": bool(form.errors) or any(problems.values()),
    }
    return render(request, "assessments/visit_form.html", context)


@person_view(*VISIT_ROLES)
def visit_detail(request, visit_id):
    visit = get_visit_for_user(request, visit_id)
    language = screening.language()
    results = [screening.describe(item, language) for item in visit.screenings.all()]
    topics = [label for value, label in Topic.choices if value in visit.topics]
    context = {
        "visit": visit,
        "person": visit.person,
        "results": results,
        "topics": topics,
        "suggestions": suggestions.suggest(visit),
    }
    return render(request, "assessments/visit.html", context)


@person_view(*VISIT_ROLES)
def person_visits(request, person_id):
    person = get_person_for_user(request, person_id, "home visits")
    visits = HomeVisit.objects.for_person(person).select_related("visited_by").prefetch_related("screenings")
    return render(request, "assessments/visits.html", {"person": person, "visits": visits})
