"""URL kwargs of the referral routes for the route matrix (tests/audit/test_routes.py).

Each factory builds the object through the services (which give a unit or a
leader access), then ends that access at once: the person's object exists, but
only the base case's grants decide who sees it (Olga: Alice's worklist; Per: nobody).
"""

import datetime
import itertools

from django.utils import timezone

from tests.referrals.base import make_group, make_offering
from trappa.audit.models import CareRelationship
from trappa.referrals import mapping, plans, services
from trappa.referrals.models import ContactKind, Source, Status

_numbers = itertools.count(1)


def _offering(case):
    n = next(_numbers)
    return make_offering(case.vefsn, case.health, f"route-matrix-{n}", f"Route matrix {n}")


def _end_access(obj):
    CareRelationship.objects.filter(pk=obj.care_relationship_id).update(ended_at=timezone.now())


def make_referral(case, person):
    referral = services.refer(person, _offering(case), Source.GP, case.alice, "route matrix")
    _end_access(referral)
    return referral.pk


def make_waitlist(case, person):
    referral = services.refer(
        person, _offering(case), Source.GP, case.alice, "route matrix", on=datetime.date(2026, 1, 2)
    )
    services.change_status(referral, Status.RELEVANT, case.therapist, on=datetime.date(2026, 1, 3))
    _end_access(referral)
    return referral.offering_id


def _enrollment(case, person):
    # With a fee, so the unpaid fees page has someone to list.
    group = make_group(_offering(case), leader=case.course_leader, fee=150)
    enrollment = services.enroll(group, person)
    _end_access(enrollment)
    return enrollment


def _session(case, person):
    group = _enrollment(case, person).group
    return services.add_weekly_sessions(group, timezone.now(), 1)[0].pk


def make_mapping(case, person):
    # A mapping gives no access: the base case's grants decide who sees it.
    data = {"kind": ContactKind.FIRST_CONTACT, "source": Source.HOME_SERVICES, "mapped_on": datetime.date(2026, 1, 5)}
    return mapping.create(person, case.alice, {**data, "what_matters": "route matrix"}).pk


def _kwargs():
    from tests.audit.test_routes import Kwarg

    return {
        "referral_id": Kwarg(make_referral),
        "offering_id": Kwarg(make_waitlist, personal=False),
        "group_id": Kwarg(lambda case, person: _enrollment(case, person).group_id, personal=False),
        "enrollment_id": Kwarg(lambda case, person: _enrollment(case, person).pk),
        "session_id": Kwarg(_session, personal=False),
        "mapping_id": Kwarg(make_mapping),
        "plan_id": Kwarg(lambda case, person: plans.create(person, case.caseworker, datetime.date(2026, 1, 5)).pk),
    }


ROUTE_KWARGS = _kwargs()
