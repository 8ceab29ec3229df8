"""The five plans of ../shared/seeds/, read by the tests that check figures against them.

The seeds live beside the checkout (`../shared/seeds/`, or where TRAPPA_SEEDS_DIR
points). A test that needs them is skipped, saying so, on a machine without them.
"""

import os
import re
import unittest
from pathlib import Path

from django.conf import settings


def folder():
    return Path(os.environ.get("TRAPPA_SEEDS_DIR") or Path(settings.BASE_DIR).parent / "shared" / "seeds")


def text(prefix):
    """The text of the seed whose file name starts with `prefix` ("001"), with runs of whitespace made one space."""
    matches = sorted(folder().glob(f"{prefix}_*.txt"))
    if not matches:
        raise unittest.SkipTest(f"seed {prefix} not found in {folder()} (set TRAPPA_SEEDS_DIR)")
    return re.sub(r"\s+", " ", matches[0].read_text(encoding="utf-8"))


def number(value):
    """A Norwegian number: "1.680" is 1680, "18,5" is 18.5."""
    value = value.replace(".", "").replace(" ", "")
    return float(value.replace(",", ".")) if "," in value else int(value)


def find(pattern, seed_text, group=1):
    match = re.search(pattern, seed_text)
    if match is None:
        raise AssertionError(f"the seed no longer says {pattern!r}")
    return number(match.group(group))
