"""URL kwargs of the accounts routes for the route matrix (tests/audit/test_routes.py)."""

from tests.audit.test_routes import Kwarg
from trappa.accounts.approval import propose
from trappa.accounts.models import Role, User


def _unit(case, person):
    return case.health.pk


def make_proposal(case, person):
    # A role proposed for a user of its own: an empty POST to the decision page may decide it.
    user, _ = User.objects.get_or_create(username="route-matrix-proposal", defaults={"municipality": case.vefsn})
    proposal = propose(
        user,
        role=Role.NURSE,
        unit=case.health,
        department=None,
        expires_at=None,
        reason="Route matrix",
        proposed_by=case.administrator,
    )
    return proposal.pk


ROUTE_KWARGS = {"unit_id": Kwarg(_unit, personal=False), "proposal_id": Kwarg(make_proposal, personal=False)}
