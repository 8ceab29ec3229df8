"""The append-only role history: every account and role change, who made it, who approved it,
and why; a page per user and a report of who had access to a unit on a day."""

import datetime
import unittest

from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from tests.accounts.test_role_approval import RoleApprovalTestCase
from trappa.accounts.models import Role, RoleEvent, RoleEventKind, User


class RoleHistoryTest(RoleApprovalTestCase):
    def test_creation_proposal_and_approval_are_recorded_with_who_and_why(self):
        nina = self.create_nina()
        self.decide(self.unit_leader, nina.role_proposals.get())
        created, proposed, approved = nina.role_events.order_by("at", "id")
        self.assertEqual((created.kind, created.actor), (RoleEventKind.CREATED, self.administrator))
        self.assertEqual(created.role_to, "")
        self.assertEqual((proposed.kind, proposed.actor), (RoleEventKind.PROPOSED, self.administrator))
        self.assertEqual(approved.kind, RoleEventKind.APPROVED)
        self.assertEqual((approved.actor, approved.approved_by), (self.unit_leader, self.unit_leader))
        self.assertEqual((approved.role_from, approved.role_to), ("", Role.NURSE))
        self.assertEqual((approved.unit_from, approved.unit_to), (None, self.health))
        self.assertIn("Nina starts at the health station on Monday.", approved.reason)

    def test_revoking_deactivating_and_resets_are_recorded(self):
        self.login(self.administrator)
        self.client.post(f"/accounts/users/{self.bob.id}/revoke-role/", {"reason": "Left the health station."})
        self.client.post(f"/accounts/users/{self.bob.id}/active/", {"active": "0"})
        self.client.post(f"/accounts/users/{self.bob.id}/reset-two-factor/")
        bob = User.objects.get(pk=self.bob.pk)
        bob.set_password("another long passphrase")
        bob.save()
        self.assertEqual((bob.role, bob.unit), ("", None))
        kinds = list(bob.role_events.order_by("at", "id").values_list("kind", "actor__username"))
        self.assertEqual(
            kinds,
            [
                (RoleEventKind.CREATED, None),  # made by the test set-up, outside Trappa's pages
                (RoleEventKind.REVOKED, "ada"),
                (RoleEventKind.DEACTIVATED, "ada"),
                (RoleEventKind.TWO_FACTOR_RESET, "ada"),
                (RoleEventKind.PASSWORD_RESET, None),
            ],
        )
        revoked = bob.role_events.get(kind=RoleEventKind.REVOKED)
        self.assertEqual((revoked.role_from, revoked.role_to, revoked.unit_from), (Role.NURSE, "", self.health))
        self.assertEqual(revoked.reason, "Left the health station.")

    def test_a_role_changed_outside_the_approval_is_still_recorded(self):
        self.bob.role = Role.UNIT_LEADER
        self.bob.save()
        event = self.bob.role_events.order_by("-id").first()
        self.assertEqual((event.kind, event.actor, event.role_to), (RoleEventKind.CHANGED, None, Role.UNIT_LEADER))

    def test_a_login_records_nothing(self):
        before = RoleEvent.objects.count()
        self.client.post("/accounts/login/", {"username": "bob", "password": self.password})
        self.assertEqual(RoleEvent.objects.count(), before)

    def test_the_history_page_shows_the_changes(self):
        nina = self.create_nina()
        self.decide(self.unit_leader, nina.role_proposals.get())
        self.login(self.administrator)
        response = self.client.get(f"/accounts/users/{nina.id}/history/")
        self.assertContains(response, "Role approved")
        self.assertContains(response, "Nina starts at the health station on Monday.")
        self.assertContains(response, "ulla")

    def test_the_history_page_is_for_administrators_and_unit_leaders_of_the_municipality(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/accounts/users/{self.bob.id}/history/").status_code, 403)
        self.login(self.unit_leader)
        self.assertEqual(self.client.get(f"/accounts/users/{self.bob.id}/history/").status_code, 200)
        self.assertEqual(self.client.get(f"/accounts/users/{self.charlie.id}/history/").status_code, 404)

    def test_the_history_cannot_be_changed_or_deleted(self):
        event = self.bob.role_events.get()
        event.reason = "forged"
        with self.assertRaises(PermissionError):
            event.save()
        with self.assertRaises(PermissionError):
            RoleEvent.objects.update(reason="forged")
        with self.assertRaises(PermissionError):
            RoleEvent.objects.all().delete()

    @unittest.skipUnless(connection.vendor == "postgresql", "the trigger exists on PostgreSQL only")
    def test_on_postgresql_raw_sql_cannot_change_the_history(self):
        for sql in ("UPDATE accounts_roleevent SET reason = 'forged'", "DELETE FROM accounts_roleevent"):
            with self.subTest(sql=sql), self.assertRaises(DatabaseError), transaction.atomic():
                connection.cursor().execute(sql)
        self.assertFalse(RoleEvent.objects.filter(reason="forged").exists())


class ExpiryTest(RoleApprovalTestCase):
    def test_an_expired_role_stops_counting_at_once_and_expire_roles_takes_it_away(self):
        User.objects.filter(pk=self.bob.pk).update(role_expires_at=timezone.now() - datetime.timedelta(minutes=1))
        bob = User.objects.get(pk=self.bob.pk)
        self.assertFalse(bob.sees_personal_data)
        self.login(bob)
        self.assertEqual(self.client.get(f"/people/{self.olga.id}/").status_code, 403)
        call_command("expire_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
        bob.refresh_from_db()
        self.assertEqual((bob.role, bob.unit, bob.role_expires_at), ("", None, None))
        event = bob.role_events.order_by("-id").first()
        self.assertEqual((event.kind, event.role_from, event.actor), (RoleEventKind.EXPIRED, Role.NURSE, None))

    def test_a_role_approved_with_an_end_date_carries_it(self):
        last_day = timezone.localdate() + datetime.timedelta(days=30)
        nina = self.create_nina(role_expires=last_day.isoformat())
        self.decide(self.unit_leader, nina.role_proposals.get())
        nina.refresh_from_db()
        self.assertEqual(timezone.localtime(nina.role_expires_at).date(), last_day + datetime.timedelta(days=1))
        call_command("expire_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
        nina.refresh_from_db()
        self.assertEqual(nina.role, Role.NURSE)


class WhoHadAccessTest(RoleApprovalTestCase):
    def report(self, unit, day):
        self.login(self.administrator)
        return self.client.get("/accounts/roles/who-had-access/", {"unit": unit.id, "day": day.isoformat()})

    def names(self, response):
        return sorted(event.username for event in response.context["rows"])

    def test_it_lists_who_held_a_role_in_the_unit_on_the_day(self):
        today = timezone.localdate()
        nina = self.create_nina()
        self.assertNotIn("nina", self.names(self.report(self.health, today)))
        self.decide(self.unit_leader, nina.role_proposals.get())
        self.login(self.administrator)
        self.client.post(f"/accounts/users/{self.bob.id}/revoke-role/", {"reason": "Left."})
        names = self.names(self.report(self.health, today))
        # Bob held the role earlier today; Kari (course leader) and Ulla are in the unit too.
        self.assertEqual(names, ["alice", "bob", "kari", "nina", "ulla"])
        tomorrow = self.names(self.report(self.health, today + datetime.timedelta(days=1)))
        self.assertEqual(tomorrow, ["alice", "kari", "nina", "ulla"])
        yesterday = self.names(self.report(self.health, today - datetime.timedelta(days=1)))
        self.assertEqual(yesterday, [])

    def test_an_expired_or_deactivated_account_is_not_counted_after_the_day(self):
        today = timezone.localdate()
        self.login(self.administrator)
        self.client.post(f"/accounts/users/{self.alice.id}/active/", {"active": "0"})
        self.assertNotIn("alice", self.names(self.report(self.health, today + datetime.timedelta(days=1))))
        self.assertIn("alice", self.names(self.report(self.health, today)))

    def test_it_is_closed_to_nurses(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/accounts/roles/who-had-access/").status_code, 403)
