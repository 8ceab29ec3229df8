"""URL kwargs of the caregiver routes for the route matrix (tests/audit/test_routes.py)."""

import datetime

from tests.caregivers.base import make_link
from trappa.caregivers.models import Agreement, Consent, ConsentTopic


def make_link_id(case, person):
    # A child caregiver, so the worklist (walked after this) shows Olga's; only Olga's caregiver is
    # visible to Alice's unit, so Per's stays refused.
    unit = case.health if person == case.olga else None
    link = make_link(case, person, unit=unit, given="Barn", birth=datetime.date(2013, 3, 3))
    Consent.objects.create(link=link, topic=ConsentTopic.RESPITE)  # so the letter to the caregiver may be made
    return link.pk


def make_agreement_id(case, person):
    link = make_link(case, person, unit=case.health if person == case.olga else None)
    agreement = Agreement.objects.create(
        link=link,
        version=1,
        caregiver_does="Dinner",
        service_does="Nursing",
        review_date=datetime.date(2027, 6, 1),
        created_by=case.alice,
    )
    return agreement.pk


def _kwargs():
    from tests.audit.test_routes import Kwarg

    return {"link_id": Kwarg(make_link_id), "agreement_id": Kwarg(make_agreement_id)}


ROUTE_KWARGS = _kwargs()
