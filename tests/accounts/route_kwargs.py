"""URL kwargs of the account pages for the route matrix (tests/audit/test_routes.py)."""


def _unit(case, person):
    return case.health.pk


def _kwarg(make):
    from tests.audit.test_routes import Kwarg

    return Kwarg(make, personal=False)


ROUTE_KWARGS = {"unit_id": _kwarg(_unit)}
