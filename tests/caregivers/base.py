import datetime

from trappa.accounts.models import User
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.caregivers.models import CaregiverLink
from trappa.people.models import Person, PersonRelation, RelationKind, Sex


def make_caregiver(case, recipient, given="Dina", birth=datetime.date(1970, 5, 5), national_id=None):
    national_id = national_id or f"0505{birth.year % 100:02d}{Person.objects.count():05d}"  # unique per call
    caregiver = Person.objects.create(
        municipality=recipient.municipality,
        national_id=national_id,
        given_name=given,
        family_name="Omsorg",
        birth_date=birth,
        sex=Sex.FEMALE,
        municipality_number="1804",
    )
    relation = PersonRelation.objects.create(
        from_person=caregiver, to_person=recipient, kind=RelationKind.CAREGIVER, nearest_relative=True
    )
    return caregiver, relation


def make_link(case, recipient, unit=None, **kwargs):
    """A link with the caregiver visible to `unit` (the recipient's own grant is the test's business)."""
    caregiver, relation = make_caregiver(case, recipient, **kwargs)
    link = CaregiverLink.objects.create(
        relation=relation, caregiver=caregiver, recipient=recipient, relationship="daughter", hours_per_week=10
    )
    if unit is not None:
        CareRelationship.objects.create(person=caregiver, unit=unit, kind=CareRelationshipKind.CAREGIVER_FOLLOW_UP)
    return link


def user_in(unit):
    return User.objects.filter(unit=unit).first()
