"""Creating caregiver links, scoring strain, and reading what a caregiver may be told."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from trappa.accounts.models import Role, User
from trappa.assessments.instruments import get, score
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.caregivers.models import (
    Agreement,
    CaregiverLink,
    ConsentTopic,
    Mapping,
    MappingPrompt,
    consented_topics,
)


@transaction.atomic
def create_link(relation, user, **fields):
    """Link a caregiver relation; the user's unit and the coordinators' units follow the caregiver up."""
    link = CaregiverLink.objects.create(relation=relation, caregiver=relation.from_person,
                                        recipient=relation.to_person, **fields)  # fmt: skip
    units = {user.unit_id} | set(coordinator_units(relation.to_person.municipality))
    for unit_id in units - {None}:
        for person in (link.caregiver, link.recipient):
            CareRelationship.objects.get_or_create(person=person, unit_id=unit_id, ended_at=None,
                                                   kind=CareRelationshipKind.CAREGIVER_FOLLOW_UP,
                                                   defaults={"source": "caregivers"})  # fmt: skip
    return link


def coordinator_units(municipality):
    coordinators = User.objects.filter(municipality=municipality, role=Role.CAREGIVER_COORDINATOR, is_active=True)
    return coordinators.exclude(unit=None).values_list("unit_id", flat=True).distinct()


def next_agreement(link, user, **fields):
    """A changed agreement is a new version: the earlier ones stay as they were."""
    with transaction.atomic():
        # Lock the link, not its agreements: the first version has no row to lock yet.
        type(link).objects.select_for_update().filter(pk=link.pk).first()
        latest = link.agreements.first()
        version = (latest.version + 1) if latest else 1
        return Agreement.objects.create(link=link, version=version, created_by=user, **fields)


def record_mapping(link, user, strain, **fields):
    """Save a mapping and close the prompts it answers."""
    with transaction.atomic():
        mapping = Mapping.objects.create(link=link, done_by=user, strain_answers=strain.answers,
                                         strain_total=strain.total, strain_band=strain.band,
                                         instrument_version=strain.version, **fields)  # fmt: skip
        link.prompts.filter(done_at=None).update(done_at=mapping.done_at)
    return mapping


def shared_view(link, plan_stays):
    """What this caregiver may be told about the recipient: only the topics of current consent."""
    topics = consented_topics(link)
    today = timezone.localdate()
    shared = {"topics": topics}
    if ConsentTopic.SERVICES in topics:
        shared["services"] = [d for d in link.recipient.decisions.order_by("start_date") if d.is_active_on(today)]
    if ConsentTopic.RESPITE in topics:
        shared["respite"] = plan_stays
    return shared


def overdue_prompts(today=None):
    return MappingPrompt.objects.filter(done_at=None, due__lt=today or timezone.localdate())


STRAIN_INSTRUMENT = "caregiver_strain_index"


@dataclass
class Strain:
    answers: dict
    total: int
    band: str
    version: str


def strain_items():
    return [item.id for item in get(STRAIN_INSTRUMENT).items]


def score_strain(answers):
    """Score the Caregiver Strain Index through the instrument engine; raises AnswerErrors."""
    instrument = get(STRAIN_INSTRUMENT)
    result = score(instrument, answers)
    return Strain(answers, int(result.total), result.band.id if result.band else "", instrument.version)
