"""Encodings and long fields: a file is decoded one way or refused, never garbled (#13 findings 10 and 12)."""

import datetime

from tests.people.import_helpers import ImportTestCase, csv_text, person_row
from trappa.lib.national_id import make_synthetic
from trappa.people.importing.reading import FIELD_TOO_LONG, MIXED_ENCODINGS, MOJIBAKE, UTF16
from trappa.people.models import Person

BORN = datetime.date(1944, 3, 1)
OTHER = make_synthetic(BORN, "F", 1)


class EncodingsTest(ImportTestCase):
    def test_one_windows_1252_line_in_a_utf8_file_is_refused_naming_the_utf8_lines(self):
        text = csv_text(
            [
                person_row(given_name="Åse", family_name="Ødegård"),
                person_row(national_id=OTHER, birth_date=str(BORN), given_name="Bjørg"),
            ]
        )
        lines = text.encode("utf-8").split(b"\n")
        lines[2] = lines[2].decode("utf-8").encode("cp1252")
        problems, _printed = self.rejection("import_persons", b"\n".join(lines))
        self.assertEqual(problems, [(2, "", MIXED_ENCODINGS)])
        self.assertFalse(Person.objects.filter(given_name__startswith="Ã").exists())

    def test_a_whole_windows_1252_file_is_still_read(self):
        self.run_import(
            "import_persons", csv_text([person_row(given_name="Åse", family_name="Ødegård")]), encoding="cp1252"
        )
        self.assertTrue(Person.objects.filter(given_name="Åse", family_name="Ødegård").exists())

    def test_garbled_letters_in_a_utf8_file_are_refused_by_line(self):
        garbled = "Åse Ødegård".encode().decode("cp1252")
        self.assertEqual(garbled, "Ã…se Ã˜degÃ¥rd")
        first, last = garbled.split(" ")
        problems, _printed = self.rejection(
            "import_persons", csv_text([person_row(given_name=first, family_name=last)])
        )
        self.assertEqual(problems, [(2, "", MOJIBAKE)])

    def test_utf16_is_refused_with_a_message_to_save_as_utf8(self):
        for encoding in ("utf-16", "utf-16-be"):
            content = csv_text([person_row(given_name="Åse")]).encode(encoding)
            if encoding == "utf-16-be":
                content = b"\xfe\xff" + content
            problems, _printed = self.rejection("import_persons", content)
            self.assertEqual(problems, [(1, "", UTF16)])

    def test_a_one_megabyte_field_is_named_and_reading_goes_on_to_later_errors(self):
        rows = [
            person_row(street_address="x" * 1_000_000),
            person_row(national_id=OTHER, birth_date=str(BORN), postal_code="12345"),
        ]
        problems, _printed = self.rejection("import_persons", csv_text(rows))
        self.assertEqual(problems, [(2, "street_address", FIELD_TOO_LONG), (3, "postal_code", "Must be four digits.")])
