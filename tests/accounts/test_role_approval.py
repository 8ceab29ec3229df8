"""Separation of duties (issue #12, finding 2): an administrator creates accounts and proposes
roles; a role takes effect only when the unit's leader or the municipality's role approver
approves it, and never by whoever proposed it."""

from tests.accounts.base import AccountsTestCase
from trappa.accounts.models import ProposalStatus, Role, RoleEventKind, RoleProposal, User


class RoleApprovalTestCase(AccountsTestCase):
    def create_nina(self, **changes):
        self.login(self.administrator)
        data = {
            "username": "nina",
            "first_name": "Nina",
            "last_name": "Nygård",
            "email": "",
            "role": Role.NURSE,
            "unit": self.health.id,
            "department": self.health_station.id,
            "oidc_subject": "",
            "password": "a long enough passphrase for nina",
            "reason": "Nina starts at the health station on Monday.",
        }
        self.client.post("/accounts/users/new/", {**data, **changes})
        return User.objects.get(username="nina")

    def decide(self, approver, proposal, decision="approve"):
        self.login(approver)
        return self.client.post(f"/accounts/roles/{proposal.id}/decide/", {"decision": decision, "note": "ok"})


class ProposalTest(RoleApprovalTestCase):
    def test_a_user_the_administrator_creates_has_no_role_until_approved(self):
        nina = self.create_nina()
        self.assertEqual(nina.role, "")
        self.assertFalse(nina.sees_personal_data)
        proposal = nina.role_proposals.get()
        self.assertEqual((proposal.role, proposal.unit, proposal.status), (Role.NURSE, self.health, "pending"))
        self.assertEqual(proposal.proposed_by, self.administrator)

    def test_the_administrators_own_account_opens_no_health_data(self):
        # Finding 2 repeated: the account the administrator made, with the password it chose.
        self.create_nina()
        self.client.logout()
        self.login(User.objects.get(username="nina"))
        self.assertEqual(self.client.get("/outreach/").status_code, 403)
        self.assertEqual(self.client.get(f"/people/{self.olga.id}/").status_code, 403)

    def test_changing_a_role_on_the_user_page_only_proposes_it(self):
        self.login(self.administrator)
        data = {"first_name": "Bob", "last_name": "", "email": "", "oidc_subject": ""}
        data.update(role=Role.CASEWORKER, unit=self.service_office.id, department="", reason="Moves to the office.")
        self.client.post(f"/accounts/users/{self.bob.id}/", data)
        self.bob.refresh_from_db()
        self.assertEqual((self.bob.role, self.bob.unit), (Role.NURSE, self.health))
        self.assertEqual(self.bob.role_proposals.get().role, Role.CASEWORKER)

    def test_a_proposal_needs_a_reason(self):
        self.login(self.administrator)
        response = self.client.post(
            f"/accounts/users/{self.bob.id}/",
            {"first_name": "Bob", "role": Role.PLANNER, "unit": "", "department": "", "reason": " "},
        )
        self.assertTrue(response.context["form"].errors["reason"])
        self.assertFalse(RoleProposal.objects.exists())

    def test_a_role_that_sees_personal_data_needs_a_unit(self):
        self.login(self.administrator)
        response = self.client.post(
            "/accounts/users/new/", {"username": "nina", "role": Role.NURSE, "password": "x" * 20, "reason": "y"}
        )
        self.assertTrue(response.context["form"].errors["unit"])


class ApprovalTest(RoleApprovalTestCase):
    def test_the_unit_leader_approves_and_the_role_takes_effect(self):
        nina = self.create_nina()
        proposal = nina.role_proposals.get()
        response = self.decide(self.unit_leader, proposal)
        self.assertRedirects(response, "/accounts/roles/", fetch_redirect_response=False)
        nina.refresh_from_db()
        self.assertEqual((nina.role, nina.unit, nina.department), (Role.NURSE, self.health, self.health_station))
        self.assertTrue(nina.sees_personal_data)
        proposal.refresh_from_db()
        self.assertEqual((proposal.status, proposal.decided_by), (ProposalStatus.APPROVED, self.unit_leader))

    def test_the_unit_leader_sees_the_proposal_waiting(self):
        self.create_nina()
        self.login(self.unit_leader)
        response = self.client.get("/accounts/roles/")
        self.assertContains(response, "nina")
        self.assertContains(response, "Nina starts at the health station on Monday.")

    def test_a_leader_of_another_unit_cannot_approve(self):
        other_leader = self.make_user("otto", Role.UNIT_LEADER, self.service_office)
        nina = self.create_nina()
        self.assertEqual(self.decide(other_leader, nina.role_proposals.get()).status_code, 403)
        nina.refresh_from_db()
        self.assertEqual(nina.role, "")

    def test_the_administrator_cannot_approve_its_own_proposal_even_as_the_approver(self):
        self.vefsn.role_approver = self.administrator
        self.vefsn.save(update_fields=["role_approver"])
        nina = self.create_nina()
        self.assertEqual(self.decide(self.administrator, nina.role_proposals.get()).status_code, 403)
        nina.refresh_from_db()
        self.assertEqual(nina.role, "")
        self.assertEqual(nina.role_proposals.get().status, ProposalStatus.PENDING)

    def test_an_administrator_without_approval_rights_cannot_approve_another_ones_proposal(self):
        nina = self.create_nina()
        other_admin = self.make_user("adam", Role.ADMINISTRATOR, None)
        self.assertEqual(self.decide(other_admin, nina.role_proposals.get()).status_code, 403)

    def test_nobody_approves_a_role_for_themselves(self):
        self.login(self.administrator)
        data = {"first_name": "Ulla", "role": Role.UNIT_LEADER, "unit": self.physio.id, "reason": "Leads physio too."}
        self.client.post(f"/accounts/users/{self.unit_leader.id}/", data)
        self.vefsn.role_approver = self.unit_leader
        self.vefsn.save(update_fields=["role_approver"])
        proposal = self.unit_leader.role_proposals.get()
        self.assertEqual(self.decide(self.unit_leader, proposal).status_code, 403)

    def test_a_role_without_a_unit_needs_the_municipalitys_approver(self):
        nina = self.create_nina(role=Role.PLANNER, unit="", department="")
        proposal = nina.role_proposals.get()
        self.assertEqual(self.decide(self.unit_leader, proposal).status_code, 403)
        self.vefsn.role_approver = self.unit_leader
        self.vefsn.save(update_fields=["role_approver"])
        self.decide(self.unit_leader, proposal)
        nina.refresh_from_db()
        self.assertEqual(nina.role, Role.PLANNER)

    def test_a_rejected_proposal_changes_nothing_and_cannot_be_approved_later(self):
        nina = self.create_nina()
        proposal = nina.role_proposals.get()
        self.decide(self.unit_leader, proposal, "reject")
        self.decide(self.unit_leader, proposal, "approve")
        nina.refresh_from_db()
        self.assertEqual(nina.role, "")
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.REJECTED)
        kinds = list(nina.role_events.values_list("kind", flat=True))
        self.assertEqual(kinds, [RoleEventKind.CREATED, RoleEventKind.PROPOSED, RoleEventKind.REJECTED])

    def test_a_nurse_cannot_open_the_approval_page(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/accounts/roles/").status_code, 403)
