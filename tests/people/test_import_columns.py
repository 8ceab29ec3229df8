"""The persons file's first pass a column at a time (PersonImporter.check_columns, national_id.check_many,
fields.parse_column) finds exactly what the row-by-row check (Importer.clean with check_row) finds: the
same problems in the same order, and the same cleaned values for the good rows, on random and garbled rows."""

import datetime
from types import SimpleNamespace

from django.test import SimpleTestCase, override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trappa.demo.generator import PERSON_COLUMNS
from trappa.lib import national_id
from trappa.people.importing import fields
from trappa.people.importing.persons import PersonImporter

EPOCH = datetime.date(1970, 1, 1)
COLUMNS = list(PERSON_COLUMNS)  # every column of the persons file, as the generator writes them
GARBLE = st.text(alphabet=st.sampled_from("0123456789-: ab\t\x00\x7fÅø١２²\u00a0"), max_size=14)
DAYS = st.dates(min_value=datetime.date(1854, 1, 1), max_value=datetime.date(2039, 12, 31))


@st.composite
def numbers(draw):
    """Valid synthetic numbers, D-numbers, real-looking numbers, and numbers garbled in every way."""
    born = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31)))
    number = national_id.make_synthetic(born, draw(st.sampled_from("FM")), draw(st.integers(0, 30)))
    kinds = ["synthetic", "dolly", "real", "d-number", "digit", "spaced", "random", "any", "garbled"]
    kind = draw(st.sampled_from(kinds))
    if kind == "dolly":  # month + 40, checked again below
        number = number[:2] + f"{int(number[2:4]) - 40:02d}" + number[4:]
    elif kind == "real":
        number = number[:2] + f"{int(number[2:4]) - 80:02d}" + number[4:]
    elif kind == "d-number":
        number = f"{int(number[:2]) + 40:02d}" + number[2:]
    elif kind == "digit":
        at = draw(st.integers(0, 10))
        number = number[:at] + str(draw(st.integers(0, 9))) + number[at + 1 :]
    elif kind == "spaced":
        number = number[:6] + draw(st.sampled_from([" ", "-", ":"])) + number[6:]
    elif kind == "random":
        number = draw(st.text(alphabet="0123456789", min_size=11, max_size=11))
    elif kind == "any":  # any date and individual number (FH-numbers, H-numbers, every century, the future ...)
        day = draw(st.integers(0, 32)) + draw(st.sampled_from([0, 0, 40, 80]))
        month = draw(st.integers(0, 13)) + draw(st.sampled_from([0, 0, 40, 80]))
        year, individual = draw(st.integers(0, 99)), draw(st.integers(0, 999))
        number = f"{day:02d}{month:02d}{year:02d}{individual:03d}00"
    elif kind == "garbled":
        number = draw(GARBLE)
    if kind in ("real", "d-number", "digit", "dolly", "any"):
        # Make the check digits right again, most of the time, so that the rest of the number is what is tested.
        if draw(st.booleans()):
            digits = national_id._calc_check_digits(number[:9])
            number = number[:9] + (digits if len(digits) == 2 else "00")
    return number, born


def dates(born):
    return st.one_of(
        st.just(""),
        st.just(str(born)),
        DAYS.map(str),
        st.sampled_from(["2024-02-30", "0000-01-01", "2024-1-01", "20240101", "１９４４-０２-２９", "2099-01-01"]),
        GARBLE,
    )


def texts(longest):
    return st.one_of(
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=8),
        st.text(alphabet="aø ", min_size=longest - 1, max_size=longest + 1),
        st.just(""),
        st.just("Storgata 1 \\ B"),
    )


def codes(*good):
    return st.one_of(st.sampled_from([*good, "", "X", "Ja", "GIFT", "nN"]), GARBLE)


@st.composite
def rows(draw):
    number, born = draw(numbers())
    values = {
        "national_id": number,
        "given_name": draw(texts(200)),
        "family_name": draw(texts(200)),
        "birth_date": draw(dates(born)),
        "sex": draw(codes("F", "M", "kvinne", "mann", "f")),
        "street_address": draw(texts(200)),
        "postal_code": draw(codes("8656", "0301", "865")),
        "postal_place": draw(texts(100)),
        "area": draw(texts(100)),
        "phone": draw(texts(30)),
        "email": draw(texts(254)),
        "municipality_number": draw(codes("1824", "0301")),
        "marital_status": draw(codes("gift", "ugift", "enkeEllerEnkemann", "uoppgitt")),
        "marital_status_date": draw(dates(born)),
        "living_alone": draw(codes("true", "false", "ja", "nei", "1", "0")),
        "date_of_death": draw(dates(born)),
        "date_moved_out": draw(dates(born)),
        "interpreter_needed": draw(codes("true", "false", "ja", "nei")),
        "language": draw(codes("no", "se", "ar", "nob")),
        "written_standard": draw(codes("nb", "nn")),
    }
    return {name: value.strip() for name, value in values.items()}


