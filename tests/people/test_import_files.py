"""What every register file shares: encodings, delimiters, the header, unreadable files."""

import io

from django.core.management import call_command
from django.utils import translation

from tests.people.import_helpers import ASTRID_ID, PERSON_COLUMNS, ImportTestCase, csv_text, olga_row, person_row
from trappa.people.importing import WRITING, import_file
from trappa.people.models import ImportBatch, ImportKind, Person


class ImportFileFormatTest(ImportTestCase):
    def assertAstridImported(self):
        astrid = Person.objects.get(national_id=ASTRID_ID)
        self.assertEqual((astrid.family_name, astrid.postal_place), ("Løvås", "Mosjøen"))

    def test_it_reads_utf8_with_a_byte_order_mark(self):
        self.run_import("import_persons", "\ufeff" + csv_text([person_row()]))
        self.assertAstridImported()

    def test_it_reads_windows_1252_with_norwegian_letters(self):
        content = csv_text([person_row(street_address="Ærøveien 3")]).encode("cp1252")
        self.assertIn(b"\xf8", content)  # ø as one byte: really not UTF-8
        self.run_import("import_persons", content)
        self.assertAstridImported()
        self.assertEqual(Person.objects.get(national_id=ASTRID_ID).street_address, "Ærøveien 3")

    def test_it_reads_semicolons_and_quoted_fields_with_commas(self):
        content = csv_text([person_row(street_address='"Storgata 1, 2. etasje"')], delimiter=";")
        self.run_import("import_persons", content)
        self.assertEqual(Person.objects.get(national_id=ASTRID_ID).street_address, "Storgata 1, 2. etasje")

    def test_it_reads_windows_line_endings_and_columns_in_any_order_and_case(self):
        columns = list(reversed(PERSON_COLUMNS))
        header = ",".join(name.upper() for name in columns)
        body = ",".join(person_row()[name] for name in columns)
        self.run_import("import_persons", f"{header}\r\n{body}\r\n\r\n")
        self.assertAstridImported()

    def test_it_imports_a_file_with_only_a_header(self):
        out = self.run_import("import_persons", ",".join(PERSON_COLUMNS) + "\n")
        self.assertIn("0 rows", out)

    def test_it_rejects_an_unknown_column(self):
        content = csv_text([{**person_row(), "shoe_size": "38"}])
        problems = self.assertRejectedFor("import_persons", content, 1, "shoe_size", "Unknown column")
        self.assertEqual(len(problems), 1)

    def test_it_rejects_a_missing_required_column(self):
        columns = [c for c in PERSON_COLUMNS if c != "birth_date"]
        self.assertRejectedFor("import_persons", csv_text([person_row()], columns), 1, "birth_date", "missing")

    def test_it_rejects_a_column_named_twice(self):
        content = csv_text([person_row()], PERSON_COLUMNS + ["area"])
        self.assertRejectedFor("import_persons", content, 1, "area", "more than once")

    def test_it_rejects_a_row_with_too_few_fields(self):
        content = csv_text([olga_row()]) + ASTRID_ID + ",Astrid\n"
        self.assertRejectedFor("import_persons", content, 3, "", "as many fields")

    def test_it_rejects_an_empty_file(self):
        self.assertRejectedFor("import_persons", "", 1, "", "empty")

    def test_it_rejects_a_file_that_is_not_text(self):
        content = csv_text([person_row()]).encode("utf-8") + b"\x81\x8d\x90 binary\n"
        self.assertRejectedFor("import_persons", content, 3, "", "neither UTF-8 nor Windows-1252")
        self.assertFalse(Person.objects.filter(national_id=ASTRID_ID).exists())

    def test_it_rejects_a_value_with_control_characters(self):
        content = csv_text([olga_row(), person_row(given_name="As\x00trid")])
        self.assertRejectedFor("import_persons", content, 3, "given_name", "control characters")

    def test_it_rejects_a_quote_left_open(self):
        content = csv_text([olga_row(), person_row(street_address='"Storgata 1')])
        self.assertRejectedFor("import_persons", content, 3, "", "cannot be read as CSV")

    def test_it_draws_a_progress_bar_when_asked(self):
        stderr = io.StringIO()
        path = self.write(csv_text([person_row()]))
        with translation.override("en"):
            call_command(
                "import_persons", str(path), "--municipality", "1824", "--progress", stderr=stderr, stdout=io.StringIO()
            )
        self.assertIn("Checking the file", stderr.getvalue())
        self.assertIn("Writing to the register", stderr.getvalue())
        self.assertIn("100%", stderr.getvalue())

    def test_it_draws_no_progress_bar_when_not_on_a_terminal(self):
        stderr = io.StringIO()
        path = self.write(csv_text([person_row()]))
        call_command("import_persons", str(path), "--municipality", "1824", stdout=io.StringIO(), stderr=stderr)
        self.assertEqual(stderr.getvalue(), "")

    def test_it_names_the_file_in_the_import_record(self):
        self.run_import("import_persons", csv_text([person_row()]))
        self.assertEqual(ImportBatch.objects.get().file_name, "extract.csv")


class FileChangedDuringImportTest(ImportTestCase):
    def test_it_writes_nothing_if_the_file_changes_between_the_check_and_the_writing(self):
        path = self.write(csv_text([person_row()]))

        class ChangeTheFile:
            def update(self, done, total, stage):
                if stage == WRITING and done == total:
                    with open(path, "a", encoding="utf-8") as f:
                        f.write(csv_text([olga_row(date_of_death="1900-01-01")]).split("\n", 1)[1])

        with self.assertRaisesMessage(RuntimeError, "the file changed"):
            import_file(ImportKind.PERSONS, str(path), self.vefsn, progress=ChangeTheFile())
        self.assertFalse(Person.objects.filter(national_id=ASTRID_ID).exists())
        self.assertEqual(ImportBatch.objects.get().status, "failed")
