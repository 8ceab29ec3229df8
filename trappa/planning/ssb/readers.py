"""Parse SSB projection tables into arrays."""

import codecs
import csv
import itertools
import json
import re
from array import array
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from ..engine.model import AGES
from .numbers import UnknownNumber, current

_ALTERNATIVE = re.compile(r"\b([LMHK0]{4})\b")
_YEAR = re.compile(r"\b(19\d\d|20\d\d|21\d\d)\b")
_NUMBER = re.compile(r"^\s*(?:K-)?(\d{4})\b")
# The whole country ("0 Hele landet") and counties ("34", "F-34"): aggregates, not municipalities.
_AGGREGATE = re.compile(r"^\s*(?:F-)?\d{1,2}\b")
_AGE = re.compile(r"^\s*(\d{1,3})")
# SSB's symbols for a cell without a number: not available, not applicable, confidential.
_MISSING = {"..", ".", ":", "…"}
# More people than Norway has, in one cell (one sex, age, year and municipality): not a headcount.
MAX_CELL = 10_000_000

# Dimension names in the codes variant (PxWebApi ids) and the texts variant (labels).
_DIMENSIONS = {
    "region": {"region"},
    "sex": {"kjonn", "kjønn"},
    "age": {"alder"},
    "year": {"tid", "år"},
    "contents": {"contentscode", "statistikkvariabel"},
    "alternative": {"alternativ", "framskrivingsalternativ", "alternativer"},
}
_SEX = {"1": 1, "2": 0, "menn": 1, "kvinner": 0, "males": 1, "females": 0, "men": 1, "women": 0}
_SEX_TOTAL = {"0", "begge kjønn", "both sexes"}
_AGE_TOTAL = {"999", "alle aldre", "all ages", "i alt"}


class SsbFormatError(ValueError):
    """The file is not an SSB projection table Trappa can read; the message says why."""


@dataclass
class ProjectionTable:
    title: str
    regions: tuple  # today's municipality numbers
    region_names: dict
    alternatives: tuple  # "MMMM", "LLML", "HHMH" ...
    years: tuple
    population: np.ndarray  # (A, M, 2, 106, Y); sex 0 = female, 1 = male; age 105 = 105 or older
    renumbered: dict = field(default_factory=dict)  # old number as written -> today's, for the report

    def series(self, region):
        """(A, 2, 106, Y) for one municipality."""
        return self.population[:, self.regions.index(region)]


def _check_complete(pop, alts, regions, years):
    """Every alternative needs every municipality and year: no silent zeros."""
    present = pop.sum(axis=(2, 3)) > 0  # (A, M, Y)
    if not present.all():
        a, m, y = np.argwhere(~present)[0]
        raise SsbFormatError(f"no population for {regions[m]} in {years[y]} in alternative {alts[a]}")


def _today(number, text):
    """Today's number for a region as written; refused if the code list does not know it or it was split."""
    try:
        return current(number)
    except UnknownNumber as exc:
        raise SsbFormatError(f"region {text!r}: {exc}") from None


def _region(text):
    match = _NUMBER.match(str(text))
    if not match:
        raise SsbFormatError(f"region {text!r} has no four-digit municipality number")
    rest = str(text)[match.end() :].strip()
    rest = re.sub(r"\s*\(.*\)$", "", rest)
    return match.group(1), rest or match.group(1)


def _sex(text):
    key = str(text).strip().lower()
    if key in _SEX_TOTAL:
        return None
    if key not in _SEX:
        raise SsbFormatError(f"sex {text!r} is neither 1/Menn nor 2/Kvinner")
    return _SEX[key]


def _age(text):
    age = _age_as_written(text)
    return None if age is None else min(age, AGES - 1)


def _age_as_written(text):
    """The age a label names (106 stays 106), or None for the all-ages total."""
    if str(text).strip().lower() in _AGE_TOTAL:
        return None
    match = _AGE.match(str(text))
    if not match:
        raise SsbFormatError(f"age {text!r} is not a one-year age")
    return int(match.group(1))


def _year(text):
    match = _YEAR.search(str(text))
    if not match:
        raise SsbFormatError(f"year {text!r} is not a year")
    return int(match.group(1))


