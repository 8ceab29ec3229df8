"""The read replica router: only reads marked with replica_reads() go to the replica; writes never do."""

from django.db import connections, transaction
from django.test import TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext

from trappa.accounts.models import Municipality, Role, User
from trappa.lib.replica import replica_reads
from trappa.test import BaseTestCase

ON_REPLICA = override_settings(READ_REPLICA="replica")


def is_read(sql):
    """A SELECT, or (PostgreSQL, .iterator()) a server-side cursor over a SELECT."""
    sql = sql.lstrip().upper()
    return sql.startswith("SELECT") or (sql.startswith("DECLARE") and " CURSOR " in sql and " FOR SELECT " in sql)


def captured(alias):
    return CaptureQueriesContext(connections[alias])


@ON_REPLICA
class ReplicaRouterTestCase(TransactionTestCase):
    # The test settings add "replica" as a TEST MIRROR of default: the same database, its own connection.
    databases = {"default", "replica"}

    def setUp(self):
        self.municipality = Municipality.objects.create(number="9001", name="Speil", slug="speil")

    def test_marked_reads_go_to_the_replica_and_see_what_the_primary_committed(self):
        with captured("default") as primary, captured("replica") as replica, replica_reads():
            names = list(Municipality.objects.filter(number="9001").values_list("name", flat=True))
        self.assertEqual(names, ["Speil"])
        self.assertEqual(len(replica.captured_queries), 1)
        self.assertEqual(primary.captured_queries, [])

    def test_writes_inside_a_marked_block_go_to_the_primary(self):
        with captured("default") as primary, captured("replica") as replica, replica_reads():
            Municipality.objects.create(number="9002", name="Skrive", slug="skrive")
            Municipality.objects.filter(number="9001").update(name="Speilet")
            self.municipality.refresh_from_db()
        self.assertEqual(self.municipality.name, "Speilet")
        writes = [q["sql"] for q in primary.captured_queries]
        self.assertTrue(any(sql.startswith("INSERT") for sql in writes))
        self.assertTrue(any(sql.startswith("UPDATE") for sql in writes))
        self.assertTrue(all(is_read(q["sql"]) for q in replica.captured_queries))

    def test_unmarked_reads_stay_on_the_primary(self):
        with captured("default") as primary, captured("replica") as replica:
            Municipality.objects.count()
        self.assertEqual(len(primary.captured_queries), 1)
        self.assertEqual(replica.captured_queries, [])

    def test_inside_a_transaction_marked_reads_stay_on_the_primary_and_read_its_writes(self):
        with captured("replica") as replica, transaction.atomic(), replica_reads():
            Municipality.objects.create(number="9003", name="Ny", slug="ny")
            self.assertTrue(Municipality.objects.filter(number="9003").exists())
        self.assertEqual(replica.captured_queries, [])

    def test_without_a_replica_marked_reads_stay_on_the_primary(self):
        with override_settings(READ_REPLICA=None), captured("replica") as replica, replica_reads():
            Municipality.objects.count()
        self.assertEqual(replica.captured_queries, [])

    def test_the_decorator_marks_a_function(self):
        @replica_reads()
        def count():
            return Municipality.objects.count()

        with captured("replica") as replica:
            self.assertGreaterEqual(count(), 1)
        self.assertEqual(len(replica.captured_queries), 1)


@ON_REPLICA
class PlannersPagesOnTheReplicaTestCase(TransactionTestCase):
    # Committed data (no test transaction), as in production, where the replica sees only committed rows.
    databases = {"default", "replica"}

    def setUp(self):
        vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        planner = User.objects.create_user(username="petter", password="x", role=Role.PLANNER, municipality=vefsn)
        BaseTestCase.login(self, planner)

    def assert_read_from_the_replica(self, url):
        with captured("replica") as replica:
            page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertTrue(replica.captured_queries)
        self.assertTrue(all(is_read(q["sql"]) for q in replica.captured_queries))

    def test_the_kostra_comparison_reads_its_counts_from_the_replica_and_writes_nothing_there(self):
        self.assert_read_from_the_replica("/planning/kostra/")

    def test_the_acceptance_rates_read_from_the_replica(self):
        self.assert_read_from_the_replica("/outreach/acceptance/")
