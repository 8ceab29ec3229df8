"""Municipality numbers checked against SSB's code list, with its history (parameters/municipality_codes.toml).

A number valid today is read as it is. An old number is read under today's, following the reforms
(0602 Drammen -> 3005 in 2020 -> 3301 in 2024; 1902 Tromsø -> 5401 -> 5501). A number never in the
list (9999) and a municipality that was split (1507 Ålesund -> 1508 Ålesund and 1580 Haram in 2024)
cannot be read, and raise ValueError saying why.
"""

import tomllib
from functools import lru_cache
from pathlib import Path

FILE = Path(__file__).resolve().parent.parent / "parameters" / "municipality_codes.toml"


class UnknownNumber(ValueError):
    pass


@lru_cache(maxsize=1)
def _code_list():
    """(numbers valid today, {number: set of successor tuples from the eras that ended}, {number: name})."""
    with FILE.open("rb") as f:
        entries = tomllib.load(f)["municipalities"]
    valid, successors, names = set(), {}, {}
    for entry in entries:
        number = entry["number"]
        names.setdefault(number, entry["name"])
        if "until" not in entry:
            valid.add(number)
            names[number] = entry["name"]
        else:
            successors.setdefault(number, set()).add(tuple(entry.get("becomes", ())))
    return frozenset(valid), successors, names


def current(number):
    """Today's number for `number`; UnknownNumber if it is not in the code list or was split."""
    valid, successors, names = _code_list()
    seen = []
    while number not in valid:
        if number not in successors:
            where = f" (via {' -> '.join(seen)})" if seen else ""
            raise UnknownNumber(f"municipality number {number}{where} is not in SSB's code list of municipalities")
        options = successors[number]
        if len(options) != 1 or len(next(iter(options))) != 1:
            parts = " and ".join(sorted({n for option in options for n in option}))
            raise UnknownNumber(
                f"municipality {number} {names[number]} was split (into {parts}): its figures cannot be "
                "divided without shares per age, so the file cannot be read under today's numbers"
            )
        seen.append(number)
        number = next(iter(options))[0]
        if number in seen:
            raise UnknownNumber(f"municipality number changes loop at {number}")
    return number


def name(number):
    return _code_list()[2].get(number, number)