def _alternative(text):
    if text is None:
        return "MMMM"  # a table with one unnamed alternative is SSB's main alternative
    match = _ALTERNATIVE.search(str(text))
    if not match:
        raise SsbFormatError(f"alternative {text!r} has no four-letter code such as MMMM")
    return match.group(1)


def _alternative_order(code):
    order = {"MMMM": 0, "LLML": 1, "HHMH": 2}
    return order.get(code, 3), code


def _number(value, where):
    if value is None or (isinstance(value, str) and value.strip() in _MISSING):
        raise SsbFormatError(f"{where}: the figure is missing")
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if text == "-":
            return 0.0  # SSB's "nil"
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise SsbFormatError(f"{where}: {value!r} is not a number") from None
    if value < 0:
        raise SsbFormatError(f"{where}: a population cannot be negative")
    return float(value)


def _refuse_bad_figures(values, where_first):
    """Only finite whole numbers from 0 to MAX_CELL are headcounts; `where_first(flat positions)` names the cell."""
    checks = (
        (~np.isfinite(values), "is not a number"),
        (values < 0, "a population cannot be negative"),
        (values > MAX_CELL, f"is more than {MAX_CELL:,} persons in one cell"),
        (values != np.floor(values), "is not a whole number of persons"),
    )
    with np.errstate(invalid="ignore"):
        for bad, reason in checks:
            bad = bad & ~np.isnan(values) if reason != "is not a number" else bad
            if bad.any():
                position = np.flatnonzero(bad)
                figure = str(values.flat[position[0]])
                said = reason if reason.startswith("a ") else f"{figure!r} {reason}"
                raise SsbFormatError(f"{where_first(position)}: {said}")


def _role(name):
    key = str(name).strip().lower()
    for role, names in _DIMENSIONS.items():
        if key in names:
            return role
    return None


# --- Population now (table 07459) ------------------------------------------


def read_population(text):
    """Residents per municipality from a CSV download of a StatBank population table (07459: population
    1 January by region, age, ...), every other dimension summed: {number as written: (name, residents)},
    in number order.

    The same CSV variants as the projections (title lines, separator, "K-1824 Vefsn" or "1824 Vefsn"),
    with the count in the last column. Regions that are no municipality (the country, counties, "K-23
    Continental shelf", "K-Rest ...") and municipalities with no residents are left out; SSB's "-" is nil.
    Numbers stay as written (a 2021 table keeps 2021's municipalities).
    """
    lines = text.splitlines()
    if lines:
        lines[0] = lines[0].lstrip("\ufeff")
    start = _header_line(lines)
    rows = csv.reader(lines[start:], _dialect(lines[start]))
    header = [h.strip() for h in next(rows)]
    column = next(i for i, name in enumerate(header) if _role(name) == "region")
    found = {}
    for line_no, row in enumerate(rows, start=start + 2):
        if not "".join(row).strip():
            continue
        if not _NUMBER.match(row[column]):
            continue  # not a municipality
        number, name = _region(row[column])
        count = _number(row[-1], f"line {line_no}, column {header[-1]!r}")
        if count != int(count):
            raise SsbFormatError(f"line {line_no}, column {header[-1]!r}: {row[-1]!r} is not a whole number of persons")
        residents = found.get(number, (name, 0))[1] + int(count)
        found[number] = (name, residents)
    return {number: found[number] for number in sorted(found) if found[number][1]}


def read_population_path(path):
    """read_population of a file on disk, UTF-8 or Windows-1252 (the older downloads, as fhidata's copy)."""
    with open(path, encoding=_encoding_of(path), newline="") as f:
        return read_population(f.read())


# --- json-stat2 -----------------------------------------------------------


def read_jsonstat(text):
    """json-stat2, vectorised: labels are parsed once per category, not once per cell."""
    try:
        return _read_jsonstat(text)
    except SsbFormatError:
        raise
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
        # A dataset of the right class whose parts have the wrong shape (no "value",
        # a dimension that is not an object, a figure that is text ...).
        raise SsbFormatError(f"the json-stat2 dataset is malformed ({type(exc).__name__}: {exc})") from None


