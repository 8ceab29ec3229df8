"""One parameter at a time: how far the last year's difference moves at each end of a parameter's range.

The tornado of a run (no Django here): every parameter with an interval is set to
the low and then to the high end of its interval, all others at their values,
and the central run is repeated; the population projection is set to each of
its other alternatives. The spread of the scenario-minus-baseline difference in
the last year (users, staff-years, cost, all care levels together) ranks the
parameters: the widest moves the result most.
"""

import dataclasses

from .engine import Scenario, Uncertain, project

MEASURES = ("users", "staff_years", "cost")


@dataclasses.dataclass(frozen=True)
class Swing:
    name: str  # the parameter's name in the parameter files, or "population_alternative.CODE"
    kind: str  # "staff_years_per_user", "other_cost_per_user", "cost_per_staff_year", "effect", ...
    subject: str  # the level or intervention key, "" for the economy and the population
    low_value: float | str
    high_value: float | str
    level: float | None  # confidence level of the interval (None for the population alternatives)
    low: dict  # measure -> difference in the last year at the low end
    high: dict

    def width(self, measure):
        return abs(self.high[measure] - self.low[measure])


def _difference(inputs, scenario, row, year_index):
    central = project(inputs, scenario, draws=0).central
    return {m: float(central[m]["difference"][0, row, year_index]) for m in MEASURES}


def _exact(param, value):
    return Uncertain(param.name, value, distribution=param.distribution, minimum=param.minimum, maximum=param.maximum)


def tornado(inputs, scenario, alternatives=(), year_index=-1):
    """(central {measure: value}, [Swing], sorted by the width of users, then staff-years, then cost)."""
    row = len(inputs.row_names) - 1  # all care levels together
    central = _difference(inputs, scenario, row, year_index)
    swings = []

    def vary(name, kind, subject, param, replace):
        if param is None or param.is_exact:
            return
        ends = [_difference(*replace(_exact(param, v)), row, year_index) for v in (param.low, param.high)]
        swings.append(Swing(name, kind, subject, param.low, param.high, param.level, *ends))

    for i, level in enumerate(inputs.levels):
        for kind in ("staff_years_per_user", "other_cost_per_user"):
            params = getattr(inputs, kind)

            def replace(p, kind=kind, i=i, params=params):
                values = tuple(p if j == i else v for j, v in enumerate(params))
                return dataclasses.replace(inputs, **{kind: values}), scenario

            vary(params[i].name, kind, level, params[i], replace)
    vary(
        inputs.cost_per_staff_year.name,
        "cost_per_staff_year",
        "",
        inputs.cost_per_staff_year,
        lambda p: (dataclasses.replace(inputs, cost_per_staff_year=p), scenario),
    )
    for k, iv in enumerate(scenario.interventions):
        for kind in ("effect", "uptake", "substitute_share"):

            def replace(p, k=k, iv=iv, kind=kind):
                changed = dataclasses.replace(iv, **{kind: p})
                ivs = tuple(changed if j == k else other for j, other in enumerate(scenario.interventions))
                return inputs, Scenario(scenario.name, ivs)

            vary(getattr(iv, kind).name if getattr(iv, kind) else "", kind, iv.name, getattr(iv, kind), replace)
    codes = list(alternatives)
    if len(codes) > 1:
        ends = []
        for a in range(1, len(codes)):
            # The central run takes the first alternative: put this one first.
            population = inputs.population[[a, *[j for j in range(len(codes)) if j != a]]]
            changed = dataclasses.replace(inputs, population=population)
            ends.append((codes[a], _difference(changed, scenario, row, year_index)))
        ends.sort(key=lambda end: tuple(end[1][m] for m in MEASURES))
        (low_code, low), (high_code, high) = ends[0], ends[-1]
        swings.append(Swing("population_alternative", "population", "", low_code, high_code, None, low, high))
    swings.sort(key=lambda s: tuple(-s.width(m) for m in MEASURES))
    return central, swings
