"""Norwegian national identity numbers (fødselsnummer and D-number).

Real numbers are validated by python-stdnum. Test environments use synthetic
numbers whose month is shifted: Skatteetaten's Tenor adds 80, NAV's Dolly adds
40. They carry valid check digits, so we validate them by shifting the month
back, and accept them only when the caller allows it (the setting
ALLOW_SYNTHETIC_NATIONAL_IDS). Synthetic numbers can never belong to a real
person, which is why the demo and the tests use only them.
"""

import datetime
from dataclasses import dataclass

import numpy as np
from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer

SYNTHETIC_MONTH_OFFSETS = (80, 40)


class InvalidNationalId(ValueError):
    """The number is not a valid national identity number; str() says why."""


@dataclass(frozen=True)
class NationalId:
    number: str
    birth_date: datetime.date
    sex: str  # "F" or "M"
    is_d_number: bool
    is_synthetic: bool


def parse(value, allow_synthetic=False):
    """Validate `value` and return what it tells; raise InvalidNationalId if invalid."""
    number = fodselsnummer.compact(value or "")
    # isascii: other digits (², Arabic-Indic) are digits to Python, but not in a national identity number.
    if len(number) != 11 or not (number.isascii() and number.isdigit()):
        raise InvalidNationalId("must be 11 digits")
    month = int(number[2:4])
    synthetic = month > 40
    if synthetic:
        if not allow_synthetic:
            raise InvalidNationalId("synthetic test numbers are not accepted here")
        offset = 80 if month > 80 else 40
        if not 1 <= month - offset <= 12:
            raise InvalidNationalId("the month is not valid")
        real_form = number[:2] + f"{month - offset:02d}" + number[4:]
        _check_digits(number)
        return _describe(real_form, number, synthetic=True)
    return _describe(number, number, synthetic=False)


def _check_digits(number):
    if _calc_check_digits(number[:9]) != number[9:]:
        raise InvalidNationalId("the check digits are wrong")


def _calc_check_digits(first_nine):
    """The two check digits; a result longer than 2 characters means none is valid."""
    c1 = fodselsnummer.calc_check_digit1(first_nine)
    return c1 + fodselsnummer.calc_check_digit2(first_nine + c1[-1])


def _describe(real_form, original, synthetic):
    try:
        if not synthetic:
            fodselsnummer.validate(real_form)
        birth_date = fodselsnummer.get_birth_date(real_form)
        sex = "F" if fodselsnummer.get_gender(real_form) == "F" else "M"
    except ValidationError as exc:
        raise InvalidNationalId(_reason(exc)) from None
    return NationalId(
        number=original,
        birth_date=birth_date,
        sex=sex,
        is_d_number=int(real_form[0]) >= 4,
        is_synthetic=synthetic,
    )


def _reason(exc):
    name = type(exc).__name__
    return {
        "InvalidChecksum": "the check digits are wrong",
        "InvalidComponent": "the birth date in the number is not a real date",
        "InvalidLength": "must be 11 digits",
        "InvalidFormat": "must be 11 digits",
    }.get(name, "is not a valid national identity number")


def is_valid(value, allow_synthetic=False):
    try:
        parse(value, allow_synthetic)
    except InvalidNationalId:
        return False
    return True


def make_synthetic(birth_date, sex, serial):
    """A synthetic (Tenor, month + 80) number for this birth date and sex.

    `serial` picks among the valid individual numbers of that date and sex
    (0, 1, 2 ...); raises ValueError when the date has no more.
    """
    century_ranges = _individual_ranges(birth_date.year)
    wanted_parity = 0 if sex == "F" else 1
    seen = 0
    for low, high in century_ranges:
        for individual in range(low, high + 1):
            if individual % 2 != wanted_parity:
                continue
            base = f"{birth_date.day:02d}{birth_date.month + 80:02d}{birth_date.year % 100:02d}{individual:03d}"
            number = base + _calc_check_digits(base)
            if len(number) != 11:
                continue  # a check digit came out as 10: no valid number here
            if seen == serial:
                return number
            seen += 1
    raise ValueError("no more synthetic numbers for this birth date and sex")


def _individual_ranges(year):
    """Individual-number ranges that encode the century of `year` (Skatteetaten's rules)."""
    if 1854 <= year <= 1899:
        return [(500, 749)]
    if 1900 <= year <= 1939:
        return [(0, 499)]
    if 1940 <= year <= 1999:
        return [(0, 499), (900, 999)]
    if 2000 <= year <= 2039:
        return [(500, 999)]
    raise ValueError("birth year out of range")


_WEIGHTS1 = np.array([3, 7, 6, 1, 8, 9, 4, 5, 2])
_WEIGHTS2 = np.array([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def check_many(values, allow_synthetic=False):
    """(ok, birth dates): for a sequence of numbers, which are certainly valid, as parse() finds them, and
    their birth dates as days since 1970-01-01 (NumPy arrays).

    The usual numbers (11 ASCII digits) are checked for the whole sequence at once; a number not found
    ok here may still be valid (written with spaces, say) or not: ask parse() about it, one by one."""
    n = len(values)
    ok, days = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    joined = "".join(values)
    if len(joined) == 11 * n and joined.isascii() and joined.isdigit():
        rows = np.arange(n)
    else:
        rows = np.array([i for i, v in enumerate(values) if len(v) == 11 and v.isascii() and v.isdigit()], dtype=int)
        joined = "".join(values[i] for i in rows)
    if not rows.size:
        return ok, days
    d = (np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, 11) - ord("0")).astype(np.int64)
    # stdnum's check digits: (11 - weighted sum) % 11, where 10 means no valid number.
    good = ((11 - d[:, :9] @ _WEIGHTS1) % 11 == d[:, 9]) & ((11 - d[:, :10] @ _WEIGHTS2) % 11 == d[:, 10])
    day, month, year = d[:, 0] * 10 + d[:, 1], d[:, 2] * 10 + d[:, 3], d[:, 4] * 10 + d[:, 5]
    individual = d[:, 6] * 100 + d[:, 7] * 10 + d[:, 8]
    synthetic = month > 40
    if not allow_synthetic:
        good &= ~synthetic
    month = np.where(month > 80, month - 80, np.where(synthetic, month - 40, month))
    good &= day < 80  # an FH-number: no birth date
    day = np.where(day > 40, day - 40, day)  # a D-number
    century = np.select(
        [
            individual < 500,
            (individual < 750) & (year >= 54),
            (individual < 1000) & (year < 40),
            (individual >= 900) & (individual < 1000) & (year >= 40),
        ],
        [1900, 1800, 2000, 1900],
        default=0,
    )
    good &= century > 0
    year = year + century
    good &= (month >= 1) & (month <= 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    in_month = _DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    good &= (day >= 1) & (day <= in_month)
    month, day, year = np.where(good, month, 1), np.where(good, day, 1), np.where(good, year, 1970)
    born = (
        (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1).astype("timedelta64[M]")
    ).astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    born = born.astype(np.int64)
    # A real (not synthetic) number must not be of someone not yet born (stdnum's validate).
    today = (datetime.date.today() - datetime.date(1970, 1, 1)).days
    good &= synthetic | (born <= today)
    ok[rows], days[rows] = good, born
    return ok, days
