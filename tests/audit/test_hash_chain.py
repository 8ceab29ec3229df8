"""The access log is tamper-evident (issue #12, finding 6): a hash chain keyed outside the
database, checked by `manage.py verify_access_log` against the sealed daily digests; entries
leave only through `apply_log_retention`, which seals what it removed."""

import datetime
import json
import shutil
import tempfile
import unittest
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from trappa.audit import chain
from trappa.audit.models import AccessLogEntry, AccessLogRetention, AccessReason
from trappa.test import BaseTestCase

# PostgreSQL refuses the raw UPDATE and DELETE below (the trigger, and in .ci/run the application
# role's grants): tests/audit/test_tamper.py makes those attacks there, as the owner.
sqlite_only = unittest.skipIf(connection.vendor == "postgresql", "PostgreSQL: see tests/audit/test_tamper.py")


class ChainTestCase(BaseTestCase):
    def setUp(self):
        # The digests of this test only: files outlive the test's database transaction.
        self.digests = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.digests)
        folder = override_settings(LOG_DIGEST_DIR=self.digests)
        folder.enable()
        self.addCleanup(folder.disable)

    def log(self, n=1, at=None, **fields):
        return [
            AccessLogEntry.objects.create(
                **{
                    "user": self.alice,
                    "username": "alice",
                    "role": "nurse",
                    "municipality": self.vefsn,
                    "person": self.olga,
                    "action": "view",
                    "what": f"person page {i}",
                    "reason": AccessReason.CARE_RELATIONSHIP,
                    "at": at or timezone.now(),
                    **fields,
                }
            )
            for i in range(n)
        ]

    def verify(self, using="default"):
        """The command's output, or its error: the first broken or missing entry."""
        out = StringIO()
        try:
            call_command("verify_access_log", database=using, stdout=out)
        except CommandError as error:
            return f"FAILED: {error}"
        return out.getvalue()

    def assert_detected(self, expected, using="default"):
        result = self.verify(using)
        self.assertTrue(result.startswith("FAILED"), result)
        self.assertIn(expected, result)

    def seal(self, using="default"):
        call_command("seal_access_log", database=using, stdout=StringIO())

    def sql(self, statement, params=None):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


def insert_back_dated(connection, user, person, seq):
    """An entry "from last year" inserted with SQL, hashed as well as one can without the key."""
    at = timezone.now() - datetime.timedelta(days=300)
    row = {"seq": seq, "at": at, "user_id": user.pk, "username": user.username, "role": user.role, "unit_name": ""}
    row.update(municipality_id=person.municipality_id, person_id=person.pk, action="view", what="person page")
    row.update(reason="care_relationship", reason_detail="", path="", user_agent="")
    row["chain_hash"] = chain.entry_hash({**row, "care_relationship_id": None}, "f" * 64)
    columns = ", ".join(row)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO audit_accesslogentry ({columns}) VALUES ({', '.join(['%s'] * len(row))})",  # noqa: S608
            list(row.values()),
        )


class LinkTest(ChainTestCase):
    def test_entries_are_numbered_and_linked(self):
        first, second, third = self.log(3)
        self.assertEqual([first.seq, second.seq, third.seq], [1, 2, 3])
        self.assertEqual(first.chain_hash, chain.entry_hash(first, chain.GENESIS))
        self.assertEqual(third.chain_hash, chain.entry_hash(third, second.chain_hash))
        self.assertIn("intact: 3 entries up to 3", self.verify())

    def test_the_page_logging_links_too(self):
        self.login(self.alice)
        self.client.get(f"/people/{self.olga.pk}/")
        self.client.post("/people/", {"q": "Olga"})  # the search POSTs (issue 12)
        self.assertGreaterEqual(AccessLogEntry.objects.count(), 2)
        self.assertIn("intact", self.verify())

    def test_an_empty_log_is_intact(self):
        self.assertIn("intact: 0 entries", self.verify())

    def test_another_key_does_not_verify(self):
        self.log(2)
        with override_settings(ACCESS_LOG_KEY="another key of at least thirty-two characters"):
            self.assert_detected("Entry 1 (id")


