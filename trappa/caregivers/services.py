"""Creating caregiver links, scoring strain, and reading what a caregiver may be told."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappa.accounts.models import Role, User
from trappa.assessments.instruments import get, score
from trappa.assessments.screening import latest_results
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.caregivers.models import (
    STRAIN_INSTRUMENT,
    Agreement,
    CaregiverLink,
    Consent,
    ConsentTopic,
    Mapping,
    consented_topics,
)
from trappa.referrals.models import ACTIVE, SEATED, Session


@transaction.atomic
def create_link(relation, user, **fields):
    """Link a caregiver relation; the user's unit and the coordinators' units follow the caregiver up."""
    link = CaregiverLink.objects.create(
        relation=relation, caregiver=relation.from_person, recipient=relation.to_person, **fields
    )
    units = {user.unit_id} | set(coordinator_units(relation.to_person.municipality))
    for unit_id in units - {None}:
        for person in (link.caregiver, link.recipient):
            CareRelationship.objects.get_or_create(
                person=person,
                unit_id=unit_id,
                ended_at=None,
                kind=CareRelationshipKind.CAREGIVER_FOLLOW_UP,
                defaults={"source": "caregivers"},
            )
    return link


def coordinator_units(municipality):
    coordinators = User.objects.filter(municipality=municipality, role=Role.CAREGIVER_COORDINATOR, is_active=True)
    return coordinators.exclude(unit=None).values_list("unit_id", flat=True).distinct()


def _lock(link):
    """Serialise changes on one link (inside a transaction): two saves at once wait for each other. The
    link is locked, not its agreements or consents, since the first of those has no row to lock yet."""
    CaregiverLink.objects.select_for_update().filter(pk=link.pk).first()


def next_agreement(link, user, **fields):
    """A changed agreement is a new version: the earlier ones stay as they were."""
    with transaction.atomic():
        _lock(link)
        latest = link.agreements.first()
        version = (latest.version + 1) if latest else 1
        return Agreement.objects.create(link=link, version=version, created_by=user, **fields)


def set_consents(link, user, wanted):
    """The recipient consents to exactly the `wanted` topics now: others are withdrawn (and kept), new
    ones given; a topic is never given twice."""
    with transaction.atomic():
        _lock(link)
        now = timezone.now()
        current = consented_topics(link, now)
        link.consents.filter(withdrawn_at=None, topic__in=current - wanted).update(withdrawn_at=now)
        Consent.objects.bulk_create(
            [Consent(link=link, topic=t, given_at=now, recorded_by=user) for t in sorted(wanted - current)]
        )


def record_mapping(link, user, strain, **fields):
    """Save a mapping and close the prompts it answers."""
    with transaction.atomic():
        mapping = Mapping.objects.create(
            link=link,
            done_by=user,
            strain_answers=strain.answers,
            strain_total=strain.total,
            strain_band=strain.band,
            instrument_version=strain.version,
            **fields,
        )
        link.prompts.filter(done_at=None).update(done_at=mapping.done_at)
    return mapping


def shared_view(link, plan_stays):
    """What this caregiver may be told about the recipient: only the topics of current consent.

    Each topic's data is read only when the topic is consented to: `plan_stays` is a function of the
    recipient, called only with consent to share respite stays.
    """
    topics = consented_topics(link)
    now = timezone.now()
    today = timezone.localdate(now)
    recipient = link.recipient
    shared = {"topics": topics}
    if ConsentTopic.SERVICES in topics:
        shared["services"] = [d for d in recipient.decisions.order_by("start_date") if d.is_active_on(today)]
    if ConsentTopic.RESPITE in topics:
        shared["respite"] = plan_stays(recipient)
    if ConsentTopic.HEALTH in topics:
        shared["health"] = latest_results(recipient)
    if ConsentTopic.APPOINTMENTS in topics:
        shared["appointments"] = upcoming_appointments(recipient, now)
    return shared


@dataclass
class Appointment:
    day: datetime.date
    time: datetime.time | None  # None: the day is known, not the hour
    what: str
    where: str = ""
    who: str = ""


def upcoming_appointments(person, now=None):
    """What the person has coming up that the system knows, by date: the sessions of the groups and courses
    where they have a seat, and the conversations before a course. Nothing in the past."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    appointments = []
    sessions = Session.objects.filter(
        group__enrollments__person=person, group__enrollments__status__in=SEATED, starts_at__gte=now
    )
    for session in sessions.select_related("group__location", "group__leader").distinct():
        group, starts = session.group, timezone.localtime(session.starts_at)
        where = group.location.name if group.location_id else ""
        appointments.append(Appointment(starts.date(), starts.time(), group.name, where, group.leader_name))
    conversations = person.enrollments.filter(status__in=ACTIVE, pre_course_conversation_on__gte=today)
    for enrollment in conversations.select_related("group"):
        what = _("Conversation before the course %(name)s") % {"name": enrollment.group.name}
        appointments.append(Appointment(enrollment.pre_course_conversation_on, None, what))
    return sorted(appointments, key=lambda a: (a.day, a.time or datetime.time.min))


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
