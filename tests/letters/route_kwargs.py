"""URL kwargs of the letter text pages for the route matrix: a text's name and language, no person's data."""


def _kwarg(value):
    from tests.audit.test_routes import Kwarg

    return Kwarg(lambda case, person: value, personal=False)


ROUTE_KWARGS = {"name": _kwarg("home_visit"), "language": _kwarg("nn")}
