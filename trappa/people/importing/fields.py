"""Parsers for the values in a register file. Each returns the clean value or
raises BadValue with a reason that does not repeat the value."""

import datetime
import re

import numpy as np
from django.utils.translation import gettext_noop
from stdnum.no import fodselsnummer

from trappa.lib import national_id

REQUIRED = gettext_noop("A value is required.")
TOO_LONG = gettext_noop("The value is too long.")
NOT_A_DATE = gettext_noop("Not a date in the form YYYY-MM-DD.")
NOT_A_BOOLEAN = gettext_noop("Not one of true/false, ja/nei, 1/0.")
NOT_A_CHOICE = gettext_noop("Not one of the values the format allows.")
NOT_FOUR_DIGITS = gettext_noop("Must be four digits.")
NOT_A_LANGUAGE = gettext_noop("Not a two-letter ISO 639-1 language code.")
CONTROL_CHARACTERS = gettext_noop("The value contains control characters.")

# The reasons trappa.lib.national_id gives, marked here so they are translated.
NATIONAL_ID_REASONS = (
    gettext_noop("must be 11 digits"),
    gettext_noop("synthetic test numbers are not accepted here"),
    gettext_noop("the month is not valid"),
    gettext_noop("the check digits are wrong"),
    gettext_noop("the birth date in the number is not a real date"),
    gettext_noop("is not a valid national identity number"),
)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FOUR_DIGITS = re.compile(r"\d{4}")
LANGUAGE_CODE = re.compile(r"[a-z]{2}")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TRUE_VALUES = frozenset({"true", "ja", "1"})
FALSE_VALUES = frozenset({"false", "nei", "0", ""})


EPOCH = datetime.date(1970, 1, 1)


class BadValue(ValueError):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def text(max_length, required=False):
    def parse(value):
        if required and not value:
            raise BadValue(REQUIRED)
        if len(value) > max_length:
            raise BadValue(TOO_LONG)
        if CONTROL.search(value):
            raise BadValue(CONTROL_CHARACTERS)
        return value

    def column(values):
        """The values themselves if every one is good, checked a column at a time; else None."""
        if not values or (required and not all(values)) or max(map(len, values)) > max_length:
            return None if values else values
        return None if CONTROL.search("".join(values)) else values

    parse.column = column
    return parse


def four_digits(required=False):
    def parse(value):
        if not value:
            if required:
                raise BadValue(REQUIRED)
            return ""
        if not FOUR_DIGITS.fullmatch(value):
            raise BadValue(NOT_FOUR_DIGITS)
        return value

    return parse


def date(required=False):
    def parse(value):
        if not value:
            if required:
                raise BadValue(REQUIRED)
            return None
        # fromisoformat alone would also take 20240101 and week dates.
        if not ISO_DATE.fullmatch(value):
            raise BadValue(NOT_A_DATE)
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise BadValue(NOT_A_DATE) from None

    parse.date_required = required  # for the bulk check's dates (bulk.iso_days)
    return parse


def boolean(value):
    value = value.lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise BadValue(NOT_A_BOOLEAN)


def choice(mapping, required=False, default=""):
    """A value from `mapping` (keys compared case-insensitively)."""
    lowered = {key.lower(): value for key, value in mapping.items()}

    def parse(value):
        if not value:
            if required:
                raise BadValue(REQUIRED)
            return default
        try:
            return lowered[value.lower()]
        except KeyError:
            raise BadValue(NOT_A_CHOICE) from None

    return parse


def language(value):
    value = value.lower()
    if value and not LANGUAGE_CODE.fullmatch(value):
        raise BadValue(NOT_A_LANGUAGE)
    return value


def national_id_number(allow_synthetic):
    """What the number tells (a NationalId), if it is valid."""

    def parse(value):
        if not value:
            raise BadValue(REQUIRED)
        try:
            return national_id.parse(value, allow_synthetic=allow_synthetic)
        except national_id.InvalidNationalId as exc:
            raise BadValue(str(exc)) from None

    def column(values):
        """(numbers, birth dates as days since 1970 (NumPy), {index: reason}): parse() over a column,
        the check digits and birth dates of the usual numbers computed for the whole column at once."""
        ok, days = national_id.check_many(values, allow_synthetic)
        numbers, reasons = list(values), {}
        for i in np.flatnonzero(~ok).tolist():
            try:
                found = parse(values[i])
            except BadValue as exc:
                numbers[i] = None
                reasons[i] = exc.reason
                continue
            numbers[i] = found.number
            days[i] = (found.birth_date - EPOCH).days
        return numbers, days, reasons

    parse.checks_national_id = True
    parse.national_id_column = column
    return parse


def known_good_national_id(value):
    """A number already found valid: written in its compact form, as national_id.parse gives it."""
    if len(value) == 11 and value.isascii() and value.isdigit():
        return value  # the usual case, without stdnum's slower clean-up
    return fodselsnummer.compact(value)


def parse_column(parse, values):
    """[parse(value) for value in values] and {index: reason} for the values it refuses (None there).

    The same as parsing each value: a parser's `column` checks a whole column at once and is used
    when it finds every value good; otherwise each distinct value is parsed once (dates, codes and
    booleans repeat; names and addresses are checked as a column)."""
    column = getattr(parse, "column", None)
    if column is not None and (cleaned := column(values)) is not None:
        return cleaned, {}
    memo, refused = {}, False
    for value in set(values):
        try:
            memo[value] = parse(value)
        except BadValue as exc:
            memo[value] = exc
            refused = True
    cleaned = [memo[value] for value in values]
    if not refused:
        return cleaned, {}
    reasons = {}
    for i, value in enumerate(cleaned):
        if isinstance(value, BadValue):
            reasons[i] = value.reason
            cleaned[i] = None
    return cleaned, reasons
