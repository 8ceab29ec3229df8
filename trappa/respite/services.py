"""From the database to the planner and back: weeks are Mondays from the plan's start."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.respite import planner
from trappa.respite.models import Bed, PlannedStay, PlanVersion, RespiteDecision, StayMove

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
    """The municipality's (or municipality id's) latest plan."""
    return PlanVersion.objects.filter(municipality=municipality).first()


def planned_stays(person):
    """The person's placed stays in the latest plan, for letters and calendars."""
    plan = latest_plan(person.municipality)
    if plan is None:
        return []
    return list(plan.stays.filter(decision__person=person, bed__isnull=False).select_related("bed__unit"))


def free_beds(stay):
    """The municipality's beds in use, other than the stay's own, with no other stay of its plan in its weeks."""
    taken = stay.plan.stays.filter(bed__isnull=False, start__lt=stay.end, end__gt=stay.start).exclude(pk=stay.pk)
    beds = Bed.objects.filter(unit__municipality_id=stay.plan.municipality_id, active=True).select_related("unit")
    return beds.exclude(pk__in=taken.values("bed_id")).exclude(pk=stay.bed_id or 0)


def move_stay(stay, bed, user, reason=""):
    """Move a stay of the latest plan to `bed` (another ward when its own is full), keeping the history.

    The plan's row is locked first, so two moves into one bed queue: the second checks the bed after
    the first committed and is refused. Raises ValidationError, writing nothing, when the bed is not
    free for the whole stay, the plan is no longer the latest, or the bed is not the municipality's."""
    with transaction.atomic():
        plan = PlanVersion.objects.select_for_update().get(pk=stay.plan_id)
        if latest_plan(plan.municipality_id).pk != plan.pk:
            raise ValidationError(_("A newer plan has been made since: move the stay in the newer plan."))
        current = PlannedStay.objects.select_for_update().get(pk=stay.pk)
        if bed.unit.municipality_id != plan.municipality_id or not bed.active:
            raise ValidationError(_("Choose a bed in use in the municipality."))
        if not free_beds(current).filter(pk=bed.pk).exists():
            raise ValidationError(
                _("%(bed)s is not free for the whole stay: choose another bed."), params={"bed": str(bed)}
            )
        move = StayMove.objects.create(
            stay=current, from_bed_id=current.bed_id, to_bed=bed, reason=reason, moved_by=user
        )
        current.bed = bed
        current.option_kind, current.option_bed, current.option_start, current.option_end = "", None, None, None
        current.save(update_fields=["bed", "option_kind", "option_bed", "option_start", "option_end"])
    stay.bed = bed
    return move
