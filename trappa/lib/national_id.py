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
    if len(number) != 11 or not number.isdigit():
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
