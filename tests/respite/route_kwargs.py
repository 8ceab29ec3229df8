"""URL kwargs of the respite routes for the route matrix (tests/audit/test_routes.py)."""

from tests.respite.base import plan_with


def make_bed(case, person):
    # A bed with the person's stay on it in a new plan, so the calendar (and the plan page after it) show them.
    plan, _ = plan_with(person, person.municipality)
    return plan.stays.filter(bed__isnull=False).first().bed_id


def _kwarg():
    from tests.audit.test_routes import Kwarg

    return Kwarg(make_bed, personal=False)


ROUTE_KWARGS = {"bed_id": _kwarg()}
