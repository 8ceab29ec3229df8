"""URL kwargs of the assessments routes for the route matrix (tests/audit/test_routes.py)."""

import uuid

from django.utils import timezone

from trappa.assessments.models import HomeVisit


def make_visit(case, person):
    visit = HomeVisit.objects.create(
        municipality=person.municipality,
        person=person,
        visited_on=timezone.localdate(),
        visited_by=case.alice,
        idempotency_key=uuid.uuid4(),
        what_matters="Route matrix visit",
    )
    return visit.pk


def _kwarg():
    from tests.audit.test_routes import Kwarg

    return Kwarg(make_visit)


ROUTE_KWARGS = {"visit_id": _kwarg()}
