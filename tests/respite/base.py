"""Respite fixtures: Vefsn's beds (three at Solina, three at Miljøtunet) and decisions for a person."""

import datetime

from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.respite import services
from trappa.respite.models import Bed, RespiteDecision, RespiteUnit

MONDAY = datetime.date(2026, 11, 30)


def vefsn_beds(municipality):
    beds = []
    for code, name, group in (("solina", "Solina", "somatic"), ("miljotunet", "Miljøtunet", "dementia")):
        unit, _ = RespiteUnit.objects.get_or_create(municipality=municipality, code=code, defaults={"name": name})
        for number in (1, 2, 3):
            bed, _ = Bed.objects.get_or_create(unit=unit, label=f"Rom {number}", defaults={"group": group})
            beds.append(bed)
    return beds


def decision(person, group="somatic", home=2, stay=2, first=MONDAY, weeks=26):
    return RespiteDecision.objects.create(
        person=person,
        group=group,
        home_weeks=home,
        stay_weeks=stay,
        first_stay=first,
        valid_from=first,
        valid_until=first + datetime.timedelta(weeks=weeks),
    )


def plan_with(person, municipality, start=MONDAY):
    """Beds, one decision for the person and a plan that places it."""
    beds = vefsn_beds(municipality)
    decision(person)
    plan = services.make_plan(municipality, start=start)
    return plan, beds


def follow_up(user, person):
    CareRelationship.objects.get_or_create(person=person, user=user, kind=CareRelationshipKind.CASE)
