"""THE access machinery for persons: every view that shows or changes a named
person's data gets the person through an access helper, which checks the grant
here and writes the access log.

A user may see a person of their own municipality when they have a grant:

1. a current care relationship held by the user, or by the user's unit
   (a worklist, a referral to the unit, an enrollment, a case ...), or
2. an active emergency access ("break the glass") they asked for with a reason.

Planners and administrators never get personal data, whatever relationships
exist. A person of another municipality is a 404: nothing hints that they exist.
A person of the user's own municipality without a grant is `AccessRefused` (a
PermissionDenied); `@person_view` turns it into a 403 page that offers
emergency access.

The audit app sits below the people app (README.md, "Layout"): it knows the
person only through its foreign keys ("people.Person"). The helpers that load
persons are in trappa/people/access.py. For a view of one person::

    person = get_person_for_user(request, person_id, "person page")

For a list page, filter with `visible_persons(user)` and log what is shown::

    persons = visible_persons(request.user).filter(...)[:50]
    log_persons_listed(request, persons, "person search")

The pattern for another app's protected model (one helper per model, in the
app's own `access.py`), e.g. a referral::

    def get_referral_for_user(request, referral_id, action=AccessAction.VIEW):
        referral = get_object_or_404(Referral.objects.select_related("person"), pk=referral_id)
        grant = check_person_access(request.user, referral.person)
        log_access(request, referral.person, grant, f"referral {referral.pk}", action)
        return referral

Always check before logging, and log before showing. `check_person_access`
raises Http404 for other municipalities, so a guessed id leaks nothing.

For a change, log what was changed once it is saved, so a rejected form is
not logged as a change (the form itself was logged as a view)::

    person = get_person_for_user(request, person_id, "home visit form")
    if form.is_valid():
        visit = form.save()
        grant = check_person_access(request.user, person)
        log_access(request, person, grant, f"home visit {visit.pk}", AccessAction.CREATE)
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from trappa.audit.models import (
    AccessAction,
    AccessLogEntry,
    AccessReason,
    CareRelationship,
    EmergencyAccess,
    EmergencyCategory,
)
from trappa.lib.client_ip import client_ip

# An emergency reason must be at least a sentence: this many words, this many of them real
# words (three letters or more), and this many characters. "x y z" is not a reason.
EMERGENCY_REASON_MIN_WORDS = 5
EMERGENCY_REASON_MIN_REAL_WORDS = 3
EMERGENCY_REASON_MIN_CHARACTERS = 25


def is_a_sentence(reason):
    """Whether an emergency reason says something: at least a short sentence."""
    words = reason.split()
    real = [w for w in words if sum(c.isalpha() for c in w) >= 3]
    return (
        len(words) >= EMERGENCY_REASON_MIN_WORDS
        and len(real) >= EMERGENCY_REASON_MIN_REAL_WORDS
        and len(" ".join(words)) >= EMERGENCY_REASON_MIN_CHARACTERS
    )


@dataclass(frozen=True)
class Grant:
    """Why a user may see a person: written to the access log as the "why"."""

    reason: str  # an AccessReason
    detail: str
    care_relationship: CareRelationship | None = None
    emergency_access: EmergencyAccess | None = None

    @property
    def is_emergency(self):
        return self.reason == AccessReason.EMERGENCY


class AccessRefused(PermissionDenied):
    """No grant for a person of the user's own municipality: emergency access may be asked for."""

    def __init__(self, person_id):
        super().__init__("No care relationship with this person")
        self.person_id = person_id


def check_person_access(user, person):
    """Return the Grant that lets `user` see `person`, or raise."""
    if not user.is_authenticated:
        raise PermissionDenied
    if person.municipality_id != user.municipality_id:
        raise Http404
    if not user.sees_personal_data:
        raise PermissionDenied
    relationship = _current_relationships(user, [person.pk]).first()
    if relationship is not None:
        return _relationship_grant(relationship)
    emergency = EmergencyAccess.objects.active().filter(user=user, person=person).order_by("-expires_at").first()
    if emergency is not None:
        return _emergency_grant(emergency)
    raise AccessRefused(person.pk)


def log_access(request, person, grant, what, action=AccessAction.VIEW):
    """Write one access log entry. Call only with a grant from check_person_access."""
    return _write(request, [_entry(_request_fields(request), person, grant, what, action)])[0]


# Where a request collects the entries of what it shows (see one_log_write).
_PENDING = "_trappa_access_log_pending"
_DEFERRED_ACTIONS = frozenset({AccessAction.VIEW, AccessAction.LIST})


@contextmanager
def one_log_write(request):
    """Within this block, what the request *shows* (VIEW and LIST entries) is written to the log
    in one transaction when the block ends, normally or by an exception: still before a response
    leaves, and a failed write fails the request (nothing is shown unlogged).

    Every person view runs in one (trappa/audit/routes.py): the chain's lock is taken once per
    page, not once per helper call (the person page took it twice, each time held over a commit).
    A change (CHANGE, CREATE, EXPORT) is written at once, after what was collected before it, so
    a change rolled back with its transaction leaves no entry claiming it. After the block, or
    outside any, every entry is written at once.
    """
    pending = []
    setattr(request, _PENDING, pending)
    try:
        yield
    finally:
        setattr(request, _PENDING, None)
        if pending:
            AccessLogEntry.objects.bulk_create(pending)


def _write(request, entries):
    if not entries:
        return entries
    pending = getattr(request, _PENDING, None)
    if pending is not None and all(entry.action in _DEFERRED_ACTIONS for entry in entries):
        pending.extend(entries)
        return entries
    if pending:
        entries = [*pending, *entries]
        pending.clear()
    return AccessLogEntry.objects.bulk_create(entries)


