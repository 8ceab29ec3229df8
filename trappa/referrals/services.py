"""What changes referrals and enrollments. Views and other apps call these, never save rows themselves.

Care relationships: a referral gives the responsible unit access to the person
while it is open, and for REFERRAL_ACCESS_AFTER_CLOSE after it closes, so the
team can write the end report and answer questions about it; then it ends by
itself (ended_at is set in the future). An enrollment gives the group's leader
(or, for a volunteer-led group, the offering's unit) access while it is active.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from trappa.assessments.instruments import AnswerErrors, get, score
from trappa.assessments.screening import jsonable
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.letters.models import LetterSettings
from trappa.referrals.models import (
    ACTIVE,
    DISCHARGE_SOURCES,
    HEALTHY_LIFE_WEEKS,
    NEEDS_REASON,
    OWN_SERVICE_PATHWAYS,
    PATHWAY_DETAILS,
    SEATED,
    TAKEN,
    TRANSITIONS,
    Attendance,
    Enrollment,
    EnrollmentStatus,
    Group,
    OutcomeMeasurement,
    Pathway,
    PhysiotherapySession,
    Referral,
    ReferralStep,
    Session,
    Source,
    Status,
)

REFERRAL_ACCESS_AFTER_CLOSE = datetime.timedelta(days=30)


def today():
    return timezone.localdate()


@transaction.atomic
def refer(
    person,
    offering,
    source,
    user,
    reason,
    *,
    unit=None,
    service="",
    pathway=Pathway.GENERAL,
    on=None,
    details=None,
    mapping=None,
):
    """Refer a person to an offering (or a service, or a pathway that is a service of its own)
    in one step; the responsible unit gets access.

    The unit is the offering's unit unless given. `details`: the pathway's own fields
    (PATHWAY_DETAILS). Raises ValidationError on bad input, writing nothing.
    """
    unit = unit or (offering.unit if offering is not None else None)
    details = {k: v for k, v in (details or {}).items() if k in PATHWAY_DETAILS and v not in (None, "")}
    _check_referral(person, offering, source, unit, service, pathway)
    _check_details(details)
    if mapping is not None and mapping.person_id != person.pk:
        raise ValidationError(_("The mapping belongs to another person."))
    on = on or today()
    referral = Referral.objects.create(
        municipality=person.municipality,
        person=person,
        offering=offering,
        service=service,
        pathway=pathway,
        source=source,
        reason=reason or "",
        unit=unit,
        referred_by=user,
        referred_on=on,
        status_on=on,
        mapping=mapping,
        **details,
    )
    ReferralStep.objects.create(referral=referral, status=Status.REFERRED, on=on, by=user)
    referral.care_relationship = CareRelationship.objects.create(
        person=person, unit=unit, kind=CareRelationshipKind.REFERRAL, source=f"referral:{referral.pk}"
    )
    referral.save(update_fields=["care_relationship"])
    return referral


def _check_referral(person, offering, source, unit, service, pathway):
    if source not in Source.values:
        raise ValidationError(_("Unknown referral source."))
    if pathway not in Pathway.values:
        raise ValidationError(_("Unknown pathway."))
    if offering is None and not service and pathway not in OWN_SERVICE_PATHWAYS:
        raise ValidationError(_("Refer to an offering or a service."))
    if pathway == Pathway.INTERVENTION_TEAM and source not in DISCHARGE_SOURCES:
        raise ValidationError(
            _(
                "The intervention team follows up after a hospital or a short-term stay: "
                "referred by the hospital or the nursing home."
            )
        )
    if unit is None:
        raise ValidationError(_("Choose the unit responsible for the referral."))
    if not person.is_active:
        raise ValidationError(_("The person has died or moved out of the municipality."))
    for thing in (offering, unit):
        if thing is not None and thing.municipality_id != person.municipality_id:
            raise ValidationError(_("The offering and the unit must belong to the person's municipality."))


@transaction.atomic
def change_status(referral, status, user, *, on=None, reason="", visits=None):
    """Move a referral to its next status, with the date and (where needed) the reason."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    on = on or today()
    _check_change(referral, status, on, reason)
    referral.status, referral.status_on, referral.status_reason = status, on, reason
    fields = ["status", "status_on", "status_reason"]
    if status == Status.STARTED:
        referral.started_on = on
        fields.append("started_on")
        if referral.pathway == Pathway.HEALTHY_LIFE:
            referral.follow_up_until = on + datetime.timedelta(weeks=HEALTHY_LIFE_WEEKS)
            fields.append("follow_up_until")
    if status in (Status.COMPLETED, Status.DROPPED_OUT):
        referral.ended_on = on
        fields.append("ended_on")
    if visits is not None:
        referral.visits = visits
        fields.append("visits")
    referral.save(update_fields=fields)
    ReferralStep.objects.create(referral=referral, status=status, on=on, reason=reason, by=user)
    if referral.is_closed:
        _end_access(referral, on)
    return referral


