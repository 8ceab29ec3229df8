"""Reads instrument files (TOML, one per instrument) and rejects malformed ones.

A file that cannot be trusted to score correctly is refused as a whole, with
every problem listed: an unknown key (a typo would silently drop a rule), a
missing translation, point bands with a gap or an overlap, interpretation bands
that do not cover the total range, a stop rule pointing at a later item, a
licence that does not allow the project to ship the instrument ...
The format is described in docs/instruments.md.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from .model import (
    CHOICE,
    KINDS,
    LANGUAGES,
    MEASURE,
    METHODS,
    NONE,
    SUM,
    VALUE,
    YES_NO,
    Band,
    Case,
    Code,
    Instrument,
    Item,
    Licence,
    Option,
    PointBand,
    Requirement,
    Source,
    Text,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

# Licences under which the project may ship an instrument, and what each means.
ALLOWED_LICENCES = {
    "public-domain": "no copyright restricts use (e.g. a work of the US federal government)",
    "nlod-2.0": "Norwegian Licence for Open Government Data 2.0: free use with attribution",
    "free-with-attribution": "published in full by its authors for use without fee or registration; cite the source",
}

TOP_KEYS = {"id", "version", "name", "description", "source", "licence", "scoring", "codes", "items", "bands", "cases"}
ITEM_KEYS = {
    "id",
    "kind",
    "label",
    "help",
    "scored",
    "options",
    "points",
    "unit",
    "min",
    "max",
    "decimals",
    "trials",
    "bands",
    "codes",
    "requires",
    "points_when_stopped",
}
SCORING_KEYS = {"method", "min", "max", "meaningful_change"}
CASE_KEYS = {"name", "source", "answers", "total", "no_total", "band", "item_points", "errors"}


class InstrumentFileError(ValueError):
    """An instrument file is malformed. `problems` lists everything wrong with it."""

    def __init__(self, name: str, problems: list[str]):
        self.name = name
        self.problems = problems
        super().__init__(f"{name}: " + "; ".join(problems))


def load_file(path: Path | str) -> Instrument:
    path = Path(path)
    return load_text(path.read_text(encoding="utf-8"), path.name)


def load_text(text: str, name: str = "<instrument>") -> Instrument:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InstrumentFileError(name, [f"not valid TOML: {error}"]) from error
    reader = _Reader()
    instrument = reader.instrument(data)
    if reader.problems:
        raise InstrumentFileError(name, reader.problems)
    return instrument


def load_directory(directory: Path | str) -> dict[str, Instrument]:
    instruments: dict[str, Instrument] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        instrument = load_file(path)
        if instrument.id in instruments:
            raise InstrumentFileError(path.name, [f"the id {instrument.id!r} is already used by another file"])
        if path.stem != instrument.id:
            raise InstrumentFileError(path.name, [f"the file must be named after its id: {instrument.id}.toml"])
        instruments[instrument.id] = instrument
    return instruments


@functools.cache
def shipped() -> Mapping[str, Instrument]:
    """Every instrument the project ships, read once per process (read-only: it is shared)."""
    return MappingProxyType(load_directory(DATA_DIR))


def get(instrument_id: str) -> Instrument:
    return shipped()[instrument_id]


class _Reader:
    """Builds an Instrument from parsed TOML, collecting every problem instead of stopping at the first."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    # --- small typed readers -------------------------------------------------------------

    def keys(self, table: dict, allowed: set, where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.problem(where, f"unknown key {key!r}")

    def string(self, table: dict, key: str, where: str, required: bool = True) -> str:
        value = table.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if value is not None or required:
            self.problem(where, f"{key!r} must be a non-empty text")
        return ""

    def integer(self, table: dict, key: str, where: str, default: int | None = None) -> int | None:
        value = table.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.problem(where, f"{key!r} must be a whole number")
        return None

    def number(self, value: object, where: str) -> Decimal | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        self.problem(where, f"{value!r} is not a number")
        return None

    def text(self, table: dict, key: str, where: str, required: bool = True) -> Text | None:
        value = table.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            self.problem(where, f"{key!r} must be a table with {', '.join(LANGUAGES)}")
            return None
        missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
        if missing:
            self.problem(where, f"{key!r} lacks a text in {', '.join(missing)}")
            return None
        self.keys(value, set(LANGUAGES), f"{where}.{key}")
        return Text(**{lang: value[lang] for lang in LANGUAGES})

    def tables(self, table: dict, key: str, where: str) -> list[dict]:
        value = table.get(key, [])
        if isinstance(value, list) and all(isinstance(entry, dict) for entry in value):
            return value
        self.problem(where, f"{key!r} must be a list of tables")
        return []

    # --- the instrument ------------------------------------------------------------------

    def instrument(self, data: dict) -> Instrument | None:
        self.keys(data, TOP_KEYS, "")
        scoring = data.get("scoring") if isinstance(data.get("scoring"), dict) else {}
        self.keys(scoring, SCORING_KEYS, "scoring")
        method = scoring.get("method")
        if method not in METHODS:
            self.problem("scoring", f"'method' must be one of {', '.join(METHODS)}")
        codes = {code.id: code for code in self.codes(data, method)}
        items = tuple(self.item(entry, f"items[{n}]", codes) for n, entry in enumerate(self.tables(data, "items", "")))
        items = tuple(item for item in items if item is not None)
        self.check_items(items, method)
        decimals, unit = self.total_shape(scoring, items, method)
        total_min, total_max = self.total_range(scoring, items, method)
        bands = self.bands(data, items, total_min, total_max, decimals, method)
        instrument = Instrument(
            id=self.string(data, "id", "id"),
            version=self.string(data, "version", "version"),
            name=self.text(data, "name", "name"),
            description=self.text(data, "description", "description", required=False),
            source=self.source(data.get("source")),
            licence=self.licence(data.get("licence")),
            method=method,
            total_min=total_min,
            total_max=total_max,
            decimals=decimals,
            unit=unit,
            items=items,
            bands=bands,
            cases=(),
            meaningful_change=self.meaningful_change(scoring, method),
        )
        entries = self.tables(data, "cases", "")
        cases = tuple(self.case(entry, f"cases[{n}]", instrument) for n, entry in enumerate(entries))
        if not cases:
            self.problem("cases", "an instrument needs named test cases from its published protocol")
        return dataclasses.replace(instrument, cases=tuple(case for case in cases if case))

    def source(self, table: object) -> Source | None:
        if not isinstance(table, dict):
            self.problem("source", "a [source] table with the full citation is required")
            return None
        self.keys(table, {"citation", "url", "cut_points"}, "source")
        return Source(
            citation=self.string(table, "citation", "source"),
            url=self.string(table, "url", "source", required=False),
            cut_points=self.string(table, "cut_points", "source", required=False),
        )

    def licence(self, table: object) -> Licence | None:
        if not isinstance(table, dict):
            self.problem("licence", "a [licence] table is required: status, holder and why the project may ship it")
            return None
        self.keys(table, {"status", "holder", "reason"}, "licence")
        status = self.string(table, "status", "licence")
        if status and status not in ALLOWED_LICENCES:
            self.problem(
                "licence",
                f"{status!r} does not allow the project to ship the instrument "
                f"(allowed: {', '.join(ALLOWED_LICENCES)})",
            )
        return Licence(status, self.string(table, "holder", "licence"), self.string(table, "reason", "licence"))

    def codes(self, data: dict, method: str) -> list[Code]:
        codes = []
        for n, entry in enumerate(self.tables(data, "codes", "")):
            where = f"codes[{n}]"
            self.keys(entry, {"id", "label", "points", "note"}, where)
            points = entry.get("points")
            if points is not None and (not isinstance(points, int) or isinstance(points, bool)):
                self.problem(where, "'points' must be a whole number")
            if method == SUM and points is None:
                self.problem(where, "in a summed instrument every code needs the points the protocol gives it")
            if method == VALUE and points is not None:
                self.problem(where, "a measured result has no points for a test not done; leave 'points' out")
            codes.append(
                Code(
                    self.string(entry, "id", where),
                    self.text(entry, "label", where),
                    points,
                    self.text(entry, "note", where, required=False),
                )
            )
        return codes

    # --- items ---------------------------------------------------------------------------

    def item(self, entry: dict, where: str, codes: dict[str, Code]) -> Item | None:
        self.keys(entry, ITEM_KEYS, where)
        kind = entry.get("kind")
        if kind not in KINDS:
            self.problem(where, f"'kind' must be one of {', '.join(KINDS)}")
            return None
        fields = {
            "id": self.string(entry, "id", where),
            "kind": kind,
            "label": self.text(entry, "label", where),
            "help": self.text(entry, "help", where, required=False),
            "scored": entry.get("scored", True) is not False,
            "codes": self.item_codes(entry, where, codes),
            "requires": self.requirement(entry.get("requires"), where),
            "points_when_stopped": self.integer(entry, "points_when_stopped", where, default=0),
        }
        if kind == CHOICE:
            fields["options"] = self.options(entry, where)
        elif kind == YES_NO:
            fields.update(self.yes_no_points(entry, where))
        else:
            fields.update(self.measure(entry, where))
        return Item(**fields)

    def item_codes(self, entry: dict, where: str, codes: dict[str, Code]) -> tuple[Code, ...]:
        ids = entry.get("codes", [])
        if not isinstance(ids, list):
            self.problem(where, "'codes' must be a list of code ids")
            return ()
        for code_id in ids:
            if code_id not in codes:
                self.problem(where, f"the code {code_id!r} is not defined in [[codes]]")
        return tuple(codes[code_id] for code_id in ids if code_id in codes)

    def requirement(self, table: object, where: str) -> Requirement | None:
        if table is None:
            return None
        if not isinstance(table, dict) or not isinstance(table.get("item"), str):
            self.problem(where, "'requires' must name an earlier 'item' and a 'min_points' or an 'answer'")
            return None
        self.keys(table, {"item", "min_points", "answer"}, f"{where}.requires")
        if ("min_points" in table) == ("answer" in table):
            self.problem(where, "'requires' needs exactly one of 'min_points' and 'answer'")
        return Requirement(table["item"], table.get("min_points"), table.get("answer"))

    def options(self, entry: dict, where: str) -> tuple[Option, ...]:
        options = []
        scored = entry.get("scored", True) is not False
        for n, option in enumerate(self.tables(entry, "options", where)):
            here = f"{where}.options[{n}]"
            self.keys(option, {"id", "label", "points"}, here)
            # A context item (age group, sex) gives no points; a scored one must say what each option is worth.
            points = self.integer(option, "points", here) if scored else 0
            options.append(Option(self.string(option, "id", here), self.text(option, "label", here), points))
        ids = [option.id for option in options]
        if len(ids) < 2 or len(set(ids)) != len(ids):
            self.problem(where, "a choice needs at least two options with different ids")
        return tuple(options)

    def yes_no_points(self, entry: dict, where: str) -> dict:
        points = entry.get("points", {"yes": 0, "no": 0})
        if not isinstance(points, dict) or set(points) != {"yes", "no"}:
            self.problem(where, "'points' of a yes/no item must be a table with 'yes' and 'no'")
            return {}
        return {"yes_points": self.integer(points, "yes", where), "no_points": self.integer(points, "no", where)}

    def measure(self, entry: dict, where: str) -> dict:
        low, high = self.number(entry.get("min"), f"{where}.min"), self.number(entry.get("max"), f"{where}.max")
        decimals = self.integer(entry, "decimals", where, default=0)
        fields = {
            "unit": self.text(entry, "unit", where),
            "min": low,
            "max": high,
            "decimals": decimals,
            "trials": self.integer(entry, "trials", where, default=1),
        }
        if low is None or high is None or decimals is None:
            return fields
        if low > high:
            self.problem(where, "'min' is above 'max'")
        if fields["trials"] is not None and fields["trials"] < 1:
            self.problem(where, "'trials' must be at least 1")
        fields["bands"] = self.point_bands(entry, where, low, high, decimals)
        return fields

    def point_bands(self, entry: dict, where: str, low: Decimal, high: Decimal, decimals: int) -> tuple:
        bands = []
        for n, band in enumerate(self.tables(entry, "bands", where)):
            here = f"{where}.bands[{n}]"
            self.keys(band, {"min", "max", "points"}, here)
            lo, hi, points = self.number(band.get("min"), here), self.number(band.get("max"), here), band.get("points")
            if not isinstance(points, int) or isinstance(points, bool):
                self.problem(here, "'points' must be a whole number")
            bands.append(PointBand(lo, hi, points))
        if bands:
            self.check_coverage([(b.min, b.max) for b in bands], low, high, decimals, f"{where}.bands")
        return tuple(bands)

    def check_coverage(self, ranges: list, low, high, decimals: int, where: str) -> None:
        """Ranges in order must cover low..high with neither gap nor overlap at the given precision."""
        if any(lo is None or hi is None for lo, hi in ranges):
            return
        step = Decimal(1).scaleb(-decimals)
        expected = low
        for lo, hi in ranges:
            if lo != expected:
                self.problem(where, f"expected a band starting at {expected}, found {lo} (a gap or an overlap)")
                return
            if hi < lo:
                self.problem(where, f"the band {lo}–{hi} ends before it starts")
                return
            expected = hi + step
        if expected - step != high:
            self.problem(where, f"the bands end at {expected - step}, not at the end of the range {high}")

    def check_items(self, items: tuple[Item, ...], method: str) -> None:
        ids = [item.id for item in items]
        if len(set(ids)) != len(ids) or not items:
            self.problem("items", "an instrument needs items, with different ids")
        for index, item in enumerate(items):
            self.check_requirement(item, items[:index])
            if method == SUM and item.scored and item.kind == MEASURE and not item.bands:
                self.problem(f"item {item.id}", "a scored measurement in a summed instrument needs point bands")
            if method != SUM and item.bands:
                self.problem(f"item {item.id}", "point bands are only used when the points are summed")
        if method == VALUE and [i.kind for i in items if i.scored] != [MEASURE]:
            self.problem("items", "a measured result needs exactly one scored item, a measurement")

    def check_requirement(self, item: Item, earlier: tuple[Item, ...]) -> None:
        rule = item.requires
        if rule is None:
            return
        required = next((other for other in earlier if other.id == rule.item), None)
        if required is None:
            self.problem(f"item {item.id}", f"'requires' must name an earlier item, not {rule.item!r}")
        elif rule.answer is not None and not self.answer_fits(required, rule.answer):
            self.problem(f"item {item.id}", f"{rule.answer!r} is not a possible answer to {required.id}")
        elif rule.min_points is not None and not required.scored:
            self.problem(f"item {item.id}", f"'min_points' needs a scored item, and {required.id} gives no points")

    def answer_fits(self, item: Item, answer: object) -> bool:
        if item.kind == YES_NO:
            return isinstance(answer, bool)
        return item.kind == CHOICE and item.option(answer) is not None

    # --- the total and its interpretation --------------------------------------------------

    def total_shape(self, scoring: dict, items: tuple[Item, ...], method: str) -> tuple[int, Text | None]:
        if method == VALUE:
            measured = next((item for item in items if item.scored and item.kind == MEASURE), None)
            if measured:
                return measured.decimals, measured.unit
        return 0, None

    def total_range(self, scoring: dict, items: tuple[Item, ...], method: str) -> tuple:
        if method == NONE or method not in METHODS:
            return None, None
        if method == VALUE:
            measured = next((item for item in items if item.scored and item.kind == MEASURE), None)
            return (measured.min, measured.max) if measured else (None, None)
        low, high = _sum_range(items)
        declared = (scoring.get("min"), scoring.get("max"))
        if declared != (low, high):
            self.problem("scoring", f"'min' and 'max' must be the possible totals {low} and {high}, not {declared}")
        return Decimal(low), Decimal(high)

    def meaningful_change(self, scoring: dict, method: str) -> Decimal | None:
        if "meaningful_change" not in scoring:
            return None
        change = self.number(scoring["meaningful_change"], "scoring.meaningful_change")
        if method == NONE:
            self.problem("scoring", "'meaningful_change' needs a total, and this instrument has none")
        elif change is not None and change <= 0:
            self.problem("scoring", f"'meaningful_change' must be more than 0, not {change}")
        return change

    def bands(self, data: dict, items, low, high, decimals: int, method: str) -> tuple[Band, ...]:
        bands = []
        for n, entry in enumerate(self.tables(data, "bands", "")):
            where = f"bands[{n}]"
            self.keys(entry, {"id", "label", "meaning", "min", "max", "when"}, where)
            bands.append(
                Band(
                    id=self.string(entry, "id", where),
                    label=self.text(entry, "label", where),
                    meaning=self.text(entry, "meaning", where),
                    min=self.number(entry.get("min"), where),
                    max=self.number(entry.get("max"), where),
                    when=self.when(entry.get("when"), items, where),
                )
            )
        if method == NONE and bands:
            self.problem("bands", "an instrument without a total cannot have interpretation bands")
        if method in (SUM, VALUE) and not bands:
            self.problem("bands", "interpretation bands are required: what does a total mean?")
        if bands and low is not None and high is not None:
            self.check_band_groups(bands, low, high, decimals)
        return tuple(bands)

    def when(self, table: object, items, where: str) -> tuple:
        if table is None:
            return ()
        if not isinstance(table, dict):
            self.problem(where, "'when' must be a table of context items")
            return ()
        rules = []
        for key, rule in sorted(table.items()):
            item = next((item for item in items if item.id == key), None)
            if item is None or item.scored:
                self.problem(where, f"'when' may only name context items (scored = false), not {key!r}")
            elif item.kind == MEASURE and isinstance(rule, list) and len(rule) == 2:
                rules.append((key, (self.number(rule[0], where), self.number(rule[1], where))))
            elif item.kind != MEASURE and self.answer_fits(item, rule):
                rules.append((key, rule))
            else:
                self.problem(where, f"{rule!r} is not a valid condition on {key!r}")
        return tuple(rules)

    def check_band_groups(self, bands: list[Band], low, high, decimals: int) -> None:
        groups: dict[tuple, list[Band]] = {}
        for band in bands:
            groups.setdefault(band.when, []).append(band)
        for when, members in groups.items():
            label = f"bands (when {dict(when)})" if when else "bands"
            self.check_coverage([(band.min, band.max) for band in members], low, high, decimals, label)
        conditions = list(groups)
        for n, first in enumerate(conditions):
            for second in conditions[n + 1 :]:
                if _overlap(first, second):
                    self.problem("bands", f"the conditions {dict(first)} and {dict(second)} overlap")

    # --- named test cases ------------------------------------------------------------------

    def case(self, entry: dict, where: str, instrument: Instrument) -> Case | None:
        self.keys(entry, CASE_KEYS, where)
        name = self.string(entry, "name", where)
        answers = entry.get("answers")
        if not isinstance(answers, dict):
            self.problem(where, "'answers' must be a table")
            return None
        errors = self.case_errors(entry, where)
        expects = ("total" in entry) + (entry.get("no_total") is True) + bool(errors)
        if expects != 1 and instrument.method != NONE:
            self.problem(where, "a case expects exactly one of a 'total' (and 'band'), 'no_total = true' or 'errors'")
        band = entry.get("band")
        if band is not None and instrument.band(band) is None:
            self.problem(where, f"there is no band {band!r}")
        total = entry.get("total")
        total = self.number(total, where) if total is not None else None
        return Case(name, answers, total, band, entry.get("item_points", {}), errors, entry.get("source", ""))

    def case_errors(self, entry: dict, where: str) -> tuple:
        errors = entry.get("errors", [])
        if not isinstance(errors, list) or not all(isinstance(e, dict) and "code" in e for e in errors):
            self.problem(where, "'errors' must be a list of tables with 'code' and 'item'")
            return ()
        return tuple((error["code"], error.get("item")) for error in errors)


def _sum_range(items: tuple[Item, ...]) -> tuple[int, int]:
    """The lowest and highest possible totals of a summed instrument."""
    low = high = 0
    for item in items:
        if not item.scored:
            continue
        points = _possible_points(item)
        low, high = low + min(points), high + max(points)
    return low, high


def _possible_points(item: Item) -> list[int]:
    points = [code.points for code in item.codes if code.points is not None]
    if item.requires:
        points.append(item.points_when_stopped)
    if item.kind == CHOICE:
        points += [option.points for option in item.options if option.points is not None]
    elif item.kind == YES_NO:
        points += [p for p in (item.yes_points, item.no_points) if p is not None]
    else:
        points += [band.points for band in item.bands if isinstance(band.points, int)]
    return points or [0]


def _overlap(first: tuple, second: tuple) -> bool:
    """Two band conditions overlap when a person could meet both."""
    a, b = dict(first), dict(second)
    if set(a) != set(b):
        return True  # conditions on different context items: someone could meet both
    for key, rule in a.items():
        other = b[key]
        if isinstance(rule, tuple) and isinstance(other, tuple):
            if None in rule or None in other or rule[1] < other[0] or other[1] < rule[0]:
                return False
        elif rule != other:
            return False
    return True
