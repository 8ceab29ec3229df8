"""A persons file read in chunks is checked in bulk (bulk.py) while every row is good; a problem in a later
chunk, or a number on rows of two chunks, is then named by line and column exactly as the column check names
it, and nothing is written."""

import datetime
from unittest import mock

from tests.people.import_helpers import ASTRID_BIRTH, ImportTestCase, csv_text, olga_row, per_row, person_row
from trappa.lib.national_id import make_synthetic
from trappa.people.importing import persons
from trappa.people.models import ImportBatch, Person

BORN = datetime.date(1950, 3, 1)


def rows(count):
    """Good rows of new persons born 1950-03-0n."""
    return [person_row(national_id=make_synthetic(BORN, "F", i), birth_date=str(BORN)) for i in range(count)]


@mock.patch.object(persons, "COLUMN_CHUNK_ROWS", 2)
class ImportPersonsInBulkTest(ImportTestCase):
    def test_a_good_file_in_many_chunks_is_imported_in_bulk(self):
        by_columns = mock.patch.object(persons.PersonImporter, "_check_by_columns", side_effect=AssertionError)
        with by_columns:
            self.run_import("import_persons", csv_text([*rows(5), olga_row()]))
        self.assertEqual(Person.objects.filter(birth_date="1950-03-01").count(), 5)
        self.assertEqual(ImportBatch.objects.get().created, 5)

    def test_a_bad_row_in_a_later_chunk_is_named_by_line_and_column(self):
        content = csv_text([*rows(4), per_row(postal_code="1"), person_row(sex="X")])
        problems, _printed = self.rejection("import_persons", content)
        self.assertEqual([(line, column) for line, column, _reason in problems], [(6, "postal_code"), (7, "sex")])
        self.assertFalse(Person.objects.filter(birth_date="1950-03-01").exists())

    def test_a_number_on_rows_of_two_chunks_is_named_on_its_later_line(self):
        content = csv_text([*rows(3), rows(1)[0]])
        self.assertRejectedFor("import_persons", content, 5, "national_id", "earlier line")


class FirstImportTest(ImportTestCase):
    """A municipality with no person yet: on PostgreSQL its rows go by COPY straight into the person table."""

    def test_a_first_import_writes_every_field_and_the_same_file_again_changes_nothing(self):
        content = csv_text([person_row(municipality_number="3451", living_alone="ja", marital_status="UGIFT")])
        self.run_import("import_persons", content, "--dry-run", municipality="3451")
        self.assertFalse(Person.objects.filter(municipality=self.nord_aurdal).exists())
        self.assertEqual(ImportBatch.objects.latest("id").created, 1)
        self.run_import("import_persons", content, municipality="3451")
        person = Person.objects.get(municipality=self.nord_aurdal)
        self.assertEqual((person.given_name, person.birth_date, person.sex), ("Astrid", ASTRID_BIRTH, "F"))
        self.assertEqual((person.living_alone, person.marital_status, person.phone), (True, "unmarried", ""))
        self.assertIsNone(person.date_of_death)
        self.assertEqual(person.created_at, person.updated_at)
        self.run_import("import_persons", content, municipality="3451")
        batch = ImportBatch.objects.latest("id")
        self.assertEqual((batch.created, batch.updated, batch.unchanged), (0, 0, 1))
