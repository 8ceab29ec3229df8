"""End a person's care relationships when follow-up ends (death or moving out)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from trappa.audit.models import CareRelationship
from trappa.people.signals import DIED, MOVED

END_REASONS = (DIED, MOVED)


def end_follow_up(sender, person, reason, date, **kwargs):
    """Receiver of trappa.people.signals.follow_up_ended."""
    end_care_relationships(person, reason, date)


def end_care_relationships(person, reason, date):
    """End every relationship still running at the start of `date`; nothing is deleted.

    The end is the start of the day of death or moving out (Europe/Oslo), even
    when a later extract reports it: access after that day had no basis.
    """
    if reason not in END_REASONS:
        raise ValueError(f"Unknown reason for ending follow-up: {reason!r}")
    ended_at = _start_of_day(date) if date else timezone.now()
    q = CareRelationship.objects.filter(person=person)
    # Relationships already ended before that day keep their own end and reason.
    q = q.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=ended_at))
    return q.update(ended_at=ended_at, end_reason=reason)


def _start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())
