"""Small inputs for the engine, built by hand so results can be checked by hand."""

import numpy as np

from trappa.planning.engine import Inputs, Uncertain
from trappa.planning.engine.model import AGES

LEVELS = ("home_nursing", "long_term")


def small_municipality(years=(2025, 2026, 2027), alternatives=1):
    """100 women aged 80 and 50 men aged 90, the same every year."""
    pop = np.zeros((alternatives, 1, 2, AGES, len(years)))
    pop[:, 0, 0, 80, :] = 100
    pop[:, 0, 1, 90, :] = 50
    for a in range(1, alternatives):
        pop[a] *= 1 + 0.1 * a
    rates = np.zeros((2, AGES, 2))
    rates[0, 80] = (0.12, 0.04)
    rates[1, 89] = (0.15, 0.10)
    rates[1, 90] = (0.22, 0.17)
    return Inputs(
        levels=LEVELS,
        years=np.array(years),
        population=pop,
        alternative_weights=tuple([1.0 / alternatives] * alternatives),
        rates=rates,
        calibration=np.ones((1, 2)),
        staff_years_per_user=(
            Uncertain("staff.home", 0.35, 0.25, 0.5, 0.9),
            Uncertain("staff.inst", 1.1, 0.9, 1.3, 0.9),
        ),
        cost_per_staff_year=Uncertain("cost", 900000, 800000, 1000000, 0.9),
        other_cost_per_user=(Uncertain("other.home", 15000), Uncertain("other.inst", 150000)),
        groups=(("institution", (1,)),),
    )
