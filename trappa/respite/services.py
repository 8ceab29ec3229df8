"""From the database to the planner and back: weeks are Mondays from the plan's start."""

import datetime

from django.db import transaction
from django.utils import timezone

from trappa.respite import planner
from trappa.respite.models import Bed, PlannedStay, PlanVersion, RespiteDecision

HORIZON = 26


def next_monday(day):
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def week_index(start, day):
    """Week of `day` counted from the Monday `start` (negative before it)."""
    return (day - start).days // 7


def to_decision(decision, start):
    # A week is valid when its Monday falls within the decision's validity.
    valid_from = -((start - decision.valid_from).days // 7)  # ceil: the first Monday on or after valid_from
    return planner.Decision(
        str(decision.pk),
        str(decision.person_id),
        decision.group,
        decision.home_weeks,
        decision.stay_weeks,
        week_index(start, decision.first_stay),
        valid_from,
        week_index(start, decision.valid_until) + 1,
    )


def decisions_for(municipality, start, weeks):
    end = start + datetime.timedelta(weeks=weeks)
    qs = RespiteDecision.objects.filter(person__municipality=municipality)
    # only decisions valid at some point of the horizon
    return qs.filter(valid_from__lt=end, valid_until__gte=start).order_by("pk")


def previous_weeks(municipality):
    """(decision id, absolute Monday) -> bed id from the latest plan."""
    plan = PlanVersion.objects.filter(municipality=municipality).first()
    if plan is None:
        return {}
    weeks = {}
    for stay in plan.stays.filter(bed__isnull=False):
        day = stay.start
        while day < stay.end:
            weeks[str(stay.decision_id), day] = str(stay.bed_id)
            day += datetime.timedelta(weeks=1)
    return weeks


def make_plan(municipality, user=None, job=None, start=None, weeks=HORIZON, progress=None):
    """Run the planner on the municipality's beds and decisions and store the result as a new plan version."""
    start = start or next_monday(timezone.localdate())
    beds = list(Bed.objects.filter(unit__municipality=municipality, active=True).order_by("pk"))
    decisions = list(decisions_for(municipality, start, weeks))
    previous = {
        (d, week_index(start, day)): bed
        for (d, day), bed in previous_weeks(municipality).items()
        if 0 <= week_index(start, day) < weeks
    }
    problem = planner.Problem(
        [planner.Bed(str(b.pk), b.group) for b in beds], [to_decision(d, start) for d in decisions], weeks, previous
    )
    if progress:
        progress.update(0, 1, "Laying the stays on the beds")
    result = planner.plan(problem)
    return _store(municipality, user, job, start, weeks, result)


@transaction.atomic
def _store(municipality, user, job, start, weeks, result):
    plan = PlanVersion.objects.create(
        municipality=municipality,
        start=start,
        weeks=weeks,
        job=job,
        created_by=user,
        status=result.status,
        changes=result.changes,
        overbooked=[vars(o) for o in result.overbooked],
    )
    options = {}
    for option in result.options:  # least harmful first: keep that one per stay
        options.setdefault(option.stay, option)
    rows = [_row(plan, stay, bed) for stay, bed in result.assignments.items()]
    rows += [_row(plan, stay, None, options.get(stay)) for stay in result.unplaced]
    PlannedStay.objects.bulk_create(rows)
    return plan


def _row(plan, stay, bed, option=None):
    row = PlannedStay(
        plan=plan,
        decision_id=int(stay.decision),
        bed_id=int(bed) if bed else None,
        start=plan.week_start(stay.start),
        end=plan.week_start(stay.end),
    )
    if option:
        row.option_kind, row.option_bed_id = option.kind, int(option.bed)
        row.option_start, row.option_end = plan.week_start(option.start), plan.week_start(option.end)
    return row


def latest_plan(municipality):
    return PlanVersion.objects.filter(municipality=municipality).first()


def planned_stays(person):
    """The person's placed stays in the latest plan, for letters and calendars."""
    plan = latest_plan(person.municipality)
    if plan is None:
        return []
    return list(plan.stays.filter(decision__person=person, bed__isnull=False).select_related("bed__unit"))
