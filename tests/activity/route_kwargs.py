"""URL kwargs of the activity routes for the route matrix (tests/audit/test_routes.py)."""

import datetime

from trappa.people.models import WelfareTechnology, WelfareTechnologyKind


def make_technology(case, person):
    technology = WelfareTechnology.objects.create(
        person=person, kind=WelfareTechnologyKind.SAFETY_ALARM, since=datetime.date(2026, 1, 5)
    )
    return technology.pk


def _kwarg():
    from tests.audit.test_routes import Kwarg

    return Kwarg(make_technology)


ROUTE_KWARGS = {"technology_id": _kwarg()}
