"""Uncertain parameters and their draws, with common random numbers.

Each parameter's draws come from its own random stream keyed by (seed, name),
so a baseline and a scenario run with the same seed see the same draws for
every parameter they share, and adding a parameter never shifts the draws of
another. That makes "scenario minus baseline" the effect of the scenario, not
noise (common random numbers, as in vivarium).
"""

import hashlib
import math
from dataclasses import dataclass

import numpy as np

# Two-sided standard normal quantiles for the confidence levels data files may use.
_Z = {0.8: 1.2815515655446004, 0.9: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004}
DISTRIBUTIONS = ("normal", "lognormal")


@dataclass(frozen=True)
class Uncertain:
    """A value with a confidence interval; `low`/`high` None means known exactly.

    `lognormal` suits ratios (relative risks, rate ratios): the interval is
    symmetric on the log scale. `normal` suits shares, years and costs; draws
    are clipped to [minimum, maximum].
    """

    name: str
    value: float
    low: float | None = None
    high: float | None = None
    level: float = 0.95
    distribution: str = "normal"
    minimum: float = -math.inf
    maximum: float = math.inf

    def __post_init__(self):
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(f"{self.name}: unknown distribution {self.distribution!r}")
        if (self.low is None) != (self.high is None):
            raise ValueError(f"{self.name}: give both ends of the interval or neither")
        if self.low is not None:
            if not self.low <= self.value <= self.high:
                raise ValueError(f"{self.name}: the value must lie inside its interval")
            if self.level not in _Z:
                raise ValueError(f"{self.name}: confidence level must be one of {sorted(_Z)}")
            if self.distribution == "lognormal" and self.low <= 0:
                raise ValueError(f"{self.name}: a lognormal interval must be positive")

    @property
    def is_exact(self):
        return self.low is None or self.low == self.high

    def with_value(self, value, low=None, high=None):
        """The same parameter with a new value; the interval scales along unless given."""
        if low is None and not self.is_exact:
            low, high = _shift_interval(self, value)
        return Uncertain(self.name, value, low, high, self.level, self.distribution, self.minimum, self.maximum)


def _shift_interval(param, value):
    if param.distribution == "lognormal":
        if value <= 0:
            return value, value
        factor = value / param.value
        return param.low * factor, param.high * factor
    shift = value - param.value
    return param.low + shift, param.high + shift


def _key(name):
    digest = hashlib.sha256(name.encode()).digest()
    return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]


def keyed_normal(seed, name, n):
    """n standard normal numbers from the stream keyed by (seed, name)."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), *_key(name)])))
    return rng.standard_normal(n)


def keyed_uniform(seed, name, n):
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), *_key(name)])))
    return rng.random(n)


def draw(param, seed, n):
    """n draws of a parameter; n == 0 gives the central value alone."""
    if n == 0 or param.is_exact:
        return np.full(max(n, 1), float(param.value))
    z = keyed_normal(seed, param.name, n)
    q = _Z[param.level]
    if param.distribution == "lognormal":
        sd = (math.log(param.high) - math.log(param.low)) / (2 * q)
        values = np.exp(math.log(param.value) + sd * z)
    else:
        values = param.value + (param.high - param.low) / (2 * q) * z
    return np.clip(values, param.minimum, param.maximum)


def draw_alternatives(weights, seed, n):
    """Index of the population alternative for each draw (0 = main if n == 0)."""
    if n == 0:
        return np.zeros(1, dtype=np.intp)
    cumulative = np.cumsum(np.asarray(weights, dtype=float))
    cumulative /= cumulative[-1]
    u = keyed_uniform(seed, "population.alternative", n)
    return np.searchsorted(cumulative, u, side="right").clip(0, len(cumulative) - 1)