def _read_jsonstat(text):
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SsbFormatError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("class") != "dataset" or "id" not in data:
        raise SsbFormatError("not a json-stat2 dataset (class 'dataset' with 'id', 'size', 'dimension', 'value')")
    ids, sizes, dims = data["id"], data.get("size"), data.get("dimension", {})
    if not isinstance(sizes, list) or len(ids) != len(sizes) or any(i not in dims for i in ids):
        raise SsbFormatError("json-stat2 'id', 'size' and 'dimension' do not agree")
    codes = [_category_codes(dims[i], i, n) for i, n in zip(ids, sizes, strict=True)]
    roles = {_role(i) or _role(dims[i].get("label", "")): n for n, i in enumerate(ids)}
    roles.pop(None, None)
    missing = {"region", "sex", "age", "year"} - roles.keys()
    if missing:
        raise SsbFormatError(f"json-stat2 lacks the dimensions {sorted(missing)}")
    values = _jsonstat_values(data["value"], int(np.prod(sizes)), lambda flat: _cell_name(codes, flat, sizes))
    values = values.reshape(sizes)
    _refuse_bad_figures(np.where(np.isnan(values), 0, values), lambda p: _cell_name(codes, p[0], sizes))
    return _layout(data.get("label", ""), values, codes, roles)


def _refuse_constant(name):
    raise SsbFormatError(f"json-stat2 holds {name}, which is not a number of persons")


def _cell_name(codes, flat, sizes):
    where = np.unravel_index(int(flat), sizes)
    return "the cell " + ", ".join(codes[n][i][1] for n, i in enumerate(where))


def _layout(title, values, codes, roles):
    """Map every dimension's categories to target positions, then add all cells at once."""
    targets = [None] * values.ndim  # per dimension: target index per category, -1 = not a headcount
    regions, names, renumbered = {}, {}, {}
    region_of = []
    for _, label in codes[roles["region"]]:
        if _AGGREGATE.match(label):
            region_of.append(-1)  # the country or a county, besides the municipalities
            continue
        number, name = _region(label)
        now = _today(number, label)
        if now != number:
            renumbered[number] = now
        if now in regions:
            raise SsbFormatError(
                f"the municipality {now} appears under more than one number (one is {number}): "
                "a file may hold one number per municipality, or its figures are counted twice"
            )
        names.setdefault(now, name)
        region_of.append(regions.setdefault(now, len(regions)))
    if not regions:
        raise SsbFormatError("the file holds no population figures for municipalities, only the country or counties")
    targets[roles["region"]] = np.array(region_of)
    targets[roles["sex"]] = np.array([_or_skip(_sex(code)) for code, _ in codes[roles["sex"]]])
    targets[roles["age"]] = np.array([_or_skip(_age(code)) for code, _ in codes[roles["age"]]])
    year_list = [_year(code) for code, _ in codes[roles["year"]]]
    targets[roles["year"]] = np.array([sorted(set(year_list)).index(y) for y in year_list])
    alt_dim, alt_codes = _alternative_dimension(codes, roles)
    alts = sorted({a for a in alt_codes if a}, key=_alternative_order) or ["MMMM"]
    for n in range(values.ndim):
        if targets[n] is None:
            if n == alt_dim:
                targets[n] = np.array([alts.index(a) if a else -1 for a in alt_codes])
            elif len(codes[n]) == 1:
                targets[n] = np.zeros(1, dtype=int)
            else:
                raise SsbFormatError(f"dimension {n + 1} has several categories Trappa cannot place")
    keep = [np.flatnonzero(t >= 0) for t in targets]
    cells = values[np.ix_(*keep)]
    if np.isnan(cells).any():
        where = np.argwhere(np.isnan(cells))[0]
        described = ", ".join(codes[n][keep[n][i]][1] for n, i in enumerate(where))
        raise SsbFormatError(f"the figure for {described} is missing")
    if (cells < 0).any():
        raise SsbFormatError("a population cannot be negative")
    shape = (len(alts), len(regions), 2, AGES, len(set(year_list)))
    out = np.zeros(shape)
    order = [alt_dim, roles["region"], roles["sex"], roles["age"], roles["year"]]
    index = []
    for dim in order:
        if dim is None:
            index.append(np.zeros(1, dtype=int).reshape([1] * values.ndim))
            continue
        positions = targets[dim][keep[dim]]
        index.append(positions.reshape([-1 if n == dim else 1 for n in range(values.ndim)]))
    np.add.at(out, tuple(np.broadcast_arrays(*index, cells)[:-1]), cells)
    region_list = sorted(regions, key=regions.get)
    order_regions = np.argsort(region_list)
    out = out[:, order_regions]
    region_list = [region_list[i] for i in order_regions]
    years = sorted(set(year_list))
    _check_complete(out, alts, region_list, years)
    return ProjectionTable(
        title, tuple(region_list), {r: names[r] for r in region_list}, tuple(alts), tuple(years), out, renumbered
    )


