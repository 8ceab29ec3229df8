"""Lockout after failed logins, in two parts that cannot be turned against a victim:

- django-axes locks a username *from one address* (AXES_LOCKOUT_PARAMETERS is the
  combination of username and IP address): a stranger's wrong passwords for a user
  lock the stranger's own address out of that account, not the user at their desk;
- a throttle per address (`address_throttled`, TRAPPA_LOGIN_IP_FAILURE_LIMIT) stops one
  address from spraying passwords over many usernames.

Both count failures within the cool-off time (AXES_COOLOFF_MINUTES). The address is
the one `trappa.lib.client_ip` reads, so behind a reverse proxy TRAPPA_TRUSTED_PROXIES
must be set (README), or every login would seem to come from the proxy.
"""

import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from trappa.lib.client_ip import client_ip


def _recent():
    cutoff = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AccessAttempt.objects.filter(attempt_time__gte=cutoff)


def locked_usernames(usernames):
    """Which of these usernames are locked out now from some address (failures within the cool-off time)."""
    q = _recent().filter(username__in=list(usernames)).values("username", "ip_address")
    q = q.annotate(failures=Sum("failures_since_start"))
    return {row["username"] for row in q if row["failures"] >= settings.AXES_FAILURE_LIMIT}


def address_throttled(request):
    """Whether the request's address failed to log in LOGIN_IP_FAILURE_LIMIT times, over any usernames."""
    address = client_ip(request) or ""
    failures = _recent().filter(ip_address=address).aggregate(n=Sum("failures_since_start"))["n"] or 0
    return failures >= settings.LOGIN_IP_FAILURE_LIMIT


def without_username(request, credentials):
    """AXES_WHITELIST_CALLABLE: a failure without a username (an OpenID Connect login the provider
    or Trappa refused) is not counted: the provider does its own lockout, and counting it per
    address alone would pause everyone behind the same address."""
    return not (credentials or {}).get("username")


def unlock(username):
    """Forget the failed attempts, so the user may log in again at once (from every address)."""
    return reset(username=username)
