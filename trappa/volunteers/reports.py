"""Volunteer hours on the group page and in the action-plan report, as panels (trappa/lib/panels.py).

No person is named: a group's volunteers and their hours, and hours per offering and year."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from trappa.lib.panels import Table
from trappa.volunteers.models import GroupAssignment, VolunteerHours


def group_panel(request, group):
    """The volunteers who help with the group, and the hours each gave to it."""
    assignments = list(GroupAssignment.objects.filter(group=group).select_related("volunteer"))
    per_volunteer = (
        VolunteerHours.objects.filter(group=group)
        .values("volunteer__name")
        .annotate(total=Sum("hours"))
        .order_by("volunteer__name")
    )
    rows = [(row["volunteer__name"], row["total"]) for row in per_volunteer]
    context = {"assignments": assignments, "rows": rows, "total": sum((t for _, t in rows), Decimal(0))}
    return render_to_string("volunteers/_group_panel.html", context, request=request)


def plan_hours(table):
    """[(offering, [hours per year])] for the offerings of the plan's measures, and [total per year]."""
    offerings = {row.measure.offering for block in table.areas for row in block.rows if row.measure.offering_id}
    # The plan's budget years, and the revision's own year even when the plan gives no costs.
    years = sorted(set(table.years) | {table.revision.year})
    if not offerings or not years:
        return [], []
    hours = (
        VolunteerHours.objects.filter(group__offering__in=offerings, on__year__in=years)
        .values("group__offering", "on__year")
        .annotate(total=Sum("hours"))
    )
    by_offering = defaultdict(dict)
    totals = defaultdict(Decimal)
    for row in hours:
        by_offering[row["group__offering"]][row["on__year"]] = row["total"]
        totals[row["on__year"]] += row["total"]
    rows = [
        (o, [by_offering[o.pk].get(y) for y in years])
        for o in sorted(offerings, key=lambda o: o.code)
        if o.pk in by_offering
    ]
    return rows, [totals.get(y) for y in years]


def _plan_years(table):
    return sorted(set(table.years) | {table.revision.year})


def plan_panel(request, table):
    rows, totals = plan_hours(table)
    context = {"years": _plan_years(table), "rows": rows, "totals": totals}
    return render_to_string("volunteers/_plan_panel.html", context, request=request)


def plan_export_table(table):
    """The same hours for the plan's xlsx and PDF export, or None when none are recorded."""
    rows, totals = plan_hours(table)
    if not rows:
        return None
    return Table(
        title=_("Volunteer hours given to the groups of the plan's offerings, per year"),
        header=[_("Offering"), *_plan_years(table)],
        rows=[[offering.text("name"), *hours] for offering, hours in rows],
        footer=[_("Total"), *totals],
        note=_("Demo: the volunteers and their hours are invented.") if settings.DEMO else "",
    )