def _or_skip(position):
    return -1 if position is None else position


def _alternative_dimension(codes, roles):
    """(dimension holding the alternatives or None, alternative code per category or None to skip)."""
    if "alternative" in roles:
        dim = roles["alternative"]
        return dim, [_alternative(code if _ALTERNATIVE.search(code) else label) for code, label in codes[dim]]
    if "contents" in roles:
        dim = roles["contents"]
        found = []
        for code, label in codes[dim]:
            match = _ALTERNATIVE.search(f"{code} {label}")
            found.append(match.group(1) if match else ("MMMM" if "person" in f"{code} {label}".lower() else None))
        return dim, found
    return None, ["MMMM"]


def _category_codes(dim, name, size):
    """[(code, label)] in index order."""
    category = dim.get("category", {})
    index = category.get("index")
    labels = category.get("label", {})
    if isinstance(index, dict):
        ordered = sorted(index, key=index.get)
    elif isinstance(index, list):
        ordered = index
    elif len(labels) == 1:
        ordered = list(labels)
    else:
        raise SsbFormatError(f"dimension {name} has no category index")
    if len(ordered) != size:
        raise SsbFormatError(f"dimension {name} has {len(ordered)} categories, not {size}")
    return [
        (code, _with_code(code, labels.get(code, code)) if name == "Region" else labels.get(code, code))
        for code in ordered
    ]


def _with_code(code, label):
    """Region labels may lack the number ("Vefsn"): put the code in front."""
    return label if label.lstrip().startswith(code.removeprefix("K-")) else f"{code.removeprefix('K-')} {label}"


def _jsonstat_values(value, total, name):
    """The figures as floats (NaN where there is none); only JSON numbers are figures ("12" and true are not)."""
    if isinstance(value, list):
        if len(value) != total:
            raise SsbFormatError(f"json-stat2 has {len(value)} values for {total} cells")
        figures = value
    elif isinstance(value, dict):  # the sparse form: {"flat index": value}
        figures = [None] * total
        for key, v in value.items():
            if not (isinstance(key, str) and key.isdecimal() and int(key) < total):
                raise SsbFormatError(f"json-stat2 value key {key!r} is not a cell number from 0 to {total - 1}")
            figures[int(key)] = v
    else:
        raise SsbFormatError("json-stat2 'value' is neither a list nor an object")
    kinds = {type(v) for v in figures}
    if not kinds <= {int, float, type(None)}:
        n = next(n for n, v in enumerate(figures) if type(v) not in (int, float, type(None)))
        raise SsbFormatError(f"{name(n)}: {figures[n]!r} is not a number (json-stat2 figures are JSON numbers)")
    try:
        return np.array(figures, dtype=float)
    except OverflowError:  # an integer too large for a float
        n = next(n for n, v in enumerate(figures) if isinstance(v, int) and abs(v) > MAX_CELL)
        raise SsbFormatError(f"{name(n)}: is more than {MAX_CELL:,} persons in one cell") from None


# --- CSV (codes or texts) -------------------------------------------------


def read_csv(text):
    """PxWebApi CSV, codes or texts, separated by comma, semicolon or tab.

    Optional title lines come first. Dimension columns are named by code
    (Region, Kjonn, Alder, Tid, ContentsCode) or text (region, kjønn, alder,
    år, statistikkvariabel); the other columns hold figures and carry the year
    and/or alternative in their heading ("2025", "Personer 2025 MMMM" ...).
    """
    return read_csv_lines(text.splitlines())