def _check_details(details):
    start, end = details.get("planned_from"), details.get("planned_until")
    if start and end and end < start:
        raise ValidationError(_("The planned period ends before it starts."))


NO_PLAN_HERE = _(
    "This referral's pathway has no plan of its own here: only the intervention team, day rehabilitation "
    "and rehabilitation stays have one."
)
PHYSIOTHERAPY_ONLY_FOR_STAYS = _("Physiotherapy sessions are recorded for rehabilitation stays.")


@transaction.atomic
def set_pathway_details(referral, details, goals=None):
    """Change the pathway's own fields (the rehabilitation plan's period, ward ...) and its goals."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.pathway not in OWN_SERVICE_PATHWAYS:
        raise ValidationError(NO_PLAN_HERE)
    values = {k: details.get(k) for k in PATHWAY_DETAILS if k in details}
    values = {k: ("" if k == "ward" else None) if v in (None, "") else v for k, v in values.items()}
    _check_details({**{k: getattr(referral, k) for k in PATHWAY_DETAILS}, **values})
    for name, value in values.items():
        setattr(referral, name, value)
    fields = list(values)
    if goals is not None:
        referral.goals = goals
        fields.append("goals")
    referral.save(update_fields=fields)
    return referral


@transaction.atomic
def record_physiotherapy(referral, on, user, minutes=None):
    """A day's physiotherapy follow-up during a rehabilitation stay; one per day (a second replaces the first).

    Under the referral's row lock, as its status changes: a stay ended or declined meanwhile is seen."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.pathway != Pathway.REHABILITATION_STAY:
        raise ValidationError(PHYSIOTHERAPY_ONLY_FOR_STAYS)
    if referral.status in (Status.DECLINED, Status.NOT_RELEVANT):
        raise ValidationError(_("The stay was declined or assessed not relevant: there is no stay to record for."))
    if on > today():
        raise ValidationError(_("The date cannot be in the future."))
    if on < referral.referred_on:
        raise ValidationError(_("The date cannot be before the referral."))
    if referral.ended_on and on > referral.ended_on:
        raise ValidationError(_("The date cannot be after the stay ended."))
    if minutes is not None and not 1 <= minutes <= 600:
        raise ValidationError(_("Give the minutes, from 1 to 600."))
    fields = {"by": user, "at": timezone.now()}
    if minutes is not None:
        fields["minutes"] = minutes
    session, _created = PhysiotherapySession.objects.update_or_create(referral=referral, on=on, defaults=fields)
    return session


def _check_change(referral, status, on, reason):
    if status not in TRANSITIONS.get(referral.status, ()):
        raise ValidationError(
            _("A referral that is %(current)s cannot become %(next)s."),
            params={"current": referral.get_status_display(), "next": Status(status).label},
        )
    if status in NEEDS_REASON and not reason.strip():
        raise ValidationError(_("Give the reason."))
    if on < referral.status_on:
        raise ValidationError(_("The date cannot be before the previous step."))
    if on > today():
        raise ValidationError(_("The date cannot be in the future."))


def _end_access(referral, on):
    if referral.care_relationship_id is None:
        return
    ends = timezone.make_aware(datetime.datetime.combine(on, datetime.time())) + REFERRAL_ACCESS_AFTER_CLOSE
    CareRelationship.objects.filter(pk=referral.care_relationship_id, ended_at__isnull=True).update(
        ended_at=ends, end_reason=f"referral {referral.get_status_display()}"
    )


