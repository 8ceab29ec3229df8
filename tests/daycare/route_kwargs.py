"""URL kwargs of the day-care routes for the route matrix (tests/audit/test_routes.py)."""

from tests.daycare.base import day_care_offering, make_place


def make_day_care_place(case, person):
    # A place is no person's data: its page (a POST changing the number of places) names nobody.
    offering = day_care_offering(case.vefsn, case.service_office)
    return make_place(offering).pk


def _kwarg():
    from tests.audit.test_routes import Kwarg

    return Kwarg(make_day_care_place, personal=False)


ROUTE_KWARGS = {"place_id": _kwarg()}
