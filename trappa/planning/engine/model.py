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

import os
import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .draws import Uncertain, draw, draw_alternatives  # noqa: F401

SEXES = 2  # 0 = female, 1 = male
AGES = 106  # one-year ages 0..105, the last meaning 105 or older
INTERVAL = (5.0, 95.0)  # the reported 90 % interval
# Rows x municipalities x years x draws computed together: five such arrays
# (about 20 MB in single precision) stay in the processor's cache.
_BLOCK_CELLS = 1_000_000
# Runs larger than this are held in single precision: 7 significant digits
# is far finer than any planning number, and half the memory traffic makes the
# national run faster. One municipality stays in double precision.
_DOUBLE_CELLS = 4_000_000
_WORKERS = min(8, os.cpu_count() or 1)  # threads over blocks of municipalities


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
        if self.substitute_level is not None and self.substitute_level in self.levels:
            raise ValueError(f"{self.name}: the substitute level cannot be one the intervention acts on")

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
    needs intervals only for scenario minus baseline runs in about 60 % of the time.
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


def attribute(inputs, scenario, seed=1):
    """The central change of users owed to each intervention: {name: (M, L, Y)}.

    An intervention's share of the change of every level it acts on (Shapley
    shares of the combined effect) plus the users it moved to its substitute
    level. The shares add up to the scenario's difference of users, level by level.
    """
    shared = _Shared(inputs, scenario, seed, 0, np.float64, attribute_all=True)
    n_m, n_years, n_levels = inputs.population.shape[1], len(inputs.years), len(inputs.levels)
    block = slice(0, n_m)
    users_b = np.empty((n_levels, n_m, n_years, 1))
    users_s = np.empty_like(users_b)
    for level in range(n_levels):
        _level_users(shared, level, block, users_b[level], users_s[level])
    out = np.zeros((len(scenario.interventions), n_m, n_levels, n_years))
    for (k, level), change in shared.attributed.items():
        out[k, :, level] += change[..., 0]

    def record(k, target, moved):
        out[k, :, target] += moved[..., 0]

    _substitute(shared, block, users_s, np.empty((n_m, n_years, 1)), record)
    return {iv.name: out[k] for k, iv in enumerate(scenario.interventions)}