def read_csv_lines(lines):
    """read_csv over any iterable of lines (an open file): the file is never held whole in memory."""
    lines = iter(lines)
    head = list(itertools.islice(lines, 10))
    if head:
        head[0] = head[0].lstrip("\ufeff")
    start = _header_line(head)
    reader = csv.reader(itertools.chain(head[start:], lines), _dialect(head[start]))
    header = [h.strip() for h in next(reader)]
    roles = {i: _role(h) for i, h in enumerate(header)}
    dimension_columns = {role: i for i, role in roles.items() if role}
    missing = {"region", "sex", "age"} - dimension_columns.keys()
    if missing:
        raise SsbFormatError(f"CSV header lacks the columns {sorted(missing)}")
    value_columns = [i for i, role in roles.items() if role is None]
    if not value_columns:
        raise SsbFormatError("CSV has no column of figures")
    cells = _CsvCells(header, dimension_columns, value_columns)
    for line_no, row in enumerate(reader, start=start + 2):
        if not "".join(row).strip():
            continue
        if len(row) != len(header):
            raise SsbFormatError(f"line {line_no}: {len(row)} fields, the header has {len(header)}")
        cells.add(row, line_no)
    title = head[0].strip().strip('"') if start else ""
    del head, reader  # the rows are in `cells` now
    return cells.build(title)


