"""Action plans and budget, and the effort staircase, for planners and unit leaders.

Aggregates only, no personal data. A member of staff sees their own
municipality's plans. Revisions of earlier years are read-only.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trappa.accounts.routes import staff_required
from trappa.catalogue import budget, exports, plans, versions
from trappa.catalogue.forms import MeasureForm, MeasureYearFormSet
from trappa.catalogue.models import ActionPlan, Measure, PlanRevision
from trappa.catalogue.roles import PLANNERS
from trappa.catalogue.staff_views import own_municipality
from trappa.lib import charts, panels


def _get_plan(request, code):
    return get_object_or_404(ActionPlan, municipality=own_municipality(request), code=code)


def _get_revision(request, code, year):
    return get_object_or_404(PlanRevision.objects.select_related("plan"), plan=_get_plan(request, code), year=year)


@staff_required(*PLANNERS)
def plan_list(request):
    municipality = own_municipality(request)
    action_plans = ActionPlan.objects.filter(municipality=municipality).annotate(latest_year=Max("revisions__year"))
    return render(request, "catalogue/plans.html", {"municipality": municipality, "plans": action_plans})


@staff_required(*PLANNERS)
def plan_detail(request, code, year=None):
    plan = _get_plan(request, code)
    revision = _get_revision(request, code, year) if year else plan.latest_revision()
    if revision is None:
        raise PermissionDenied
    revisions = plan.revisions.select_related("created_by").order_by("year")
    table = budget.plan_table(revision)
    # Volunteer hours on the plan's offerings, from the volunteers app above this one.
    context = {
        "plan": plan,
        "table": table,
        "revisions": revisions,
        "panels": panels.render("catalogue:plan", request, table=table),
    }
    return render(request, "catalogue/plan.html", context)


@staff_required(*PLANNERS)
def plan_xlsx(request, code, year):
    revision = _get_revision(request, code, year)
    response = HttpResponse(
        exports.plan_xlsx(revision), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-{year}.xlsx"'
    return response


@staff_required(*PLANNERS)
def plan_pdf(request, code, year):
    revision = _get_revision(request, code, year)
    response = HttpResponse(exports.plan_pdf(revision, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{code}-{year}.pdf"'
    return response


@require_POST
@staff_required(*PLANNERS)
def plan_revise(request, code):
    plan = _get_plan(request, code)
    try:
        revision = plans.revise(plan, request.user)
    except plans.RevisionError as exc:
        messages.error(request, str(exc))
        return redirect("catalogue:plan", code=code)
    message = _("Revision %(year)s created; earlier years are kept as decided.") % {"year": revision.year}
    messages.success(request, message)
    return redirect("catalogue:plan_year", code=code, year=revision.year)


@staff_required(*PLANNERS)
def measure_edit(request, code, year, measure=None):
    revision = _get_revision(request, code, year)
    if revision.is_frozen:
        raise PermissionDenied(_("This revision is kept as it was decided and cannot be changed."))
    if measure:
        measure = get_object_or_404(Measure, revision=revision, code=measure)
    else:
        measure = Measure(revision=revision, position=revision.measures.count() + 1)
    form = MeasureForm(request.POST or None, instance=measure)
    formset = MeasureYearFormSet(request.POST or None, instance=measure, prefix="years")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
            versions.record(measure, request.user, "edited")
        messages.success(request, _("The measure was saved."))
        return redirect("catalogue:plan_year", code=code, year=year)
    changes = versions.changes(versions.history(measure)) if measure.pk else []
    context = {"form": form, "formset": formset, "measure": measure, "revision": revision, "changes": changes}
    return render(request, "catalogue/measure_form.html", context)


@staff_required(*PLANNERS)
def effort(request):
    municipality = own_municipality(request)
    effort_by_step = budget.effort_staircase(municipality)
    years = budget.effort_years(effort_by_step)
    access = budget.access_by_step(municipality)
    context = {
        "municipality": municipality,
        "effort": effort_by_step,
        "access": {step: access.get(step.pk, (0, 0)) for step in effort_by_step},
        "years": years,
        "chart": _effort_chart(effort_by_step, years) if years else None,
    }
    return render(request, "catalogue/effort.html", context)


def _effort_chart(effort_by_step, years):
    """Kroner per step per year as grouped bars; the table under the chart has the same numbers."""
    series = [
        (f"{step.position}. {step.text('name')}", [float(per_year[y].cost) if y in per_year else 0.0 for y in years])
        for step, per_year in effort_by_step.items()
    ]
    title, description = _("Kroner per step per year"), _("Bar chart; the table below has the same numbers.")
    return charts.bars("effort", title, description, years, series)
