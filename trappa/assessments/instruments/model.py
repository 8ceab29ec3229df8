"""The shapes an instrument file is read into. Plain frozen dataclasses, no Django.

Numbers that are measured (seconds, repetitions, years) are Decimals, so that a
published cut point such as 4.82 s is compared exactly and never through binary
floating point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

LANGUAGES = ("nb", "nn", "en")

# The kinds of item an instrument may ask.
CHOICE = "choice"  # one of a list of options, each with points
YES_NO = "yes_no"  # true or false, each with points
MEASURE = "measure"  # a number with a unit and a valid range (seconds, repetitions, years)
KINDS = (CHOICE, YES_NO, MEASURE)

# How the total is made.
SUM = "sum"  # the sum of every scored item's points
VALUE = "value"  # the one scored measurement is the result (Timed Up and Go seconds)
NONE = "none"  # a profile of item scores with no total (IPLOS)
METHODS = (SUM, VALUE, NONE)


@dataclass(frozen=True)
class Text:
    """A user-facing text in the three written languages the service speaks."""

    nb: str
    nn: str
    en: str

    def get(self, language: str | None) -> str:
        code = (language or "en").split("-")[0].lower()
        return getattr(self, code) if code in LANGUAGES else self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    points: int


@dataclass(frozen=True)
class Code:
    """A reason a test was not done ("tried but unable", "refused" ...).

    `points` is what the protocol scores it (SPPB: 0); None means the protocol
    gives no score, so no total can be made. `note` is shown with the result.
    """

    id: str
    label: Text
    points: int | None
    note: Text | None


@dataclass(frozen=True)
class PointBand:
    """Measured values from min to max, both inclusive at the item's precision, give points."""

    min: Decimal
    max: Decimal
    points: int


@dataclass(frozen=True)
class Requirement:
    """A stop rule: the item is done only if an earlier item scored min_points or had this answer."""

    item: str
    min_points: int | None = None
    answer: str | bool | None = None


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    label: Text
    scored: bool = True
    help: Text | None = None
    options: tuple[Option, ...] = ()
    yes_points: int = 0
    no_points: int = 0
    unit: Text | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    decimals: int = 0
    trials: int = 1
    bands: tuple[PointBand, ...] = ()
    codes: tuple[Code, ...] = ()
    requires: Requirement | None = None
    points_when_stopped: int = 0

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    def code(self, code_id: str) -> Code | None:
        return next((code for code in self.codes if code.id == code_id), None)


@dataclass(frozen=True)
class Band:
    """An interpretation of the total: from min to max inclusive, optionally only `when` the context fits.

    `when` maps a context item to an option id, a yes/no, or an inclusive (low, high) range.
    """

    id: str
    label: Text
    meaning: Text
    min: Decimal
    max: Decimal
    when: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Case:
    """A named test case from the published protocol: answers in, total and band (or errors) out."""

    name: str
    answers: dict
    total: Decimal | None = None
    band: str | None = None
    item_points: dict = field(default_factory=dict)
    errors: tuple[tuple[str, str | None], ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Source:
    citation: str
    url: str = ""
    cut_points: str = ""


@dataclass(frozen=True)
class Licence:
    status: str
    holder: str
    reason: str


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    name: Text
    description: Text | None
    source: Source
    licence: Licence
    method: str
    total_min: Decimal | None
    total_max: Decimal | None
    decimals: int
    unit: Text | None
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    cases: tuple[Case, ...]
    # The smallest change in the total that is clinically meaningful, where the source gives one.
    meaningful_change: Decimal | None = None

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    def band(self, band_id: str) -> Band | None:
        return next((band for band in self.bands if band.id == band_id), None)