class _CsvCells:
    """A CSV's figures as integer positions and one array of numbers, not one object per figure.

    Each dimension's texts are parsed once, the first time they appear, into a small
    index (codes seen so far). Per row the reader keeps five integers (municipality
    number as written, sex, age as written, kind, line); the row's figures go
    straight into a flat array of doubles. Repeated and missing cells are found on
    the arrays at the end, and named by line and column.
    """

    def __init__(self, header, dims, value_columns):
        self.header = header
        self.value_columns = value_columns
        self.headings = [header[c] for c in value_columns]
        self.columns = [dims.get(role) for role in ("contents", "alternative", "year", "region", "sex", "age")]
        self.figures = itemgetter(*value_columns) if len(value_columns) > 1 else (lambda row: (row[value_columns[0]],))
        self.regions = {}  # text as written -> position in self.numbers, -1 for the country or a county
        self.numbers = []  # municipality numbers as written, in order of first appearance
        self.names = {}  # today's number -> name, the first name seen
        self.sexes = {}
        self.ages = {}  # text -> age as written (106 and older stay apart here) or -1 for a total
        self.kinds = {}  # (contents, alternative, year) texts -> position in self.kind_cells or -1 to skip
        self.kind_cells = []  # per kind: ((alternative position, year position) per figure column)
        self.alternatives = {}  # code -> position, in order of first appearance
        self.years = {}
        # 4-byte integers: a 200 MB file has millions of rows, and every index here is far below 2**31.
        self.rows = {name: array("i") for name in ("region", "sex", "age", "kind", "line")}
        self.values = array("d")

    def add(self, row, line_no):
        contents_col, alt_col, year_col, region_col, sex_col, age_col = self.columns
        key = (
            row[contents_col] if contents_col is not None else "",
            row[alt_col] if alt_col is not None else None,
            row[year_col] if year_col is not None else None,
        )
        kind = self.kinds.get(key)
        if kind is None:
            kind = self.kinds[key] = self._kind(*key)
        if kind < 0:
            return  # a statistics variable other than the headcount
        region = self.regions.get(row[region_col])
        if region is None:
            region = self.regions[row[region_col]] = self._region(row[region_col])
        if region < 0:
            return  # the country or a county, besides the municipalities
        sex = self.sexes.get(row[sex_col])
        if sex is None:
            sex = self.sexes[row[sex_col]] = _or_skip(_sex(row[sex_col]))
        if sex < 0:
            return  # the both-sexes total
        age = self.ages.get(row[age_col])
        if age is None:
            age = self.ages[row[age_col]] = _or_skip(_age_as_written(row[age_col]))
        if age < 0:
            return  # an all-ages total
        figures = self.figures(row)
        try:
            self.values.extend(map(float, figures))
        except ValueError:  # SSB's symbols, decimal commas, spaces: the careful way, naming the line
            del self.values[len(self.values) - len(self.values) % len(figures) :]
            self.values.extend(_number(value, self._where(line_no, n)) for n, value in enumerate(figures))
        rows = self.rows
        rows["region"].append(region)
        rows["sex"].append(sex)
        rows["age"].append(age)
        rows["kind"].append(kind)
        rows["line"].append(line_no)

    def _kind(self, contents, alternative, year):
        if contents and not _ALTERNATIVE.search(contents) and "person" not in contents.lower():
            return -1
        cells = []
        for heading in self.headings:
            if alternative is None:
                found = _ALTERNATIVE.search(f"{contents} {heading}")
                code = _alternative(found.group(1) if found else None)
            else:
                code = _alternative(alternative)
            number = _year(heading if year is None else year)
            cells.append(
                (
                    self.alternatives.setdefault(code, len(self.alternatives)),
                    self.years.setdefault(number, len(self.years)),
                )
            )
        self.kind_cells.append(cells)
        return len(self.kind_cells) - 1

    def _region(self, text):
        if _AGGREGATE.match(text):
            return -1
        number, name = _region(text)
        self.names.setdefault(_today(number, text), name)
        self.numbers.append(number)
        return len(self.numbers) - 1

    def _where(self, line_no, figure):
        return f"line {line_no}, column {self.headings[figure]!r}"

    def _first(self, flat_positions):
        """Where the first of these figures (positions in file order) is."""
        row, figure = divmod(int(flat_positions[0]), len(self.headings))
        return self._where(self.rows["line"][row], figure)

    def build(self, title):
        n_rows, n_figures = len(self.rows["line"]), len(self.headings)
        if not n_rows:
            raise SsbFormatError("the file holds no population figures for municipalities, sexes and ages")
        values = np.frombuffer(self.values, dtype=float).reshape(n_rows, n_figures)
        _refuse_bad_figures(values, self._first)
        rows = {name: np.frombuffer(column, dtype=np.int32) for name, column in self.rows.items()}
        # Per kind of row and figure column: the alternative and year, in order of appearance. (K, figures)
        kind_cells = np.array(self.kind_cells, dtype=np.int64).reshape(-1, n_figures, 2)
        alt_seen, year_seen = kind_cells[..., 0], kind_cells[..., 1]
        self._refuse_repeated_cells(rows, alt_seen, year_seen)
        alts = sorted(self.alternatives, key=_alternative_order)
        years = sorted(self.years)
        numbers_now = [current(number) for number in self.numbers]
        regions = sorted(set(numbers_now))
        shape = (len(alts), len(regions), 2, AGES, len(years))
        # A figure's flat position in `shape` is a part from its row (municipality, sex, age) plus a part
        # from its kind and column (alternative, year): one array of positions, one sum.
        region_at = np.array([regions.index(now) for now in numbers_now])[rows["region"]]
        row_part = ((region_at * 2 + rows["sex"]) * AGES + np.minimum(rows["age"], AGES - 1)) * shape[4]
        alt_at, year_at = _positions(self.alternatives, alts)[alt_seen], _positions(self.years, years)[year_seen]
        self._refuse_gaps_and_doubles(rows, region_at, alt_at, year_at, (alts, regions, years))
        kind_part = alt_at * int(np.prod(shape[1:]))
        kind_part += year_at
        index = kind_part[rows["kind"]]
        index += row_part[:, None]
        # Merged municipalities and the open top age (105 and older) add up.
        pop = np.bincount(index.ravel(), weights=values.ravel(), minlength=int(np.prod(shape))).reshape(shape)
        del index
        _check_complete(pop, alts, regions, years)
        renumbered = {number: current(number) for number in self.numbers if current(number) != number}
        return ProjectionTable(
            title, tuple(regions), {r: self.names[r] for r in regions}, tuple(alts), tuple(years), pop, renumbered
        )

    def _refuse_gaps_and_doubles(self, rows, region_at, alt_at, year_at, categories):
        """Every municipality x sex x age x year x alternative of the file exactly once.

        Over today's numbers: a figure given under an old and a new number of one municipality
        would be counted twice, and a cut file (its last lines lost) leaves cells without a figure."""
        alts, regions, years = categories
        sexes, sex = np.unique(rows["sex"], return_inverse=True)
        ages, age = np.unique(rows["age"], return_inverse=True)
        shape = (len(alts), len(regions), len(sexes), len(ages), len(years))
        row_key = ((region_at * len(sexes) + sex.reshape(-1)) * len(ages) + age.reshape(-1)) * len(years)
        key = (alt_at * int(np.prod(shape[1:])) + year_at)[rows["kind"]] + row_key[:, None]
        counts = np.bincount(key.ravel(), minlength=int(np.prod(shape)))
        del key

        def cell(flat):
            a, r, x, g, y = np.unravel_index(int(flat), shape)
            sex_name = "men" if sexes[x] == 1 else "women"
            return f"municipality {regions[r]}, {sex_name}, age {ages[g]}, {years[y]}, alternative {alts[a]}"

        doubled = np.flatnonzero(counts > 1)
        if doubled.size:
            region = regions[np.unravel_index(int(doubled[0]), shape)[1]]
            written = ", ".join(sorted({n for n in self.numbers if current(n) == region}))
            raise SsbFormatError(
                f"{cell(doubled[0])} is given under more than one number ({written}): a file may hold one "
                "number per municipality, or its figures are counted twice"
            )
        missing = np.flatnonzero(counts == 0)
        if missing.size:
            raise SsbFormatError(
                f"the file is incomplete: {missing.size} cells have no figure, the first {cell(missing[0])} "
                "(every municipality, sex, age, year and alternative of the file must be there exactly once)"
            )

    def _refuse_repeated_cells(self, rows, alt_seen, year_seen):
        """A cell (alternative, municipality as written, sex, age as written, year) may appear once."""
        ages, age = np.unique(rows["age"], return_inverse=True)
        row_key = (rows["region"] * 2 + rows["sex"]) * len(ages) + age.reshape(-1)
        key = (alt_seen * len(self.years) + year_seen)[rows["kind"]]
        key += row_key[:, None] * (len(self.alternatives) * len(self.years))
        key = key.ravel()
        ordered = np.sort(key)
        repeated = (ordered[1:] == ordered[:-1]).any()
        del ordered
        if not repeated:
            return
        first = np.unique(key, return_index=True)[1]
        repeat = np.ones(key.size, dtype=bool)
        repeat[first] = False
        raise SsbFormatError(f"{self._first(np.flatnonzero(repeat))}: the same cell appears twice")


