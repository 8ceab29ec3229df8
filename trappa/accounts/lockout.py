"""Lockout state from django-axes, for the administrator's user pages."""

import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def locked_usernames(usernames):
    """Which of these usernames are locked out now (failures within the cool-off time)."""
    cutoff = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    q = AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=cutoff)
    q = q.values("username").annotate(failures=Sum("failures_since_start"))
    return {row["username"] for row in q if row["failures"] >= settings.AXES_FAILURE_LIMIT}


def unlock(username):
    """Forget the failed attempts, so the user may log in again at once."""
    return reset(username=username)
