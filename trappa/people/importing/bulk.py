"""The persons file's rows checked in bulk: whole columns at once, with NumPy where values are numbers.

A register extract is nearly always good. This check says only "every row of these is good" (and hands
over the rows in COPY's text format, as copy_merge stages them) or "not sure": it names no problem.
When it is not sure, the importer checks the file again row by row (PersonImporter.check_columns),
which names every problem by line and column, exactly as before. So the bulk check must never accept
a row the row-by-row check refuses, and must give the same values (tests/people/test_import_bulk.py).

- national identity numbers: check digits and birth dates for the whole column (national_id.check_many);
- dates: the digits of every YYYY-MM-DD at once, as days since 1970;
- names and addresses: the text parser's own column check;
- codes (sex, postal codes, marital status, booleans, language ...): each distinct value parsed once,
  a small table from the value to its COPY text.
"""

from dataclasses import dataclass

import numpy as np

from trappa.lib import national_id

from . import copy_merge
from .fields import EPOCH, BadValue

# A date column's empty value, as days since 1970 (as persons.NO_DATE).
NO_DATE = np.iinfo(np.int64).min
DATES_AFTER_BIRTH = ("marital_status_date", "date_of_death", "date_moved_out")
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9]


@dataclass
class Accepted:
    """Rows found good in bulk: their national IDs as integers, {column: COPY text} in the file's order, and
    {date column: days since 1970 (NO_DATE for none)}."""

    ids: np.ndarray
    texts: dict
    days: dict

    def copy_text(self, lines):
        return copy_merge.join_rows(lines, list(self.texts.values()))


def accept(importer, columns, today):
    """Accepted if every row of `columns` ({column: trimmed values}) is good as clean() and check_row() find
    it; None if any might not be (the row-by-row check then says which and why)."""
    texts, days = {}, {}
    for name, values in columns.items():
        parser = importer.parsers[name]
        if getattr(parser, "national_id_column", None):
            ok, days[name] = national_id.check_many(values, importer.allow_synthetic)
            if not ok.all():
                return None
            texts[name] = values
        elif getattr(parser, "date_required", None) is not None:
            days[name] = iso_days(values, parser.date_required)
            if days[name] is None:
                return None
            texts[name] = [value or r"\N" for value in values]
        elif getattr(parser, "column", None):
            if parser.column(values) is None:
                return None
            texts[name] = copy_merge.escaped(values)
        else:
            texts[name] = _codes(name, parser, values)
            if texts[name] is None:
                return None
    if not _rows_agree(days, today):
        return None
    texts = {"national_id": texts.pop("national_id"), **texts}
    return Accepted(_as_integers(texts["national_id"]), texts, days)


def _codes(name, parser, values):
    """The column's COPY text through a table of its distinct values; None if one is refused."""
    table = {}
    for value in set(values):
        try:
            table[value] = copy_merge.copy_value(name, parser(value))
        except BadValue:
            return None
    return list(map(table.__getitem__, values))


def _rows_agree(days, today):
    """check_row() for every row: the birth date is the number's, the dates after it, no death in the future."""
    born = days.get("birth_date")
    if born is not None and "national_id" in days and not np.array_equal(born, days["national_id"]):
        return False
    for name in DATES_AFTER_BIRTH:
        if born is not None and name in days and ((days[name] != NO_DATE) & (days[name] < born)).any():
            return False
    return "date_of_death" not in days or not (days["date_of_death"] > (today - EPOCH).days).any()


def iso_days(values, required):
    """The dates (YYYY-MM-DD, ASCII digits) as days since 1970, NO_DATE for an empty value; None if any value
    is not such a real date (or is empty where one is required)."""
    n = len(values)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
    empty = lengths == 0
    if not ((lengths == 10) | empty).all() or (required and empty.any()):
        return None
    joined = "".join(values) if not empty.any() else "".join(value or "1970-01-01" for value in values)
    if not joined.isascii():
        return None
    chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(n, 10)
    if not ((chars[:, 4] == ord("-")) & (chars[:, 7] == ord("-"))).all():
        return None
    digits = chars[:, _DATE_DIGITS].astype(np.int64) - ord("0")
    if not ((digits >= 0) & (digits <= 9)).all():
        return None
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month, day = digits[:, 4] * 10 + digits[:, 5], digits[:, 6] * 10 + digits[:, 7]
    if not ((year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)).all():
        return None
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    if (day > _DAYS_IN_MONTH[month - 1] + ((month == 2) & leap)).any():
        return None
    since = (
        (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1).astype("timedelta64[M]")
    ).astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    found = since.astype(np.int64)
    found[empty] = NO_DATE
    return found


def _as_integers(numbers):
    """11-digit numbers (checked) as int64, to find one twice across the file without a set of strings."""
    if not numbers:
        return np.zeros(0, dtype=np.int64)
    digits = np.frombuffer("".join(numbers).encode("ascii"), dtype=np.uint8).reshape(-1, 11) - ord("0")
    return digits.astype(np.int64) @ (10 ** np.arange(10, -1, -1, dtype=np.int64))


def has_duplicates(ids):
    """True if a number is on two rows of the file (the chunks' ids)."""
    found = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    return np.unique(found).size != found.size
