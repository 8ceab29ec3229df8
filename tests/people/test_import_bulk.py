"""The persons file's bulk check (bulk.accept) never accepts what the row-by-row check refuses, and gives the
same values: whenever it accepts rows, clean() and check_row() find no problem in any of them and clean
them to the same COPY text; whenever the row-by-row check finds a problem, bulk does not accept."""

import datetime

from django.test import SimpleTestCase, override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trappa.lib import national_id
from trappa.people.importing import bulk, copy_merge

from .test_import_columns import COLUMNS, importer, rows

GOOD = {
    "national_id": "02880650265",
    "given_name": "Julie",
    "family_name": "Dahl \\ Berg",
    "birth_date": "2006-08-02",
    "sex": "kvinne",
    "street_address": "Nordstrandveien 15",
    "postal_code": "1170",
    "postal_place": "OSLO",
    "area": "Nordstrand",
    "phone": "",
    "email": "",
    "municipality_number": "0301",
    "marital_status": "GIFT",
    "marital_status_date": "2024-02-29",
    "living_alone": "ja",
    "date_of_death": "",
    "date_moved_out": "",
    "interpreter_needed": "0",
    "language": "PL",
    "written_standard": "nn",
}


@st.composite
def good_rows(draw):
    """Good rows as a register extract writes them: 11-digit numbers, dates as YYYY-MM-DD, any case of codes."""
    born = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date.today()))
    number = national_id.make_synthetic(born, draw(st.sampled_from("FM")), draw(st.integers(0, 30)))
    after = st.one_of(st.just(""), st.dates(min_value=born, max_value=datetime.date.today()).map(str))
    code = st.sampled_from
    name = st.text(alphabet="abcæøå ÆØÅ-\\'", max_size=20)
    return {
        **{key: draw(name) for key in ("street_address", "postal_place", "area", "phone", "email")},
        "national_id": number,
        "given_name": draw(name.filter(bool)),
        "family_name": draw(name.filter(bool)),
        "birth_date": str(born),
        "sex": draw(code(["F", "M", "kvinne", "MANN"])),
        "postal_code": draw(code(["", "0301", "8656"])),
        "municipality_number": draw(code(["0301", "1824"])),
        "marital_status": draw(code(["", "gift", "UGIFT", "skiltPartner"])),
        "marital_status_date": draw(after),
        "living_alone": draw(code(["", "true", "false", "Ja", "nei", "1", "0"])),
        "date_of_death": draw(after),
        "date_moved_out": draw(after),
        "interpreter_needed": draw(code(["", "true", "false"])),
        "language": draw(code(["", "no", "PL"])),
        "written_standard": draw(code(["", "nb", "NN"])),
    }


class BulkAgreesWithRowsTest(SimpleTestCase):
    @override_settings(ALLOW_SYNTHETIC_NATIONAL_IDS=True)
    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(rows(), min_size=1, max_size=6), st.sets(st.sampled_from(COLUMNS[5:])))
    @example([GOOD], set())
    @example([{**GOOD, "birth_date": "2006-08-03"}], set())
    @example([{**GOOD, "date_of_death": "2006-08-01"}], set())
    @example([{**GOOD, "marital_status_date": "2024-02-30"}], set())
    def test_bulk_accepts_only_what_the_row_check_finds_good_with_the_same_values(self, file_rows, left_out):
        self._agree(file_rows, [name for name in COLUMNS if name not in left_out])

    @override_settings(ALLOW_SYNTHETIC_NATIONAL_IDS=False)
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(rows(), min_size=1, max_size=6))
    @example([GOOD])
    def test_they_agree_where_synthetic_numbers_are_refused(self, file_rows):
        self._agree(file_rows, COLUMNS)

    @override_settings(ALLOW_SYNTHETIC_NATIONAL_IDS=True)
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(good_rows(), min_size=1, max_size=6))
    def test_bulk_accepts_good_rows_in_the_registers_form(self, file_rows):
        """Not merely safe: good rows as a register extract writes them are accepted in bulk."""
        self.assertIsNotNone(self._agree(file_rows, COLUMNS))

    def _agree(self, file_rows, names):
        lines = [2 + 2 * i for i in range(len(file_rows))]
        by_row = importer()
        cleaned, problems = {name: [] for name in names}, []
        for line, row in zip(lines, file_rows, strict=True):
            values, found = by_row.clean(line, {name: row[name] for name in names})
            problems += found
            for name in names:
                cleaned[name].append(values.get(name))
        columns = {name: [row[name] for row in file_rows] for name in names}
        accepted = bulk.accept(importer(), columns, datetime.date.today())
        if problems:
            self.assertIsNone(accepted, problems)
        if accepted is not None:
            self.assertEqual(problems, [])
            self.assertEqual(accepted.copy_text(lines), copy_merge.copy_text(lines, cleaned))
        return accepted


class DuplicatesTest(SimpleTestCase):
    def test_a_number_on_two_rows_of_different_chunks_is_found(self):
        chunks = [bulk._as_integers(["02880650265", "17918300783"]), bulk._as_integers(["02880650265"])]
        self.assertTrue(bulk.has_duplicates(chunks))
        self.assertFalse(bulk.has_duplicates(chunks[:1]))
        self.assertEqual(bulk._as_integers(["02880650265"]).tolist(), [2880650265])
