"""Ending care relationships (the people app ends them when follow-up ends)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from trappa.audit.models import CareRelationship


def end_care_relationships(person, reason, date):
    """End every relationship still running at the start of `date`; nothing is deleted.

    The end is the start of the day of death or moving out (Europe/Oslo), even
    when a later extract reports it: access after that day had no basis.
    """
    ended_at = _start_of_day(date) if date else timezone.now()
    q = CareRelationship.objects.filter(person=person)
    # Relationships already ended before that day keep their own end and reason.
    q = q.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=ended_at))
    return q.update(ended_at=ended_at, end_reason=reason)


def _start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())
