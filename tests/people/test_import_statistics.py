"""A large register import refreshes the person table's planner statistics (copy_merge, PostgreSQL)."""

from unittest import mock

from django.test import SimpleTestCase

from trappa.people.importing import copy_merge


class ImportStatisticsTest(SimpleTestCase):
    def analyzed(self, created, updated, unchanged):
        cursor = mock.Mock()
        copy_merge._analyze_if_large(cursor, {"created": created, "updated": updated, "unchanged": unchanged})
        return [c.args[0] for c in cursor.execute.call_args_list]

    def test_a_first_import_or_a_large_change_analyzes_the_person_table(self):
        self.assertEqual(self.analyzed(765_970, 0, 0), ["ANALYZE people_person"])
        self.assertEqual(self.analyzed(0, 10_000, 700_000), ["ANALYZE people_person"])
        self.assertEqual(self.analyzed(1_000, 500, 10_000), ["ANALYZE people_person"])  # a tenth of the file

    def test_a_small_change_leaves_it_to_autovacuum(self):
        self.assertEqual(self.analyzed(0, 0, 700_000), [])
        self.assertEqual(self.analyzed(20, 30, 700_000), [])
        self.assertEqual(self.analyzed(900, 0, 0), [])  # a small municipality's first import: read quickly anyway