def record_measurement(referral, moment, answers, *, on=None, instrument_id="sppb", not_tested_reason=""):
    """Score an instrument at the start or end (or record that it could not be done).

    Raises AnswerErrors from the engine for bad answers; replaces an earlier
    measurement of the same moment.
    """
    instrument = get(instrument_id)
    fields = {"instrument_version": instrument.version, "measured_on": on or today()}
    if not_tested_reason:
        fields.update(answers={}, total=None, not_tested=True, not_tested_reason=not_tested_reason)
    else:
        result = score(instrument, answers)
        if result.total is None:
            raise AnswerErrors(result.messages)
        fields.update(answers=jsonable(answers), total=int(result.total), not_tested=False, not_tested_reason="")
    measurement, _created = OutcomeMeasurement.objects.update_or_create(
        referral=referral, moment=moment, instrument_id=instrument_id, defaults=fields
    )
    return measurement


# --- groups -----------------------------------------------------------------


def enroll(group, person, *, priority=0, pre_course_conversation_on=None, seat=None):
    """Enroll a person, or put them on the waitlist when the group is full.

    The group's row is locked for the whole decision, so simultaneous requests
    queue on the lock: each counts the seats after the previous one committed,
    and the sequence number records the order the lock was granted (arrival
    order). Enrolling someone already active returns their enrollment.

    `seat=True`: the caller holds the group's row lock and has counted the seats its own
    way (a person given a day-care place on some weekdays, trappa/daycare/services.py), so the
    person is enrolled whatever `seats_taken` says.
    """
    if group.municipality_id != person.municipality_id or not person.is_active:
        raise ValidationError(_("Only residents of the group's municipality can be enrolled."))
    if group.requires_pre_course_conversation and pre_course_conversation_on is None:
        raise ValidationError(_("This course starts with a conversation: give its date."))
    with transaction.atomic():
        group = locked_group(group.pk, "offering")
        existing = group.enrollments.filter(person=person, status__in=list(SEATED | {EnrollmentStatus.WAITLISTED}))
        if existing.exists():
            return existing.get()
        status = (
            EnrollmentStatus.ENROLLED if seat or seats_taken(group) < group.capacity else EnrollmentStatus.WAITLISTED
        )
        enrollment = Enrollment.objects.create(
            group=group,
            person=person,
            status=status,
            priority=priority,
            sequence=group.next_sequence,
            pre_course_conversation_on=pre_course_conversation_on,
            care_relationship=_enrollment_access(group, person),
        )
        group.next_sequence += 1
        group.save(update_fields=["next_sequence"])
    return enrollment


# Groups whose seats are not one per person register how to count them: an app higher in the import layers
# (day care, where persons coming on different weekdays share a place) names the group's one-to-one object of
# its kind (related name) and a function of that object that returns the seats taken.
_seat_counters = {}


def count_seats_with(related_name, function):
    """Count the seats of a group that has a `related_name` object (its day-care place) with `function(object)`."""
    _seat_counters[related_name] = function


def locked_group(pk, *related):
    """The group read again under its row lock (the group's row only), with the objects `seats_taken` looks
    for read in the same query, so counting a plain group's seats costs no query for what it is not."""
    return Group.objects.select_for_update(of=("self",)).select_related(*related, *_seat_counters).get(pk=pk)


def seats_taken(group):
    """The seats taken, as enrolling and offering a freed seat see them (a person on the waitlist needs a seat
    for the whole group). Call under the group's row lock (`locked_group`)."""
    for related_name, counter in _seat_counters.items():
        try:
            kind = getattr(group, related_name)
        except ObjectDoesNotExist:
            continue
        return counter(kind)
    return group.enrollments.filter(status__in=list(TAKEN)).count()


def _enrollment_access(group, person):
    holder = {"user": group.leader} if group.leader_id else {"unit": group.offering.unit}
    if holder.get("unit", True) is None:
        return None  # no leader and no unit: nobody to give access to
    return CareRelationship.objects.create(
        person=person, kind=CareRelationshipKind.ENROLLMENT, source=f"group:{group.pk}", **holder
    )


