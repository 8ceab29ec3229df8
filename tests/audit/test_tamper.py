"""Finding 6 repeated on PostgreSQL: each attack the table owner (or a superuser) can make on the
access log works in the database, and `verify_access_log` names what it did.

The attacks run through the `owner` connection (trappa/settings.py: the owner of the tables,
TRAPPA_TEST_OWNER_DATABASE_URL, which .ci/run sets while the suite itself runs as the restricted
application role) inside a transaction that is rolled back, so the schema is whole again after.
The entries are committed first, as the application writes them, so that connection sees them.
"""

import datetime
import shutil
import tempfile
import threading
import unittest
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError
from django.test import TransactionTestCase, override_settings

from tests.audit.test_hash_chain import insert_back_dated
from trappa.accounts.models import Municipality, Role, User
from trappa.audit import chain
from trappa.audit.models import AccessLogEntry, AccessReason
from trappa.people.models import Person

TABLE = "audit_accesslogentry"
TRIGGER = "trappa_access_log_append_only"


@unittest.skipUnless(connection.vendor == "postgresql", "the attacks are PostgreSQL's")
class TamperTestCase(TransactionTestCase):
    databases = {"default", "owner"}

    def setUp(self):
        self.digests = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.digests)
        folder = override_settings(LOG_DIGEST_DIR=self.digests)
        folder.enable()
        self.addCleanup(folder.disable)
        self.vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        self.alice = User.objects.create_user("alice", role=Role.NURSE, municipality=self.vefsn)
        self.olga = Person.objects.create(
            municipality=self.vefsn,
            national_id="13884100008",
            given_name="Olga",
            family_name="Nordmann",
            birth_date=datetime.date(1941, 8, 13),
            sex="F",
            municipality_number="1824",
        )

    def log(self, n):
        return [
            AccessLogEntry.objects.create(
                user=self.alice,
                username="alice",
                role="nurse",
                municipality=self.vefsn,
                person=self.olga,
                action="view",
                what=f"person page {i}",
                reason=AccessReason.CARE_RELATIONSHIP,
            )
            for i in range(n)
        ]

    def attack(self, *statements):
        """Run the attack as the owner, verify what the owner's transaction now sees, roll it all back."""
        owner = connections["owner"]
        with transaction.atomic(using="owner"):
            with owner.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            out = StringIO()
            try:
                call_command("verify_access_log", database="owner", stdout=out)
                result = out.getvalue()
            except CommandError as error:
                result = f"FAILED: {error}"
            transaction.set_rollback(True, using="owner")
        return result

    def assert_detected(self, expected, *statements):
        result = self.attack(*statements)
        self.assertTrue(result.startswith("FAILED"), f"not detected: {result}")
        self.assertIn(expected, result)


class AttackTest(TamperTestCase):
    def setUp(self):
        super().setUp()
        self.entries = self.log(3)
        call_command("seal_access_log", stdout=StringIO())
        self.second = self.entries[1].pk

    def test_the_log_verifies_before_any_attack(self):
        self.assertIn("intact: 3 entries", self.attack())

    def test_truncate(self):
        self.assert_detected("Entry 1 is missing: the digest", f"TRUNCATE {TABLE}")

    def test_disabling_the_trigger_then_update(self):
        self.assert_detected(
            f"Entry 2 (id {self.second}) is broken",
            f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}",
            f"UPDATE {TABLE} SET what = 'nothing' WHERE id = {self.second}",
        )

    def test_disabling_the_trigger_then_delete(self):
        self.assert_detected(
            "Entry 2 is missing",
            f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}",
            f"DELETE FROM {TABLE} WHERE id = {self.second}",
        )

    def test_dropping_the_trigger_then_delete_of_the_last_entries(self):
        self.assert_detected(
            "Entry 2 is missing: the digest",
            f"DROP TRIGGER {TRIGGER} ON {TABLE}",
            f"DELETE FROM {TABLE} WHERE seq >= 2",
        )

    def test_replacing_the_trigger_function_then_update(self):
        harmless = (
            f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$ "
            "BEGIN RETURN COALESCE(NEW, OLD); END; $$ LANGUAGE plpgsql"
        )
        self.assert_detected(
            f"Entry 2 (id {self.second}) is broken",
            harmless,
            f"UPDATE {TABLE} SET username = 'bob' WHERE id = {self.second}",
        )

    def test_session_replication_role_replica(self):
        self.assert_detected(
            "Entry 1",
            "SET LOCAL session_replication_role = replica",
            f"UPDATE {TABLE} SET at = at - interval '1 day' WHERE seq = 1",
        )
        self.assert_detected(
            "Entry 2 is missing",
            "SET LOCAL session_replication_role = replica",
            f"DELETE FROM {TABLE} WHERE seq = 2",
        )

    def test_renaming_the_table(self):
        self.assert_detected("The access log cannot be read", f"ALTER TABLE {TABLE} RENAME TO old_log")

    def test_renaming_the_table_and_putting_an_empty_one_in_its_place(self):
        self.assert_detected(
            "Entry 1 is missing: the digest",
            f"ALTER TABLE {TABLE} RENAME TO old_log",
            f"CREATE TABLE {TABLE} (LIKE old_log INCLUDING ALL)",
        )

    def test_a_back_dated_insert(self):
        with transaction.atomic(using="owner"):
            insert_back_dated(connections["owner"], self.alice, self.olga, seq=4)
            out = StringIO()
            with self.assertRaisesMessage(CommandError, "Entry 4 (id"):
                call_command("verify_access_log", database="owner", stdout=out)
            transaction.set_rollback(True, using="owner")