def _simulate_all(inputs, scenario, seed, n, summarise=False):
    """Run in blocks of municipalities small enough to stay in the processor's cache.

    Each block is computed and summarised on its own, into its slice of the
    results, so blocks run on worker threads (NumPy releases the GIL in its
    array loops, matrix products and sorts) and the numbers do not depend on
    how many threads ran them.
    """
    d = max(n, 1)
    n_m = inputs.population.shape[1]
    rows = len(inputs.row_names)
    n_years = len(inputs.years)
    dtype = np.float64 if n_m * rows * n_years * d <= _DOUBLE_CELLS else np.float32
    shared = _Shared(inputs, scenario, seed, n, dtype)
    shape = (d, n_m, rows, n_years) if summarise is False else (3, n_m, rows, n_years)
    out = {m: {s: np.empty(shape, dtype=dtype) for s in SERIES} for m in MEASURES}
    size = max(1, _BLOCK_CELLS // (rows * n_years * d))
    pending = queue.SimpleQueue()
    for start in range(0, n_m, size):
        pending.put(slice(start, min(start + size, n_m)))
    workers = max(1, min(_WORKERS, pending.qsize()))
    if workers == 1:
        _run_blocks(shared, pending, out, summarise)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in [pool.submit(_run_blocks, shared, pending, out, summarise) for _ in range(workers)]:
                done.result()
    return out


class _Shared:
    """Draws and everything draw-independent, computed once per run for every block.

    Per level: the baseline users of each municipality, year and population
    alternative (`base`, (M, Y, A)) and, where the scenario changes the level,
    the change of users per draw (`change`, (M, Y, D)): the reached users each
    separable term weighs, (M x Y, A x T), times the terms' coefficients per
    draw, zero where the draw took another alternative, (A x T, D).
    """

    def __init__(self, inputs, scenario, seed, n, dtype=np.float64, attribute_all=False):
        self.inputs = inputs
        self.dtype = dtype
        self.alt = draw_alternatives(inputs.alternative_weights, seed, n)
        staff = np.stack([draw(p, seed, n) for p in inputs.staff_years_per_user])  # (L, D)
        other = np.stack([draw(p, seed, n) for p in inputs.other_cost_per_user])  # (L, D)
        cost_per_staff_year = draw(inputs.cost_per_staff_year, seed, n)  # (D,)
        # Per level, laid out (L, 1, 1, D) to broadcast over a block (levels, municipalities, years, draws).
        self.staff = staff[:, None, None, :].astype(dtype)
        self.cost_per_user = (staff * cost_per_staff_year + other)[:, None, None, :].astype(dtype)
        terms, active = _factors(inputs, scenario, seed, n)
        attributed = (
            range(len(scenario.interventions))
            if attribute_all
            else [k for k, iv in enumerate(scenario.interventions) if iv.substitute_level is not None]
        )
        self.substitutions = [
            (k, iv.levels, iv.substitute_level, draw(iv.substitute_share, seed, n).astype(dtype))
            for k, iv in enumerate(scenario.interventions)
            if iv.substitute_level is not None
        ]
        pop = inputs.population  # (A, M, S, G, Y)
        n_alt, n_mun, _, _, n_years = pop.shape
        n_levels = len(inputs.levels)
        # Users per (A, M, Y, L) at the national profile: one matrix product over sex and age.
        by_age = pop.transpose(0, 1, 4, 2, 3).reshape(n_alt, n_mun, n_years, -1)
        national = np.matmul(by_age, inputs.rates.reshape(-1, n_levels))
        base = (national * inputs.calibration[None, :, None, :]).transpose(3, 1, 2, 0)  # (L, M, Y, A)
        self.base = [np.ascontiguousarray(base[level], dtype=dtype) for level in range(n_levels)]
        self.change = {}
        self.attributed = {}  # (intervention index, level) -> (M, Y, D), that intervention's share of `change`
        if terms:
            # (Y, S*K, A*M): the population of the reached ages, for one product per year and level.
            reached = pop[:, :, :, active].transpose(4, 2, 3, 0, 1).reshape(n_years, -1, n_alt * n_mun)
        for level, (coefs, patterns, members) in terms.items():  # (T, D), (T, S, K, Y), T sets of interventions
            n_terms = len(patterns)
            # Per year: (T, S*K) @ (S*K, A*M), the reached users each term weighs.
            rated = patterns * inputs.rates[:, active, level][None, :, :, None]
            p = rated.reshape(n_terms, -1, n_years).transpose(2, 0, 1)
            weighed = np.matmul(p, reached).reshape(n_years, n_terms, n_alt, n_mun).transpose(3, 0, 2, 1)
            weighed = weighed * inputs.calibration[:, level, None, None, None]  # (M, Y, A, T)
            # One product for all municipalities: large enough for the BLAS to use every core, and no
            # BLAS call (whose own threads would contend with the block threads) is left for the blocks.
            weights = np.ascontiguousarray(weighed, dtype=dtype).reshape(n_mun * n_years, n_alt * n_terms)
            self.change[level] = self._product(weights, coefs, n_mun, n_years)
            for k in attributed:
                # Shapley: each term of the product is an interaction of the interventions in it
                # (a Harsanyi dividend), shared equally among them; the shares add up to `change`.
                split = np.array([1.0 / len(m) if k in m else 0.0 for m in members])
                if split.any():
                    self.attributed[k, level] = self._product(weights, coefs * split[:, None], n_mun, n_years)

    def _product(self, weights, coefs, n_mun, n_years):
        """(M, Y, D) change of users: the reached users times the terms' coefficients of each draw's alternative."""
        n_alt = weights.shape[1] // len(coefs)
        by_alt = np.zeros((n_alt, *coefs.shape))
        for a in range(n_alt):
            by_alt[a][:, self.alt == a] = coefs[:, self.alt == a]
        change = np.matmul(weights, by_alt.reshape(n_alt * len(coefs), -1).astype(self.dtype))
        return change.reshape(n_mun, n_years, -1)


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
    for k, (iv, reach) in enumerate(zip(scenario.interventions, reaches, strict=True)):
        for level in iv.levels:
            parts = _components(iv, inputs.rates[:, :, level], reach[active], active, seed, n)
            per_level.setdefault(level, []).append((k, parts))
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
    """Multiply out prod_k (1 + sum_j c_kj p_kj) - 1 into separate terms.

    Each term is the product of one part of every intervention in a set (its
    members, kept for attributing the change to the interventions).
    """
    terms = [(np.ones(max(n, 1)), np.ones((SEXES, n_ages, n_years)), frozenset())]
    for k, parts in parts_list:
        terms = terms + [(c * cj, p * pj, m | {k}) for c, p, m in terms for cj, pj in parts]
        if len(terms) > _MAX_TERMS:
            raise ValueError("too many uncertain interventions on one care level; narrow their intervals")
    terms = terms[1:]
    return np.stack([c for c, _, _ in terms]), np.stack([p for _, p, _ in terms]), [m for _, _, m in terms]


def _run_blocks(shared, pending, out, summarise):
    """Compute the blocks taken from `pending` until none are left, reusing one set of buffers."""
    buffers = None
    while True:
        try:
            block = pending.get_nowait()
        except queue.Empty:
            return
        shape = (len(shared.inputs.row_names), block.stop - block.start, len(shared.inputs.years), len(shared.alt))
        if buffers is None or buffers[0].shape != shape:
            buffers = [np.empty(shape, dtype=shared.dtype) for _ in range(5)]
        _simulate(shared, block, buffers, out, summarise)


def _simulate(shared, block, buffers, out, summarise):
    """Users, staff-years and cost of a block of municipalities, laid out (R, Mb, Y, D).

    Rows first, so a level, group or total is one contiguous array; draws last,
    so sums over levels and the summaries over draws run on contiguous memory.
    Staff-years and cost are summarised before the users they come from,
    since summarising sorts the draws in place.
    """
    inputs = shared.inputs
    n_levels = len(inputs.levels)
    users_b, users_s, base, scen, diff = buffers
    for level in range(n_levels):
        _level_users(shared, level, block, users_b[level], users_s[level])
    _substitute(shared, block, users_s, diff[0])
    for users in (users_b, users_s):
        _fill_groups(users, n_levels, inputs.groups)
    for measure, per_user in (("staff_years", shared.staff), ("cost", shared.cost_per_user)):
        for users, values in ((users_b, base), (users_s, scen)):
            np.multiply(users[:n_levels], per_user, out=values[:n_levels])
            _fill_groups(values, n_levels, inputs.groups)
        _store(out[measure], block, summarise, base, scen, diff)
    _store(out["users"], block, summarise, users_b, users_s, diff)


def _substitute(shared, block, users_s, scratch, record=None):
    """Move each substituting intervention's own avoided users to its target level, once.

    The users a level loses are split among the interventions acting on it
    (`_Shared.attributed`, Shapley shares that add up to the level's change), so
    an intervention moves only the users it kept out itself: two interventions on
    one level never move the same person twice, and a change made by an
    intervention without a substitute (fall prevention) is never moved. An
    intervention that raises its level's use (a ratio above 1) takes the extra
    users from the target level, at most as many as the target still has there;
    the rest are new users. `record(k, target, moved)` is told each move.
    """
    for k, levels, target, share in shared.substitutions:
        moved = scratch
        moved.fill(0.0)
        for level in levels:
            if (k, level) in shared.attributed:
                moved -= shared.attributed[k, level][block]
        moved *= share
        np.maximum(moved, -users_s[target], out=moved)
        users_s[target] += moved
        if record:
            record(k, target, moved)


def _store(out, block, summarise, baseline, scenario, difference):
    """Difference, then each series into its slice of the results, (D or 3, Mb, R, Y)."""
    np.subtract(scenario, baseline, out=difference)
    for series, values in zip(SERIES, (baseline, scenario, difference), strict=True):
        if summarise is False:
            out[series][:, block] = values.transpose(3, 1, 0, 2)
        else:
            out[series][:, block] = _summary(values, with_interval=series in summarise).transpose(0, 2, 1, 3)


def _fill_groups(values, n_levels, groups):
    """Group sums and the total into the rows after the levels (axis 0)."""
    for row, (_, levels) in enumerate(groups, start=n_levels):
        np.copyto(values[row], values[levels[0]])
        for level in levels[1:]:
            values[row] += values[level]
    np.sum(values[:n_levels], axis=0, out=values[-1])


def _level_users(shared, level, block, baseline, scenario):
    """(Mb, Y, D) baseline and scenario users of one level, written into the given arrays.

    The scenario is the baseline plus the change, so a change of exactly zero
    leaves the baseline exactly as it was, bit for bit.
    """
    np.take(shared.base[level][block], shared.alt, axis=-1, out=baseline, mode="clip")
    if level not in shared.change:
        np.copyto(scenario, baseline)
        return
    np.add(shared.change[level][block], baseline, out=scenario)


def _summary(values, with_interval=True):
    """(3, ...): mean and the 90 % interval over the draws on the last axis.

    numpy's linear percentiles, from order statistics found by sorting in place
    (the draws are left reordered).
    """
    mean = values.mean(axis=-1)
    if not with_interval:
        return np.stack([mean, np.full_like(mean, np.nan), np.full_like(mean, np.nan)])
    ends = []
    for q, ranked in zip(INTERVAL, _extremes(values), strict=True):
        position = q / 100 * (values.shape[-1] - 1)
        below = int(np.floor(position))
        lower = ranked(below)
        ends.append(lower + (position - below) * (ranked(min(below + 1, values.shape[-1] - 1)) - lower))
    return np.stack([mean, *ends])


# Rows this long or shorter are sorted within the processor's vector registers
# (NumPy's x86-simd-sort with AVX-512), several times faster per value than
# longer ones: 512 values in single precision, 256 in double.
_SORT_WIDTH = {4: 512, 8: 256}


def _extremes(values):
    """For the low and the high end of INTERVAL, a function from rank (0-based) to that order statistic.

    The draws are sorted in blocks short enough to sort fast; the smallest
    values overall are among the smallest of each block and the largest among
    the largest, so those candidates, sorted again, hold the order statistics
    exactly. Draws that do not split evenly are sorted whole.
    """
    n = values.shape[-1]
    width = _SORT_WIDTH.get(values.dtype.itemsize, n)
    blocks = -(-n // width)
    low_need = min(int(np.floor(INTERVAL[0] / 100 * (n - 1))) + 2, n)  # ranks 0 .. the low end's upper neighbour
    high_need = n - int(np.floor(INTERVAL[1] / 100 * (n - 1)))  # the high end's lower neighbour .. n - 1
    if blocks == 1 or n % blocks or blocks * max(low_need, high_need) > width:
        values.sort(axis=-1)
        return (lambda rank: values[..., rank]), (lambda rank: values[..., rank])
    block_width = n // blocks
    split = values.reshape(*values.shape[:-1], blocks, block_width)
    split.sort(axis=-1)
    low = split[..., : min(low_need, block_width)].reshape(*values.shape[:-1], -1).copy()
    high = split[..., block_width - min(high_need, block_width) :].reshape(*values.shape[:-1], -1).copy()
    low.sort(axis=-1)
    high.sort(axis=-1)
    offset = n - high.shape[-1]
    return (lambda rank: low[..., rank]), (lambda rank: high[..., rank - offset])
