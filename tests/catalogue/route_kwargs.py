"""URL kwargs of the catalogue's staff routes for the route matrix (tests/audit/test_routes.py).

The plans and measures are aggregates of a municipality, never a person's data;
the values point at nothing, so the routes answer 404 (or refuse the role).
"""


def _kwarg(make):
    from tests.audit.test_routes import Kwarg

    return Kwarg(make, personal=False)


ROUTE_KWARGS = {
    "year": _kwarg(lambda case, person: 2024),
    "measure": _kwarg(lambda case, person: "no-such-measure"),
}
