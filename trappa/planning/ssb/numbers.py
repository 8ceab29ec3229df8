"""Municipality number changes, from parameters/municipality_numbers.toml."""

import tomllib
from functools import lru_cache
from pathlib import Path

FILE = Path(__file__).resolve().parent.parent / "parameters" / "municipality_numbers.toml"


@lru_cache(maxsize=1)
def changes():
    """{old number: new number}, following chains (0602 -> 3005 -> 3301)."""
    with FILE.open("rb") as f:
        entries = tomllib.load(f)["changes"]
    direct = {}
    for entry in entries:
        if entry["old"] in direct and direct[entry["old"]] != entry["new"]:
            raise ValueError(f"municipality {entry['old']} is split; a split needs shares and is not supported")
        direct[entry["old"]] = entry["new"]
    return {old: _follow(old, direct) for old in direct}


def _follow(number, direct):
    seen = set()
    while number in direct and direct[number] != number:
        if number in seen:
            raise ValueError(f"municipality number changes loop at {number}")
        seen.add(number)
        number = direct[number]
    return number


def current(number):
    return changes().get(number, number)
