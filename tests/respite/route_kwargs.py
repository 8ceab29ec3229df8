"""URL kwargs of the respite routes for the route matrix (tests/audit/test_routes.py)."""

from tests.respite.base import plan_with
from trappa.respite.models import PlannedStay


def make_bed(case, person):
    # A bed with the person's stay on it in a new plan, so the calendar (and the plan page after it) show them.
    plan, _ = plan_with(person, person.municipality)
    return plan.stays.filter(bed__isnull=False).first().bed_id


def make_stay(case, person):
    # One of the person's placed stays (a plan is made for them if none has one yet).
    stays = PlannedStay.objects.filter(decision__person=person, bed__isnull=False).order_by("-plan_id", "start")
    if not stays.exists():
        plan_with(person, person.municipality)
    return stays.first().pk


def _kwarg(make, personal=False):
    from tests.audit.test_routes import Kwarg

    return Kwarg(make, personal=personal)


ROUTE_KWARGS = {"bed_id": _kwarg(make_bed), "stay_id": _kwarg(make_stay, personal=True)}