# The enrollment state machine: each action, the statuses it may start from, and where it leads.
# Every action locks the group and then the enrollment, re-reads the status and refuses anything else.
# (Enrolling, `enroll`, is the first step: it locks the group and counts the seats taken.)
ACTIONS = {
    "offer": ({EnrollmentStatus.WAITLISTED}, EnrollmentStatus.OFFERED),
    "accept": ({EnrollmentStatus.OFFERED}, EnrollmentStatus.ENROLLED),
    "decline": ({EnrollmentStatus.OFFERED}, EnrollmentStatus.DECLINED),
    "expire": ({EnrollmentStatus.OFFERED}, EnrollmentStatus.EXPIRED),
    "withdraw": (set(ACTIVE), EnrollmentStatus.WITHDRAWN),
    "complete": ({EnrollmentStatus.ENROLLED}, EnrollmentStatus.COMPLETED),
}


def _locked(enrollment):
    """Lock the group, then the enrollment (always in this order, so two actions cannot deadlock); re-read both."""
    group = locked_group(enrollment.group_id)
    return group, Enrollment.objects.select_for_update().get(pk=enrollment.pk)


def _move(current, action):
    """Check the action is possible from the status just re-read under the lock, then take it."""
    starts, to = ACTIONS[action]
    if current.status not in starts:
        raise ValidationError(
            _("This cannot be done any more: the enrollment is now %(status)s."),
            params={"status": current.get_status_display().lower()},
            code="conflict",
        )
    freed = current.status in TAKEN and to not in TAKEN
    _set_status(current, to)
    return freed


def _sync(enrollment, current):
    enrollment.status, enrollment.status_at = current.status, current.status_at


def withdraw(enrollment):
    """Take a person off a group or its waitlist; a freed seat goes to the next on the waitlist.

    Withdrawing an enrollment already withdrawn (a second click) does nothing and returns None."""
    with transaction.atomic():
        group, current = _locked(enrollment)
        if current.status == EnrollmentStatus.WITHDRAWN:
            _sync(enrollment, current)
            return None
        freed = _move(current, "withdraw")
        _end_enrollment_access(current, "withdrawn")
        _sync(enrollment, current)
        return offer_freed_seat(group) if freed else None


def _end_enrollment_access(enrollment, reason):
    if enrollment.care_relationship_id:
        CareRelationship.objects.filter(pk=enrollment.care_relationship_id, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )


def offer_freed_seat(group):
    """Offer the seat to the next on the waitlist: highest priority, then who came first. Call under the lock.

    The offer must be answered by its date (`offer_expires_on`): the group's days to answer,
    else the municipality's (letter settings); after it, `expire_offer` frees the seat again."""
    if seats_taken(group) >= group.capacity:
        return None
    waiting = group.enrollments.filter(status=EnrollmentStatus.WAITLISTED).order_by("-priority", "sequence")
    following = waiting.select_for_update().first()
    if following is not None:
        _move(following, "offer")
        following.offer_expires_on = today() + datetime.timedelta(days=offer_answer_days(group))
        following.save(update_fields=["offer_expires_on"])
    return following


def offer_answer_days(group):
    """How many days an offered seat of this group stays open."""
    if group.offer_answer_days:
        return group.offer_answer_days
    return LetterSettings.for_municipality(group.municipality).answer_days


def accept_offer(enrollment):
    """Accept an offered seat. Refused if the offer was withdrawn or declined meanwhile."""
    with transaction.atomic():
        _group, current = _locked(enrollment)
        if current.status != EnrollmentStatus.OFFERED:
            _sync(enrollment, current)
            raise ValidationError(
                _("There is no seat on offer to accept: the enrollment is now %(status)s."),
                params={"status": current.get_status_display().lower()},
                code="conflict",
            )
        _move(current, "accept")
        _sync(enrollment, current)
    return enrollment


def decline_offer(enrollment):
    """The person says no to an offered seat; the seat goes to the next on the waitlist."""
    with transaction.atomic():
        group, current = _locked(enrollment)
        _move(current, "decline")
        _end_enrollment_access(current, "declined")
        _sync(enrollment, current)
        return offer_freed_seat(group)


