"""Separation of duties for roles: an administrator proposes, the responsible leader approves.

A role (with its unit and department) takes effect only when a RoleProposal is
approved by the leader of the proposal's unit, or by the municipality's
configured role approver (`Municipality.role_approver`); roles without a
unit (planner, administrator) only by the latter. Nobody approves a proposal
they made or one for themselves. Taking a role away (revoking, expiry) needs
no approval. Every step goes into the role history (trappa/accounts/history.py).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trappa.accounts.history import record, save_user
from trappa.accounts.models import ProposalStatus, Role, RoleEventKind, RoleProposal, User


def propose(user, *, role, unit, department, expires_at, reason, proposed_by):
    """A pending proposal to give `user` this role; it changes nothing until approved."""
    proposal = RoleProposal.objects.create(
        user=user,
        role=role,
        unit=unit,
        department=department,
        expires_at=expires_at,
        reason=reason,
        proposed_by=proposed_by,
    )
    record(user, RoleEventKind.PROPOSED, actor=proposed_by, reason=_describe(proposal), proposal=proposal)
    return proposal


def may_decide(approver, proposal):
    """Whether `approver` may approve or reject `proposal`."""
    if not approver.is_active or approver.role_has_expired or not approver.role:
        return False
    if approver.pk in (proposal.proposed_by_id, proposal.user_id):
        return False  # never one's own proposal, never a role for oneself
    municipality = proposal.user.municipality
    if municipality is None or approver.municipality_id != municipality.pk:
        return False
    if municipality.role_approver_id == approver.pk:
        return True
    return proposal.unit_id is not None and approver.role == Role.UNIT_LEADER and approver.unit_id == proposal.unit_id


def proposals_to_decide(approver):
    """The pending proposals `approver` may decide, oldest first."""
    q = RoleProposal.objects.filter(status=ProposalStatus.PENDING, user__municipality=approver.municipality_id)
    q = q.exclude(Q(proposed_by=approver) | Q(user=approver))
    q = q.select_related("user__municipality", "unit", "department", "proposed_by").order_by("proposed_at", "id")
    return [p for p in q if may_decide(approver, p)]


def approve(proposal_id, approver, note=""):
    """Approve and apply the proposal; PermissionError if `approver` may not, ValueError if already decided."""
    with transaction.atomic():
        proposal = _pending(proposal_id, approver)
        _decide(proposal, approver, ProposalStatus.APPROVED, note)
        user = User.objects.select_for_update().get(pk=proposal.user_id)
        user.role, user.unit, user.department = proposal.role, proposal.unit, proposal.department
        user.role_expires_at = proposal.expires_at
        save_user(
            user,
            actor=approver,
            kind=RoleEventKind.APPROVED,
            approved_by=approver,
            reason=_describe(proposal, note),
            proposal=proposal,
            update_fields=["role", "unit", "department", "role_expires_at"],
        )
        return proposal


def reject(proposal_id, approver, note=""):
    with transaction.atomic():
        proposal = _pending(proposal_id, approver)
        _decide(proposal, approver, ProposalStatus.REJECTED, note)
        reason = _describe(proposal, note)
        record(proposal.user, RoleEventKind.REJECTED, actor=approver, reason=reason, proposal=proposal)
        return proposal


def revoke(user, actor, reason):
    """Take the user's role away at once (no approval needed to remove access)."""
    _clear_role(user)
    save_user(user, actor=actor, kind=RoleEventKind.REVOKED, reason=reason, update_fields=_ROLE_FIELDS)


def expire_roles(now=None):
    """Take away every role whose time is up; returns the users whose role expired."""
    now = now or timezone.now()
    expired = []
    for user in User.objects.filter(role_expires_at__lte=now).exclude(role=""):
        _clear_role(user)
        save_user(user, actor=None, kind=RoleEventKind.EXPIRED, reason="expire_roles", update_fields=_ROLE_FIELDS)
        expired.append(user)
    return expired


_ROLE_FIELDS = ["role", "unit", "department", "role_expires_at"]


def _clear_role(user):
    user.role, user.unit, user.department, user.role_expires_at = "", None, None, None


def _pending(proposal_id, approver):
    q = RoleProposal.objects.select_for_update(of=("self",)).select_related("user__municipality")
    proposal = q.get(pk=proposal_id)
    if not may_decide(approver, proposal):
        raise PermissionError("This user may not decide this proposal")
    if proposal.status != ProposalStatus.PENDING:
        raise ValueError("The proposal has already been decided")
    return proposal


def _decide(proposal, approver, status, note):
    proposal.status, proposal.decided_by, proposal.decided_at = status, approver, timezone.now()
    proposal.decision_note = note
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _describe(proposal, note=""):
    text = proposal.reason
    return f"{text} — {note}" if note else text