def importer():
    batch = SimpleNamespace(municipality=None, dry_run=False, correction_reason="")
    return PersonImporter(batch)


class ColumnsAgreeWithRowsTest(SimpleTestCase):
    @override_settings(ALLOW_SYNTHETIC_NATIONAL_IDS=True)
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(rows(), min_size=1, max_size=12), st.sets(st.sampled_from(COLUMNS[5:])))
    def test_the_column_check_finds_what_the_row_check_finds(self, file_rows, left_out):
        self._agree(file_rows, [name for name in COLUMNS if name not in left_out])

    @override_settings(ALLOW_SYNTHETIC_NATIONAL_IDS=False)
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(rows(), min_size=1, max_size=12))
    def test_they_agree_where_synthetic_numbers_are_refused(self, file_rows):
        self._agree(file_rows, COLUMNS)

    def _agree(self, file_rows, names):
        lines = [2 + 2 * i for i in range(len(file_rows))]  # not every line holds a row (blank lines, line breaks)
        by_row = importer()
        expected_problems, expected_values = [], {}
        for line, row in zip(lines, file_rows, strict=True):
            values, problems = by_row.clean(line, {name: row[name] for name in names})
            expected_problems += problems
            if not problems:
                expected_values[line] = values
        columns = {name: [row[name] for row in file_rows] for name in names}
        _lines, cleaned, problems, good = importer().check_columns(lines, columns)
        self.assertEqual(problems, expected_problems)
        self.assertEqual([line for line, ok in zip(lines, good, strict=True) if ok], list(expected_values))
        for i, line in enumerate(lines):
            if line in expected_values:
                self.assertEqual({name: cleaned[name][i] for name in names}, expected_values[line])


class NationalIdsTest(SimpleTestCase):
    @settings(max_examples=500, deadline=None)
    @given(st.lists(numbers(), min_size=1, max_size=20), st.booleans())
    @example([("29824400006", None), ("41014910067", None), ("12345678901", None)], True)
    @example([("01013550022", None), ("01013550022", None)], False)  # born in 2035: not yet
    @example([(number, None) for number in ("81013550090", "01413550001", "01013570000", "29022400004")], True)
    def test_a_number_found_ok_for_the_whole_column_is_valid_with_that_birth_date(self, drawn, synthetic):
        values = [number for number, _born in drawn]
        ok, days = national_id.check_many(values, allow_synthetic=synthetic)
        for value, found_ok, day in zip(values, ok, days, strict=True):
            if found_ok:
                parsed = national_id.parse(value, allow_synthetic=synthetic)
                self.assertEqual((parsed.birth_date - EPOCH).days, day, value)

    @settings(max_examples=200, deadline=None)
    @given(DAYS.filter(lambda day: day.year >= 1900), st.sampled_from("FM"), st.integers(0, 40))
    def test_the_usual_numbers_are_all_found_ok_at_once(self, born, sex, serial):
        number = national_id.make_synthetic(born, sex, serial)
        ok, days = national_id.check_many([number, number], allow_synthetic=True)
        self.assertEqual(list(ok), [True, True])
        self.assertEqual(list(days), [(born - EPOCH).days] * 2)


class ParseColumnTest(SimpleTestCase):
    @given(st.lists(st.one_of(texts(30), GARBLE, dates(datetime.date(1950, 1, 1))), max_size=15))
    def test_a_column_parses_as_its_values_one_by_one(self, values):
        for parse in (fields.text(30), fields.text(30, required=True), fields.date(), fields.boolean, fields.language):
            expected_values, expected_reasons = [], {}
            for i, value in enumerate(values):
                try:
                    expected_values.append(parse(value))
                except fields.BadValue as exc:
                    expected_values.append(None)
                    expected_reasons[i] = exc.reason
            self.assertEqual(fields.parse_column(parse, values), (expected_values, expected_reasons))
