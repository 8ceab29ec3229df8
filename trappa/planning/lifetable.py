"""Death probabilities by sex and one-year age from a Gompertz–Makeham law (NumPy only).

The force of mortality from age 1 is mu(x) = c + a * exp(b * x): c for deaths
that do not depend on age (accidents), a * exp(b * x) for ageing. The
probability of dying between exact ages x and x + 1 is then

    q(x) = 1 - exp(-(c + a / b * exp(b * x) * (exp(b) - 1)))

and q(0) is the published infant mortality. `fit` finds a and b from published
life expectancies at birth and at an older age (SSB's 2015 life table);
`fit_level` keeps b and moves a to a newer life expectancy at birth (2023).
parameters/mortality.toml holds the published figures and the fitted values;
tests/planning/test_register_population.py checks that they agree.
"""

import numpy as np

OLDEST = 130  # the life table runs to this age; nobody survives it
INFANT_DEATHS_AT = 0.1  # infant deaths fall early in the first year: they live a tenth of it on average


def death_probabilities(a, b, c, q0, ages=OLDEST):
    """q(x) for exact ages 0 .. ages - 1; the last is 1."""
    x = np.arange(ages, dtype=float)
    q = 1.0 - np.exp(-(c + a / b * np.exp(b * x) * np.expm1(b)))
    q[0] = q0
    q[-1] = 1.0
    return np.clip(q, 0.0, 1.0)


def life_expectancy(q, age=0):
    """Remaining life expectancy at exact `age` of the period life table q."""
    survivors = np.concatenate([[1.0], np.cumprod(1.0 - q)])  # l(0) .. l(n)
    deaths = survivors[:-1] - survivors[1:]
    lived = survivors[1:] + 0.5 * deaths
    lived[0] = survivors[1] + INFANT_DEATHS_AT * deaths[0]
    return float(lived[age:].sum() / survivors[age])


def _bisect(function, low, high, steps=200):
    """The root of an increasing function between low and high."""
    for _ in range(steps):
        middle = (low + high) / 2
        if function(middle) < 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def fit_level(e0, b, c, q0):
    """The a that gives life expectancy e0 at birth with slope b (in log space: e0 falls as a rises)."""

    def too_short(log_a):
        return e0 - life_expectancy(death_probabilities(np.exp(log_a), b, c, q0))

    return float(np.exp(_bisect(too_short, np.log(1e-9), np.log(1e-1))))


def fit(e0, e_old, old_age, c, q0):
    """(a, b) that give life expectancy e0 at birth and e_old at old_age.

    For each slope b the level a is set to meet e0; a steeper slope then
    concentrates deaths at old ages, shortening the remaining life at old_age.
    """

    def remaining(b):
        a = fit_level(e0, b, c, q0)
        return e_old - life_expectancy(death_probabilities(a, b, c, q0), old_age)

    b = _bisect(remaining, 0.05, 0.2, steps=60)
    return fit_level(e0, b, c, q0), float(b)