def expire_offer(enrollment, on=None):
    """An offered seat not answered by its date expires; the seat goes to the next on the waitlist.

    Refused (ValidationError) if the offer was answered or withdrawn meanwhile, or is still open on `on`."""
    on = on or today()
    with transaction.atomic():
        group, current = _locked(enrollment)
        if current.status == EnrollmentStatus.OFFERED and current.offer_expires_on and current.offer_expires_on >= on:
            raise ValidationError(
                _("The offered seat can still be answered until %(date)s."),
                params={"date": formats.date_format(current.offer_expires_on, "SHORT_DATE_FORMAT")},
                code="still_open",
            )
        _move(current, "expire")
        _end_enrollment_access(current, "offer expired")
        _sync(enrollment, current)
        return offer_freed_seat(group)


def expire_overdue_offers(municipality=None, on=None):
    """Expire every offered seat whose answer-by date is before `on` (the nightly run); how many expired.

    Each in its own transaction under the locks: an offer accepted a moment ago is left alone."""
    on = on or today()
    q = Enrollment.objects.filter(status=EnrollmentStatus.OFFERED, offer_expires_on__lt=on)
    if municipality is not None:
        q = q.filter(group__municipality=municipality)
    expired = 0
    for enrollment in q.order_by("pk"):
        try:
            expire_offer(enrollment, on)
        except ValidationError:
            continue  # answered or withdrawn since the query: nothing to expire
        expired += 1
    return expired


def complete(enrollment, on=None):
    """The participant completed the course. Their seat stays taken: the run is over for them,
    not open to the waitlist. Refused before the group starts, or if the person holds no seat."""
    on = on or today()
    with transaction.atomic():
        group, current = _locked(enrollment)
        if group.starts_on > on:
            raise ValidationError(
                _("The course has not started yet: it starts %(date)s."),
                params={"date": formats.date_format(group.starts_on, "SHORT_DATE_FORMAT")},
                code="not_started",
            )
        _move(current, "complete")
        _end_enrollment_access(current, "completed")
        _sync(enrollment, current)
    return enrollment


def _set_status(enrollment, status):
    enrollment.status, enrollment.status_at = status, timezone.now()
    enrollment.save(update_fields=["status", "status_at"])


def set_fee_paid(enrollment, paid, user):
    """Mark a participant's fee paid (keeping who and when) or not paid; True if it changed.

    One conditional UPDATE: it changes the row only if the participant still has a seat and the
    fee is not already so, so a repeat keeps the first marker and a concurrent withdrawal wins.
    Call inside the caller's transaction when the change is to be logged with it."""
    if enrollment.group.fee <= 0:
        raise ValidationError(_("This group has no fee."))
    marker = (timezone.now(), user) if paid else (None, None)
    changed = (
        Enrollment.objects.filter(pk=enrollment.pk, status__in=list(TAKEN))
        .exclude(fee_paid=paid)
        .update(fee_paid=paid, fee_paid_at=marker[0], fee_paid_by=marker[1])
    )
    enrollment.refresh_from_db(fields=["status", "status_at", "fee_paid", "fee_paid_at", "fee_paid_by"])
    if not changed and enrollment.status not in TAKEN:
        raise ValidationError(_("Only participants with a seat pay the fee."))
    return bool(changed)


def add_weekly_sessions(group, first, count):
    """`count` sessions a week apart from `first` (an aware datetime)."""
    sessions = [Session(group=group, starts_at=first + datetime.timedelta(weeks=n)) for n in range(count)]
    return Session.objects.bulk_create(sessions)


@transaction.atomic
def record_attendance(session, present_ids, enrollments=None):
    """Mark who came to a session, for the given seated enrollments (all seated ones by default).

    Under the group's lock, so a participant withdrawn meanwhile is not marked."""
    Group.objects.select_for_update().get(pk=session.group_id)
    seated = session.group.enrollments.filter(status__in=list(SEATED))
    if enrollments is not None:
        seated = seated.filter(pk__in=[e.pk for e in enrollments])
    present_ids = set(present_ids)
    for enrollment in seated:
        Attendance.objects.update_or_create(
            session=session, enrollment=enrollment, defaults={"present": enrollment.pk in present_ids}
        )
