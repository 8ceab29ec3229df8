"""Four imports of one register file at the same moment, on PostgreSQL: they wait for each other.

Before, three of four failed with a duplicate-key error ("unexpected error"). Now the writes
of imports of one register kind and municipality are serialised by an advisory lock: the
first creates the persons, the others find them unchanged.
"""

import datetime
import shutil
import tempfile
import threading
from pathlib import Path
from unittest import skipUnless

from django.db import connection, connections
from django.test import TransactionTestCase

from tests.people.import_helpers import FAST_HASHER, csv_text, person_row
from trappa.accounts.models import Municipality
from trappa.lib.national_id import make_synthetic
from trappa.people.importing import import_file
from trappa.people.models import ImportKind, ImportStatus, Person

IMPORTS = 4
PERSONS = 300


@FAST_HASHER
@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has one writer")
class ConcurrentImportsTest(TransactionTestCase):
    def setUp(self):
        self.vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        births = [datetime.date(1940, 1, 1) + datetime.timedelta(days=i) for i in range(PERSONS)]
        rows = [person_row(national_id=make_synthetic(born, "F", 0), birth_date=str(born)) for born in births]
        self.path = folder / "personer.csv"
        self.path.write_text(csv_text(rows), encoding="utf-8")

    def test_simultaneous_imports_of_one_register_wait_for_each_other(self):
        barrier = threading.Barrier(IMPORTS)
        batches, errors = [], []

        def run():
            try:
                barrier.wait()
                batches.append(import_file(ImportKind.PERSONS, str(self.path), self.vefsn))
            except Exception as error:  # noqa: BLE001 - asserted below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _ in range(IMPORTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual([b.errors[:2] for b in batches], [[]] * IMPORTS)
        self.assertEqual([b.status for b in batches], [ImportStatus.DONE] * IMPORTS)
        self.assertEqual(sorted(b.created for b in batches), [0] * (IMPORTS - 1) + [PERSONS])
        self.assertEqual(Person.objects.count(), PERSONS)