def grants_for_persons(user, persons):
    """{person id: Grant} for those of `persons` the user may see (a few queries, not one per person)."""
    if not user.is_authenticated or not user.sees_personal_data:
        return {}
    ids = [p.pk for p in persons if p.municipality_id == user.municipality_id]
    grants = {}
    # A care relationship is the better reason: it wins over an emergency access.
    for relationship in _current_relationships(user, ids):
        grants.setdefault(relationship.person_id, _relationship_grant(relationship))
    # So an emergency access is looked for only for those without one (on a worklist: nobody).
    ids = [pk for pk in ids if pk not in grants]
    if ids:
        for emergency in EmergencyAccess.objects.active().filter(user=user, person_id__in=ids).order_by("-expires_at"):
            grants.setdefault(emergency.person_id, _emergency_grant(emergency))
    return grants


def log_persons_listed(request, persons, what, action=AccessAction.LIST):
    """Log one entry per person shown on a list page (or in an export: action=EXPORT).

    Every person must be visible to the user (filter with `visible_persons`);
    listing one who is not is a bug, and fails closed with PermissionDenied.
    """
    persons = list(persons)
    grants = grants_for_persons(request.user, persons)
    if any(p.pk not in grants for p in persons):
        raise PermissionDenied
    fields = _request_fields(request)
    return _write(request, [_entry(fields, p, grants[p.pk], what, action) for p in persons])


def show_mentioned_persons(request, persons, what):
    """Of the persons a page would mention (a relative, a caregiver, another participant), the
    ids of those the user may see, each logged as shown; the page names no one else.

    For pages about one person that name others beside them: the others are mentioned only
    with a grant of their own, never through the grant for the person the page is about.
    """
    persons = {p.pk: p for p in persons}.values()
    grants = grants_for_persons(request.user, persons)
    shown = [p for p in persons if p.pk in grants]
    fields = _request_fields(request)
    _write(request, [_entry(fields, p, grants[p.pk], what, AccessAction.VIEW) for p in shown])
    return {p.pk for p in shown}


def log_unnamed_mentions(request, about, persons, what):
    """Log that a page about `about` mentioned `persons` without naming them ("a caregiver is
    registered"), where the workflow needs the mention: the user's grant for `about` is the why."""
    grant = check_person_access(request.user, about)
    what = f"{what}: mentioned without a name, on the page of person {about.pk}"
    fields = _request_fields(request)
    _write(request, [_entry(fields, p, grant, what, AccessAction.VIEW) for p in {p.pk: p for p in persons}.values()])


def load_person_for_emergency_access(user, person_id):
    """The person a user asks emergency access to; shows nothing, only checks it may be asked."""
    person = _load_person(person_id)
    if person.municipality_id != user.municipality_id:
        raise Http404
    if not user.sees_personal_data:
        raise PermissionDenied
    return person


def has_grant(user, person):
    return person.pk in grants_for_persons(user, [person])


def grant_emergency_access(user, person, reason, category):
    """Break the glass: access for EMERGENCY_ACCESS_MINUTES, flagged wherever it is used.
    Needs a category from EmergencyCategory and a reason of at least a sentence."""
    if person.municipality_id != user.municipality_id or not user.sees_personal_data:
        raise PermissionDenied
    reason = " ".join(reason.split())
    if category not in EmergencyCategory.values or not is_a_sentence(reason):
        raise ValueError("An emergency access needs a category and a reason of at least a sentence")
    now = timezone.now()
    expires_at = now + timedelta(minutes=settings.EMERGENCY_ACCESS_MINUTES)
    return EmergencyAccess.objects.create(
        user=user, person=person, category=category, reason=reason, granted_at=now, expires_at=expires_at
    )


def _load_person(person_id):
    # The person model, known here only as the target of the care relationship's foreign key.
    person_model = CareRelationship._meta.get_field("person").related_model
    try:
        return person_model.objects.get(pk=int(person_id))
    except (person_model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def _current_relationships(user, person_ids):
    q = CareRelationship.objects.current().for_user(user).filter(person_id__in=person_ids)
    # The user's own relationship says more than their unit's, so it comes first.
    return q.select_related("unit").order_by(F("user_id").asc(nulls_last=True), "started_at", "pk")


def _relationship_grant(relationship):
    detail = relationship.kind
    if relationship.source:
        detail += f" ({relationship.source})"
    if relationship.user_id is None:
        detail += f", unit {relationship.unit.name}"
    return Grant(AccessReason.CARE_RELATIONSHIP, detail, care_relationship=relationship)


def _emergency_grant(emergency):
    return Grant(AccessReason.EMERGENCY, emergency.reason, emergency_access=emergency)


def _request_fields(request):
    """What every entry of one write says about the request: who, when, from where. Found once
    per write, not once per entry (a worklist page writes a hundred)."""
    user = request.user
    return {
        "user": user,
        "username": user.username,
        "role": user.role,
        "unit_name": user.unit.name if user.unit_id else "",
        "at": timezone.now(),
        # The path only: a search query string may itself hold a national ID.
        "path": request.path[:500],
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }


def _entry(request_fields, person, grant, what, action):
    return AccessLogEntry(
        **request_fields,
        municipality_id=person.municipality_id,
        person=person,
        action=action,
        what=str(what)[:300],
        reason=grant.reason,
        reason_detail=grant.detail,
        care_relationship=grant.care_relationship,
        emergency_access=grant.emergency_access,
    )