def _positions(seen, ordered):
    """{code: position in order of appearance} -> array: that position -> position in `ordered`."""
    out = np.zeros(len(seen), dtype=np.int64)
    for position, code in enumerate(ordered):
        out[seen[code]] = position
    return out


def _header_line(lines):
    for n, line in enumerate(lines[:10]):
        if any(_role(field) == "region" for field in next(csv.reader([line], _dialect(line)), [])):
            return n
    raise SsbFormatError("no CSV header with a region column in the first ten lines")


def _dialect(line):
    class Dialect(csv.excel):
        delimiter = max((";", ",", "\t"), key=line.count)

    return Dialect


# json-stat2 is parsed whole; the whole country 2024-2050 with three alternatives is 24 MB.
MAX_JSON_BYTES = 100 * 1024 * 1024
BLOCK = 1024 * 1024


def read_path(path):
    """Read a file on disk by content, streamed: CSV line by line, json-stat2 whole up to MAX_JSON_BYTES."""
    encoding = _encoding_of(path)
    with open(path, encoding=encoding, newline="") as f:
        first = f.read(1024).lstrip("\ufeff \t\r\n")
        f.seek(0)
        if first.startswith("{"):
            size = path.stat().st_size
            if size > MAX_JSON_BYTES:
                raise SsbFormatError(
                    f"the json-stat2 file is {size // 2**20} MB; at most {MAX_JSON_BYTES // 2**20} MB can be read "
                    "(download CSV instead, which is read line by line)"
                )
            return read_jsonstat(f.read())
        return read_csv_lines(f)


def _encoding_of(path):
    """utf-8-sig if the whole file is UTF-8, else cp1252 (older StatBank downloads), read in blocks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        try:
            while block := f.read(BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        f.seek(0)
        cp1252 = codecs.getincrementaldecoder("cp1252")()
        try:
            while block := f.read(BLOCK):
                cp1252.decode(block)
        except UnicodeDecodeError:
            raise SsbFormatError("the file is neither UTF-8 nor Windows-1252 text") from None
    return "cp1252"


def read_file(name, content):
    """Read by content: JSON is json-stat2, anything else CSV."""
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")  # StatBank's older CSV downloads
        except UnicodeDecodeError:
            raise SsbFormatError("the file is neither UTF-8 nor Windows-1252 text") from None
    if text.lstrip().startswith("{"):
        return read_jsonstat(text)
    return read_csv(text)
