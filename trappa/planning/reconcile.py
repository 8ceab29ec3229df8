"""What would you have to believe: another model's result against Trappa's rules (no Django here).

Given another model's change of users of a row (institution places, home
services) in a year, the same population and rates as a Trappa run give:

- the change as a share of the row's baseline users that year, comparable with
  Trappa's runs (their own difference over their own baseline);
- the relative risk on the row's use that everyone 67 or older would need from
  the start (users are linear in a relative risk, so it is solved exactly);
- the years by which need at 67 or older would have to come later (an age
  shift of the row's levels), solved by bisection on the central run;
- for each intervention with published evidence on the row's levels, the share
  of people 67+ who would have to be reached at its published effect, and at
  the most favourable end of its interval, to give the same change.
"""

import dataclasses

from .engine import Intervention, Scenario, Uncertain, project

MIN_AGE = 67
MAX_SHIFT = 20.0


@dataclasses.dataclass(frozen=True)
class Solution:
    row: str
    target: float  # the other model's change of users
    baseline: float  # Trappa's baseline users of the row in the year
    baseline_reached: float  # of them, aged 67 or older
    relative_risk: float | None  # the ratio everyone 67+ would need (None: more users than there are)
    years_later: float | None  # years need would have to come later (None: beyond MAX_SHIFT)
    reach: tuple  # (intervention key, effect, reach at effect, best end, reach at best end)

    @property
    def share(self):
        return self.target / self.baseline if self.baseline else None


def _row_levels(inputs, row):
    if row in inputs.levels:
        return (inputs.levels.index(row),)
    return dict(inputs.groups)[row]


def _shift_difference(inputs, levels, start_year, years, row_index, year_index):
    shift = Intervention(
        "reconcile.years_later",
        "age_shift",
        levels=levels,
        effect=Uncertain("reconcile.years_later", years),
        uptake=Uncertain("reconcile.uptake", 1.0),
        start_year=start_year,
        min_age=MIN_AGE,
    )
    return float(
        project(inputs, Scenario("shift", (shift,)), draws=0).central["users"]["difference"][0, row_index, year_index]
    )


def solve(inputs, row, target, year, evidence=()):
    """The Solution for one row; evidence = [(key, levels (names), effect, best end)] of ratio interventions."""
    years = [int(y) for y in inputs.years]
    year_index = years.index(year)
    row_index = list(inputs.row_names).index(row)
    levels = _row_levels(inputs, row)
    base = project(inputs, Scenario("baseline"), draws=0).central["users"]["baseline"][0, row_index, year_index]
    pop = inputs.population[0, 0, :, :, year_index]  # (S, G) main alternative
    rates = inputs.rates[:, :, levels] * inputs.calibration[0, list(levels)]
    reached = float((pop[:, MIN_AGE:, None] * rates[:, MIN_AGE:]).sum())
    ratio = 1 + target / reached if reached else None
    relative_risk = ratio if ratio is not None and ratio >= 0 else None
    years_later = None
    if target < 0:
        low, high = 0.0, MAX_SHIFT
        start = years[0] + 1 if years[0] < year else years[0]
        if _shift_difference(inputs, levels, start, high, row_index, year_index) <= target:
            for _ in range(40):
                middle = (low + high) / 2
                if _shift_difference(inputs, levels, start, middle, row_index, year_index) > target:
                    low = middle
                else:
                    high = middle
            years_later = (low + high) / 2
    reach = []
    for key, on_levels, effect, best in evidence:
        if not set(on_levels) & {inputs.levels[i] for i in levels} or relative_risk is None:
            continue
        needed = 1 - relative_risk
        reach.append(
            (
                key,
                effect,
                needed / (1 - effect) if effect < 1 else None,
                best,
                needed / (1 - best) if best < 1 else None,
            )
        )
    return Solution(row, target, float(base), reached, relative_risk, years_later, tuple(reach))
