"""The role history: every change to an account or its role, as RoleEvents.

Whatever saves a user, a page, a management command or the shell, the
signals below compare the account with what it was and write the events:
created, role changed, deactivated or reactivated, password set, login
subject changed. Trappa's own pages say who did it and why by saving
through `save_user(..., actor=..., kind=..., reason=...)`; a change without
that context is still written, as "changed outside the approval" with no actor.
Events that change no field of the user (proposed, rejected, two-factor
reset) are written with `record()`.
"""

from datetime import datetime, time, timedelta

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from trappa.accounts.models import PERSONAL_DATA_ROLES, RoleEvent, RoleEventKind, User

# The fields whose change is history; a save of others only (last_login) is not looked at.
TRACKED = frozenset({"role", "unit", "department", "role_expires_at", "is_active", "password", "oidc_subject"})
ROLE_FIELDS = ("role", "unit_id", "department_id", "role_expires_at")


def save_user(user, *, actor, kind=None, approved_by=None, reason="", proposal=None, update_fields=None):
    """Save `user`; the events it causes name `actor`, and a role change is a `kind` event."""
    user._history_context = {
        "actor": actor,
        "kind": kind,
        "approved_by": approved_by,
        "reason": reason,
        "proposal": proposal,
    }
    user.save(update_fields=update_fields)


def record(user, kind, *, actor, reason="", proposal=None, approved_by=None):
    """An event about `user` that changes none of its fields (its state is copied as it is)."""
    return RoleEvent.objects.create(
        **_state(user, before=None),
        kind=kind,
        actor=actor,
        actor_username=actor.username if actor else "",
        reason=reason,
        proposal=proposal,
        approved_by=approved_by,
    )


def _state(user, before):
    return {
        "municipality_id": user.municipality_id,
        "user": user,
        "username": user.username,
        "role_from": before["role"] if before else user.role,
        "role_to": user.role,
        "unit_from_id": before["unit_id"] if before else user.unit_id,
        "unit_to_id": user.unit_id,
        "department_to_id": user.department_id,
        "is_active": user.is_active,
        "expires_at": user.role_expires_at,
    }


@receiver(pre_save, sender=User)
def _remember_before(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not TRACKED & set(update_fields)):
        instance._history_before = None
        return
    fields = ("role", "unit_id", "department_id", "role_expires_at", "is_active", "oidc_subject")
    instance._history_before = User.objects.filter(pk=instance.pk).values(*fields).first() if instance.pk else None


@receiver(post_save, sender=User)
def _write_events(sender, instance, created, update_fields=None, raw=False, **kwargs):
    context = instance.__dict__.pop("_history_context", {})
    before = instance.__dict__.pop("_history_before", None)
    if raw or (not created and before is None):
        return
    actor = context.get("actor")
    common = {"actor": actor, "actor_username": actor.username if actor else "", "reason": context.get("reason", "")}
    for kind, role_change in _kinds(instance, created, before, context):
        extra = {"approved_by": context.get("approved_by"), "proposal": context.get("proposal")} if role_change else {}
        RoleEvent.objects.create(**_state(instance, before), kind=kind, **common, **extra)


def _kinds(user, created, before, context):
    """(kind, is the role change) for each change this save made."""
    if created:
        yield RoleEventKind.CREATED, True
        return
    if any(before[name] != getattr(user, name) for name in ROLE_FIELDS):
        yield context.get("kind") or RoleEventKind.CHANGED, True
    if before["is_active"] != user.is_active:
        yield (RoleEventKind.REACTIVATED if user.is_active else RoleEventKind.DEACTIVATED), False
    if before["oidc_subject"] != user.oidc_subject:
        yield RoleEventKind.LOGIN_CHANGED, False
    # Set by set_password() until the save completes; not by a hash upgrade at login.
    if getattr(user, "_password", None) is not None:
        yield RoleEventKind.PASSWORD_RESET, False


def who_had_access(unit, day):
    """The users who held a role that sees personal data in `unit` at any moment of `day` (a local date).

    Read from the role history alone: each user's state at the start of the day
    (their last event before it) and every event during the day. Returns one
    row per user: the user, the role, and the event that gave it.
    """
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    q = RoleEvent.objects.filter(municipality_id=unit.municipality_id, at__lt=end)
    q = q.select_related("user", "approved_by", "actor").order_by("user_id", "at", "id")
    granted, state, origin = {}, {}, {}
    for event in q:
        moment = max(start, event.at)
        if event.kind in GIVING:
            origin[event.user_id] = event
        event.origin = origin.get(event.user_id)  # the event that gave the role the user held then
        if event.at < start:
            state[event.user_id] = event  # the state the day starts with, once all earlier events are read
            continue
        _grant(granted, state.pop(event.user_id, None), unit, start)
        _grant(granted, event, unit, moment)
    for event in state.values():
        _grant(granted, event, unit, start)
    return sorted(granted.values(), key=lambda event: (event.user.last_name, event.user.username))


# The events that set a role (the others carry the role on unchanged, or take it away).
GIVING = frozenset({RoleEventKind.CREATED, RoleEventKind.APPROVED, RoleEventKind.CHANGED})


def _grant(granted, event, unit, moment):
    if event is None or event.user_id in granted:
        return
    gives_access = (
        event.is_active
        and event.role_to in PERSONAL_DATA_ROLES
        and event.unit_to_id == unit.pk
        and (event.expires_at is None or event.expires_at > moment)
    )
    if gives_access:
        granted[event.user_id] = event
