"""The cell model: municipality x sex x one-year age x year x care level.

users       = population x usage rate (national age-sex profile x municipal calibration)
staff-years = users x staff-years per user
cost        = staff-years x cost per staff-year + users x other cost per user

Care levels are exclusive steps of the staircase: a person counts at the
highest level they receive, so users of different levels add up. A scenario
multiplies the usage rates of the cells it reaches (by age, cohort and year)
with a factor per draw; avoided users of one level may move to another
(e.g. from long-term institution to home nursing).
"""

from dataclasses import dataclass, field

import numpy as np

from .draws import Uncertain, draw, draw_alternatives  # noqa: F401

SEXES = 2  # 0 = female, 1 = male
AGES = 106  # one-year ages 0..105, the last meaning 105 or older
INTERVAL = (5.0, 95.0)  # the reported 90 % interval
_CHUNK_CELLS = 32_000_000  # draws x municipalities x rows x years held at once (about 1.5 GB at most)
# Chunks larger than this are held in single precision: 7 significant digits
# is far finer than any planning number, and half the memory traffic makes the
# national run faster. One municipality stays in double precision.
_DOUBLE_CELLS = 4_000_000


@dataclass(frozen=True)
class Inputs:
    levels: tuple  # names of the L care levels (independent is the remainder, not a level here)
    years: np.ndarray  # (Y,) calendar years, population on 1 January
    population: np.ndarray  # (A, M, S, G, Y) per projection alternative, municipality, sex, age, year
    alternative_weights: tuple  # (A,) probability of each alternative in the draws; index 0 is the main one
    rates: np.ndarray  # (S, G, L) national usage rate profile
    calibration: np.ndarray  # (M, L) municipal factor on the profile, 1 = national
    staff_years_per_user: tuple  # (L,) Uncertain
    cost_per_staff_year: Uncertain
    other_cost_per_user: tuple  # (L,) Uncertain, NOK per user-year besides staff
    groups: tuple = ()  # (name, level indices) reported besides the levels, e.g. home services

    def __post_init__(self):
        a, m, s, g, y = self.population.shape
        n_levels = len(self.levels)
        if s != SEXES or g != AGES or y != len(self.years):
            raise ValueError("population must be (alternatives, municipalities, 2 sexes, 106 ages, years)")
        if len(self.alternative_weights) != a:
            raise ValueError("one weight per population alternative")
        if self.rates.shape != (SEXES, AGES, n_levels):
            raise ValueError("rates must be (2 sexes, 106 ages, levels)")
        if self.calibration.shape != (m, n_levels):
            raise ValueError("calibration must be (municipalities, levels)")
        if len(self.staff_years_per_user) != n_levels or len(self.other_cost_per_user) != n_levels:
            raise ValueError("staff-years and other costs are needed for every level")
        if np.any(self.population < 0) or np.any(self.rates < 0) or np.any(self.calibration < 0):
            raise ValueError("population, rates and calibration cannot be negative")

    @property
    def row_names(self):
        """Rows of every result: the levels, the groups, then all levels together."""
        return (*self.levels, *(name for name, _ in self.groups), "total")


@dataclass(frozen=True)
class Intervention:
    """A change on top of the baseline.

    `relative_risk`: usage rates of the reached cells times `effect` (a ratio).
    `age_shift`: usage rates of the reached cells taken `effect` years younger
    (need comes that many years later; healthy ageing, delayed need).
    Only the `uptake` share of the reached cells is affected. Cells are reached
    by age band, optionally only the cohorts who reach `cohort_age` in or after
    `start_year`, phased in linearly until `full_year`.
    """

    name: str
    kind: str
    levels: tuple
    effect: Uncertain
    uptake: Uncertain
    start_year: int
    min_age: int = 0
    max_age: int = AGES - 1
    cohort_age: int | None = None
    full_year: int | None = None
    substitute_level: int | None = None
    substitute_share: Uncertain | None = None

    def __post_init__(self):
        if self.kind not in ("relative_risk", "age_shift"):
            raise ValueError(f"{self.name}: unknown intervention kind {self.kind!r}")
        if not 0 <= self.min_age <= self.max_age < AGES:
            raise ValueError(f"{self.name}: ages must satisfy 0 <= min_age <= max_age <= {AGES - 1}")
        if self.full_year is not None and self.full_year < self.start_year:
            raise ValueError(f"{self.name}: full_year cannot come before start_year")

    def reach(self, years):
        """(G, Y) share of each age-year cell the intervention reaches, before uptake."""
        ages = np.arange(AGES)[:, None]
        y = np.asarray(years)[None, :]
        inside = (ages >= self.min_age) & (ages <= self.max_age)
        if self.cohort_age is not None:
            inside = inside & (ages >= self.cohort_age) & (ages - self.cohort_age <= y - self.start_year)
        end = self.full_year if self.full_year is not None else self.start_year
        phase = np.clip((y - self.start_year + 1) / (end - self.start_year + 1), 0.0, 1.0)
        return inside * phase