class RetentionTest(TamperTestCase):
    def test_the_owner_removes_old_entries_and_the_rest_still_verifies(self):
        self.log(3)
        with connections["owner"].cursor() as cursor:
            # Age the first two entries as the owner, trigger lifted, to stand in for two years passing.
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
            cursor.execute(f"UPDATE {TABLE} SET at = at - interval '400 days' WHERE seq <= 2")
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
        # Aging changed what the hashes cover: re-link as the migration would, to start from a sound chain.
        self.relink()
        call_command("seal_access_log", stdout=StringIO())
        out = StringIO()
        call_command("apply_log_retention", days=365, database="owner", stdout=out)
        self.assertIn("Removed 2 entries (1 to 2", out.getvalue())
        self.assertEqual(list(AccessLogEntry.objects.values_list("seq", flat=True)), [3])
        self.log(1)
        self.assertIn("intact: 2 entries up to 4", self.attack())
        with self.assertRaises(DatabaseError), transaction.atomic(using="owner"):
            connections["owner"].cursor().execute(f"UPDATE {TABLE} SET what = 'x'")

    def relink(self):
        previous = chain.GENESIS
        with connections["owner"].cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
            for entry in AccessLogEntry.objects.using("owner").order_by("seq"):
                previous = chain.entry_hash(entry, previous)
                cursor.execute(f"UPDATE {TABLE} SET chain_hash = %s WHERE id = %s", [previous, entry.pk])  # noqa: S608
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


def _restricted():
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(current_user, %s, 'TRUNCATE')", [TABLE])
        return not cursor.fetchone()[0]


class ApplicationRoleTest(TamperTestCase):
    """When the suite runs as the application role (.ci/run; README "Two database roles")."""

    def test_the_application_role_may_only_insert_and_read_the_log(self):
        if not _restricted():
            self.skipTest("the suite runs as the table owner, not the application role")
        self.log(2)
        for statement in (
            f"TRUNCATE {TABLE}",
            f"UPDATE {TABLE} SET what = 'x'",
            f"DELETE FROM {TABLE}",
            f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}",
            f"DROP TRIGGER {TRIGGER} ON {TABLE}",
            f"ALTER TABLE {TABLE} RENAME TO old_log",
            "SET session_replication_role = replica",
            "DELETE FROM accounts_roleevent",
        ):
            with self.subTest(statement=statement), self.assertRaises(DatabaseError), transaction.atomic():
                connection.cursor().execute(statement)
        self.assertEqual(AccessLogEntry.objects.count(), 2)


class ConcurrentWritersTest(TamperTestCase):
    def test_concurrent_requests_extend_one_chain(self):
        """Eight connections log at once: every entry gets its own place, and the chain holds."""
        writers, per_writer = 8, 15
        barrier = threading.Barrier(writers)
        errors = []

        def write():
            try:
                barrier.wait()
                for _ in range(per_writer):
                    with transaction.atomic():
                        self.log(1)
            except Exception as error:  # noqa: BLE001 (reported by the assertion below)
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=write) for _ in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        seqs = list(AccessLogEntry.objects.order_by("seq").values_list("seq", flat=True))
        self.assertEqual(seqs, list(range(1, writers * per_writer + 1)))
        out = StringIO()
        call_command("verify_access_log", stdout=out)
        self.assertIn(f"intact: {writers * per_writer} entries", out.getvalue())