@sqlite_only
class DetectionTest(ChainTestCase):
    """The attacks of finding 6 in SQL any database user could run; PostgreSQL's own are in test_tamper.py."""

    def test_a_changed_entry_is_named(self):
        entries = self.log(3)
        self.sql("UPDATE audit_accesslogentry SET what = 'nothing' WHERE id = %s", [entries[1].pk])
        self.assert_detected(f"Entry 2 (id {entries[1].pk}) is broken")

    def test_a_removed_entry_is_named(self):
        entries = self.log(4)
        self.sql("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])
        self.assert_detected("Entry 2 is missing")

    def test_a_back_dated_entry_is_named(self):
        self.log(2)
        insert_back_dated(connection, self.alice, self.olga, seq=3)
        self.assert_detected("Entry 3 (id")

    def test_entries_removed_from_the_end_are_caught_by_the_digest(self):
        self.log(3)
        self.seal()
        self.sql("DELETE FROM audit_accesslogentry WHERE seq >= 2")
        self.assert_detected("Entry 2 is missing: the digest")

    def test_an_emptied_log_is_caught_by_the_digest(self):
        self.log(3)
        self.seal()
        self.sql("DELETE FROM audit_accesslogentry")
        self.assert_detected("Entry 1 is missing: the digest")

    def test_a_rewritten_end_is_caught_by_the_digest(self):
        entries = self.log(2)
        self.seal()
        self.sql("UPDATE audit_accesslogentry SET chain_hash = %s WHERE id = %s", ["0" * 64, entries[1].pk])
        self.assert_detected("Entry 2")

    def test_a_changed_digest_is_refused(self):
        self.log(2)
        self.seal()
        path = next(self.digests.glob("access-log-digest-*.json"))
        digest = json.loads(path.read_text())
        digest["last_seq"] = 1
        path.write_text(json.dumps(digest))
        self.assert_detected("is not sealed by this key")


class SealTest(ChainTestCase):
    def test_the_digest_holds_the_count_and_the_last_hash(self):
        entries = self.log(3)
        self.seal()
        (path,) = self.digests.glob("access-log-digest-*.json")
        self.assertIn(timezone.localdate().isoformat(), path.name)
        document = chain.unseal(json.loads(path.read_text()))
        self.assertEqual((document["count"], document["last_seq"]), (3, 3))
        self.assertEqual(document["last_hash"], entries[2].chain_hash)
        self.log(2)
        self.assertIn("intact: 5 entries up to 5, 1 sealed digests match", self.verify())

    @sqlite_only
    def test_a_tampered_log_is_not_sealed(self):
        entries = self.log(2)
        self.sql("UPDATE audit_accesslogentry SET what = 'nothing' WHERE id = %s", [entries[0].pk])
        with self.assertRaisesMessage(CommandError, "Not sealed"):
            self.seal()
        self.assertEqual(list(self.digests.iterdir()), [])


@sqlite_only
class RetentionTest(ChainTestCase):
    def test_it_removes_only_entries_older_than_the_period_and_seals_a_summary(self):
        old = self.log(3, at=timezone.now() - datetime.timedelta(days=400))
        self.seal()
        self.log(2)
        out = StringIO()
        call_command("apply_log_retention", days=365, stdout=out)
        self.assertIn("Removed 3 entries (1 to 3", out.getvalue())
        self.assertEqual(list(AccessLogEntry.objects.order_by("seq").values_list("seq", flat=True)), [4, 5])
        retention = AccessLogRetention.objects.get()
        self.assertEqual((retention.count, retention.last_hash), (3, old[2].chain_hash))
        (path,) = self.digests.glob("access-log-retention-*.json")
        self.assertEqual(chain.unseal(json.loads(path.read_text()))["last_seq"], 3)
        # What stays still verifies, and new entries link on.
        self.log(1)
        self.assertIn("intact: 3 entries up to 6", self.verify())

    def test_a_dry_run_removes_nothing(self):
        self.log(2, at=timezone.now() - datetime.timedelta(days=400))
        out = StringIO()
        call_command("apply_log_retention", days=365, dry_run=True, stdout=out)
        self.assertIn("Would remove 2 entries", out.getvalue())
        self.assertEqual(AccessLogEntry.objects.count(), 2)

    def test_the_retention_period_is_a_setting(self):
        self.log(1, at=timezone.now() - datetime.timedelta(days=20))
        with override_settings(ACCESS_LOG_RETENTION_DAYS=30):
            call_command("apply_log_retention", stdout=StringIO())
        self.assertEqual(AccessLogEntry.objects.count(), 1)
        with override_settings(ACCESS_LOG_RETENTION_DAYS=10):
            call_command("apply_log_retention", stdout=StringIO())
        self.assertEqual(AccessLogEntry.objects.count(), 0)
        self.log(1)
        self.assertIn("intact: 1 entries up to 2", self.verify())

    def test_a_made_up_retention_summary_is_caught(self):
        self.log(3)
        AccessLogRetention.objects.create(
            cutoff=timezone.now(),
            first_seq=1,
            last_seq=3,
            count=3,
            first_at=timezone.now(),
            last_at=timezone.now(),
            last_hash="1" * 64,
            seal="2" * 64,
        )
        self.assert_detected("is not sealed by this key")

    def test_it_refuses_to_trim_a_tampered_log(self):
        entries = self.log(2, at=timezone.now() - datetime.timedelta(days=400))
        self.sql("UPDATE audit_accesslogentry SET what = 'nothing' WHERE id = %s", [entries[1].pk])
        with self.assertRaisesMessage(CommandError, "Nothing removed"):
            call_command("apply_log_retention", days=365, stdout=StringIO())
        self.assertEqual(AccessLogEntry.objects.count(), 2)
