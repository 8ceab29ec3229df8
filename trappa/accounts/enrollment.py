"""Enrollment codes: setting up an authenticator needs more than the password.

Whoever knows a new user's password could otherwise bind their own authenticator
at the first login. So enrolling asks for a one-time code that an approver (the
user's unit leader, or an administrator; never the user themself) issues: shown
once, stored only as a hash, expiring after TRAPPA_ENROLLMENT_CODE_HOURS (72 by
default), and void once used or when a newer code is issued. Each code row is the
record of who allowed which enrollment, and when it was used. A strong OpenID
Connect login needs no enrollment (the provider gave the second factor).

Resetting a user's devices (the administrator's "reset two-factor") therefore
only lets the user enroll again once an approver issues a new code.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trappa.accounts.models import EnrollmentCode
from trappa.accounts.roles import ENROLLMENT_CODE_ISSUERS, Role

# No 0/O or 1/I/L: the code is read aloud or off a screen.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def may_issue(issuer, user):
    """An approver may issue a code for another user of their municipality (a unit leader: of their unit)."""
    if issuer.pk == user.pk or not issuer.is_active or issuer.role not in ENROLLMENT_CODE_ISSUERS:
        return False
    if issuer.municipality_id is None or issuer.municipality_id != user.municipality_id:
        return False
    return issuer.role == Role.ADMINISTRATOR or (issuer.unit_id is not None and issuer.unit_id == user.unit_id)


@transaction.atomic
def issue(user, issued_by):
    """A new code for `user`: returns the code itself, which is stored only as a hash. Earlier unused codes end."""
    now = timezone.now()
    EnrollmentCode.objects.filter(user=user, used_at=None, expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    EnrollmentCode.objects.create(
        user=user,
        code_hash=_hash(code),
        issued_by=issued_by,
        issued_at=now,
        expires_at=now + timedelta(hours=settings.ENROLLMENT_CODE_HOURS),
    )
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@transaction.atomic
def redeem(user, code):
    """Use up the user's code if it is theirs, unused and not expired: True if it was."""
    now = timezone.now()
    q = EnrollmentCode.objects.select_for_update().filter(user=user, code_hash=_hash(code), used_at=None)
    found = q.filter(expires_at__gt=now).first()
    if found is None:
        return False
    found.used_at = now
    found.save(update_fields=["used_at"])
    return True


def _hash(code):
    normal = "".join(c for c in code.upper() if c.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()