@dataclass(frozen=True)
class Scenario:
    name: str
    interventions: tuple = ()


@dataclass
class Projection:
    """Results per (municipality, row, year); rows are `Inputs.row_names`.

    `central` holds the run with every parameter at its value and the main
    population alternative; `mean`, `low`, `high` summarise the draws (90 %
    interval) for the baseline, the scenario and their difference.
    """

    years: np.ndarray
    rows: tuple
    draws: int
    seed: int
    central: dict = field(default_factory=dict)  # measure -> {"baseline"|"scenario"|"difference": (M, R, Y)}
    mean: dict = field(default_factory=dict)
    low: dict = field(default_factory=dict)
    high: dict = field(default_factory=dict)


MEASURES = ("users", "staff_years", "cost")
SERIES = ("baseline", "scenario", "difference")


def project(inputs, scenario, seed=1, draws=1000, intervals=SERIES):
    """Project baseline and scenario; `draws` = 0 gives the central run alone.

    `intervals` names the series that get 90 % intervals; the others get the
    mean of the draws alone (low and high are NaN). A national overview that
    needs intervals only for scenario minus baseline runs about twice as fast.
    """
    if draws < 0:
        raise ValueError("draws cannot be negative")
    if not set(intervals) <= set(SERIES):
        raise ValueError(f"intervals must be among {SERIES}")
    result = Projection(years=np.asarray(inputs.years), rows=inputs.row_names, draws=draws, seed=seed)
    central = _simulate_all(inputs, scenario, seed, 0)
    result.central = {m: {s: central[m][s][0] for s in SERIES} for m in MEASURES}
    if draws:
        sims = _simulate_all(inputs, scenario, seed, draws, summarise=tuple(intervals))
        for m in MEASURES:
            result.mean[m] = {s: sims[m][s][0] for s in SERIES}
            result.low[m] = {s: sims[m][s][1] for s in SERIES}
            result.high[m] = {s: sims[m][s][2] for s in SERIES}
    return result


def simulate_draws(inputs, scenario, seed=1, draws=1000):
    """Every draw, unsummarised: {measure: {series: (D, M, R, Y)}}. For checks and small runs."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    return _simulate_all(inputs, scenario, seed, draws)


def _simulate_all(inputs, scenario, seed, n, summarise=False):
    """Run in chunks of municipalities so memory stays bounded for all 357."""
    d = max(n, 1)
    n_m = inputs.population.shape[1]
    rows = len(inputs.row_names)
    chunk = max(1, _CHUNK_CELLS // (d * rows * len(inputs.years)))
    shared = _Shared(inputs, scenario, seed, n)
    chunks = [slice(i, min(i + chunk, n_m)) for i in range(0, n_m, chunk)]
    parts = [_simulate(shared, c, summarise) for c in chunks]
    return {m: {s: np.concatenate([p[m][s] for p in parts], axis=-3) for s in SERIES} for m in MEASURES}


class _Shared:
    """Draws and age-year factors shared by every municipality chunk."""

    def __init__(self, inputs, scenario, seed, n):
        self.inputs = inputs
        self.alt = draw_alternatives(inputs.alternative_weights, seed, n)
        self.staff = np.stack([draw(p, seed, n) for p in inputs.staff_years_per_user], axis=1)  # (D, L)
        self.other = np.stack([draw(p, seed, n) for p in inputs.other_cost_per_user], axis=1)  # (D, L)
        self.cost_per_staff_year = draw(inputs.cost_per_staff_year, seed, n)  # (D,)
        self.terms, self.active = _factors(inputs, scenario, seed, n)
        self.substitutions = [
            (iv.levels, iv.substitute_level, draw(iv.substitute_share, seed, n))
            for iv in scenario.interventions
            if iv.substitute_level is not None
        ]


_MAX_TERMS = 4096


def _factors(inputs, scenario, seed, n):
    """Per level, the scenario's change of usage as a sum of separable terms.

    Each intervention changes the rate of a reached cell by sum_j c_j[d] x p_j[s, k, y]:
    one term for a relative risk (c = uptake x (ratio - 1)); for an age shift, one
    term per whole number of years the draws span, since taking the profile h =
    n + f years younger is (1 - f) x the profile n years younger + f x the
    profile n + 1 years younger. Interventions on the same level multiply, so
    their terms multiply out. The result per level is (C (T, D), P (T, S, K, Y)):
    the draws meet the cells only in one matrix product per term set.
    """
    years = np.asarray(inputs.years)
    reaches = [iv.reach(years) for iv in scenario.interventions]
    active = np.flatnonzero(np.any([r.any(axis=1) for r in reaches], axis=0)) if reaches else np.array([], int)
    per_level = {}
    for iv, reach in zip(scenario.interventions, reaches, strict=True):
        for level in iv.levels:
            parts = _components(iv, inputs.rates[:, :, level], reach[active], active, seed, n)
            per_level.setdefault(level, []).append(parts)
    return {level: _expand(parts_list, n, len(active), len(years)) for level, parts_list in per_level.items()}, active


def _components(iv, profile, reach, active, seed, n):
    uptake = draw(iv.uptake, seed, n)
    effect = draw(iv.effect, seed, n)
    if iv.kind == "relative_risk":
        return [(uptake * (effect - 1.0), np.broadcast_to(reach, (SEXES, *reach.shape)))]
    parts = []
    for shift in range(int(np.floor(effect.min())), int(np.ceil(effect.max())) + 1):
        weight = np.clip(1.0 - np.abs(effect - shift), 0.0, 1.0)
        if weight.any():
            ratio = _shift_ratio(profile, active, shift)  # (S, K)
            parts.append((uptake * weight, (ratio - 1.0)[:, :, None] * reach[None, :, :]))
    return parts


def _shift_ratio(profile, active, shift):
    """Usage at age g - shift over usage at age g (1 where there is no usage)."""
    shifted = profile[:, np.clip(active - shift, 0, AGES - 1)]
    current = profile[:, active]
    return np.divide(shifted, current, out=np.ones_like(shifted), where=current > 0)


def _expand(parts_list, n, n_ages, n_years):
    """Multiply out prod_k (1 + sum_j c_kj p_kj) - 1 into separate terms."""
    terms = [(np.ones(max(n, 1)), np.ones((SEXES, n_ages, n_years)))]
    for parts in parts_list:
        terms = terms + [(c * cj, p * pj) for c, p in terms for cj, pj in parts]
        if len(terms) > _MAX_TERMS:
            raise ValueError("too many uncertain interventions on one care level; narrow their intervals")
    terms = terms[1:]
    return np.stack([c for c, _ in terms]), np.stack([p for _, p in terms])


def _simulate(shared, municipalities, summarise):
    """Users, staff-years and cost of a chunk of municipalities, laid out (Mc, R, Y, D).

    Draws come last so that sums over levels and the percentiles over draws run
    on contiguous memory, and nothing is copied just to be summarised.
    """
    inputs = shared.inputs
    pop = inputs.population[:, municipalities]  # (A, Mc, S, G, Y)
    calib = inputs.calibration[municipalities]  # (Mc, L)
    n_levels = len(inputs.levels)
    shape = (pop.shape[1], len(inputs.row_names), pop.shape[-1], len(shared.alt))
    dtype = np.float64 if np.prod(shape) <= _DOUBLE_CELLS else np.float32
    users = {name: np.empty(shape, dtype=dtype) for name in ("baseline", "scenario")}
    for level in range(n_levels):
        cells = pop * (inputs.rates[:, :, level][None, None, :, :, None] * calib[None, :, level, None, None, None])
        b, s = _level_users(shared, cells, shared.terms.get(level))  # (D, Mc, Y)
        users["baseline"][:, level] = b.transpose(1, 2, 0)
        users["scenario"][:, level] = s.transpose(1, 2, 0)
    scen = users["scenario"]
    for levels, target, share in shared.substitutions:
        avoided = (users["baseline"][:, list(levels)] - scen[:, list(levels)]).sum(axis=1)  # (Mc, Y, D)
        scen[:, target] += share * avoided
    staff_per_user = shared.staff.T[None, :, None, :]  # (1, L, 1, D)
    other = shared.other.T[None, :, None, :]
    out = {m: {} for m in MEASURES}
    for name, u in users.items():
        staff = np.empty(shape, dtype=dtype)
        cost = np.empty(shape, dtype=dtype)
        np.multiply(u[:, :n_levels], staff_per_user, out=staff[:, :n_levels])
        np.multiply(staff[:, :n_levels], shared.cost_per_staff_year, out=cost[:, :n_levels])
        cost[:, :n_levels] += u[:, :n_levels] * other
        for measure, values in (("users", u), ("staff_years", staff), ("cost", cost)):
            _fill_groups(values, n_levels, inputs.groups)
            out[measure][name] = values
    for measure in MEASURES:
        out[measure]["difference"] = out[measure]["scenario"] - out[measure]["baseline"]
    for measure in MEASURES:
        for series in SERIES:
            values = out[measure][series]
            if summarise is False:
                out[measure][series] = np.moveaxis(values, -1, 0)
            else:
                out[measure][series] = _summary(values, with_interval=series in summarise)
    return out


def _fill_groups(values, n_levels, groups):
    """Group sums and the total into the rows after the levels (axis 1)."""
    for row, (_, levels) in enumerate(groups, start=n_levels):
        values[:, row] = values[:, list(levels)].sum(axis=1)
    values[:, -1] = values[:, :n_levels].sum(axis=1)


def _level_users(shared, cells, terms):
    """(D, Mc, Y) baseline and scenario users of one level.

    The scenario is the baseline plus the change, so a change of exactly zero
    leaves the baseline exactly as it was, bit for bit.
    """
    base = cells.sum(axis=(2, 3))[shared.alt]  # (D, Mc, Y)
    if terms is None:
        return base, base.copy()
    coefs, patterns = terms  # (T, D), (T, S, K, Y)
    n_alt, n_mun, _, _, n_years = cells.shape
    reached = cells[:, :, :, shared.active]  # (A, Mc, S, K, Y)
    # Per year: (T, S*K) @ (S*K, A*Mc), the reached users each term weighs.
    p = patterns.reshape(len(patterns), -1, n_years).transpose(2, 0, 1)
    u = reached.transpose(4, 2, 3, 0, 1).reshape(n_years, -1, n_alt * n_mun)
    weighed = np.matmul(p, u).reshape(n_years, len(patterns), n_alt, n_mun).transpose(2, 1, 3, 0)  # (A, T, Mc, Y)
    scen = base.copy()
    for a in np.unique(shared.alt):
        rows = np.flatnonzero(shared.alt == a)
        change = coefs[:, rows].T @ weighed[a].reshape(len(patterns), -1)
        scen[rows] += change.reshape(len(rows), n_mun, n_years)
    return base, scen


def _summary(values, with_interval=True):
    """(3, Mc, R, Y): mean and the 90 % interval over the draws on the last axis.

    numpy's linear percentiles, found by partitioning in place once per end
    (NumPy's single-index partition is many times faster than one with several
    indices): the draws at or above the upper neighbour of the low end are
    partitioned again for the high end. The lower neighbour of each end is the
    largest value before it. Same numbers as np.percentile; the draws are left
    reordered.
    """
    n = values.shape[-1]
    mean = values.mean(axis=-1)
    if not with_interval:
        return np.stack([mean, np.full_like(mean, np.nan), np.full_like(mean, np.nan)])
    ends = []
    start = 0
    for q in INTERVAL:
        position = q / 100 * (n - 1)
        below = int(np.floor(position))
        upper = min(below + 1, n - 1)
        values[..., start:].partition(upper - start, axis=-1)
        lower = values[..., :upper].max(axis=-1) if below < upper else values[..., upper]
        ends.append(lower + (position - below) * (values[..., upper] - lower))
        start = upper
    return np.stack([mean, *ends])
