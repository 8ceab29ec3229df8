"""Read the dated, sourced parameter files in parameters/ (no Django here).

`load(on)` picks, for every parameter, the latest value dated on or before
`on`, and remembers which one it took (`ParameterSet.versions`) and the
files' checksums, so a stored run can say exactly what it used.
"""

import copy
import datetime
import functools
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .engine import Uncertain
from .engine.model import AGES

DIRECTORY = Path(__file__).resolve().parent / "parameters"
FILES = ("levels.toml", "economy.toml", "interventions.toml", "municipality_codes.toml")


class ParameterError(ValueError):
    pass


@dataclass(frozen=True)
class Value:
    """One dated value of a parameter, with its source."""

    name: str
    label: str
    value: float
    low: float | None
    high: float | None
    level: float
    distribution: str
    minimum: float
    maximum: float
    valid_from: datetime.date
    source: str
    confidence: str
    optimistic: bool = False

    def uncertain(self, value=None, low=None, high=None):
        param = Uncertain(
            self.name, self.value, self.low, self.high, self.level, self.distribution, self.minimum, self.maximum
        )
        return param if value is None else param.with_value(value, low, high)


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    services: tuple
    female: tuple
    male: tuple
    staff_years_per_user: Value
    other_cost_per_user: Value


@dataclass(frozen=True)
class InterventionSpec:
    key: str
    label: str
    kind: str
    levels: tuple
    min_age: int
    max_age: int
    cohort_age: int | None
    phase_in_years: int
    substitute_level: str | None
    effect_label: str
    effect: Value
    optimistic_effect: Value | None
    uptake: Value
    substitute_share: Value | None
    components: tuple = ()  # the values an effect is derived from, for the record


@dataclass
class ParameterSet:
    on: datetime.date
    age_band_starts: tuple
    levels: tuple
    groups: tuple  # (key, label, level keys)
    rates_source: str
    rates_from: datetime.date
    rates_confidence: str
    cost_per_staff_year: Value
    alternative_weights: dict
    alternatives_source: str
    interventions: dict
    checksums: dict
    versions: dict = field(default_factory=dict)

    @property
    def level_keys(self):
        return tuple(level.key for level in self.levels)

    def values(self):
        """Every Value, for exports and the record of a run."""
        found = [self.cost_per_staff_year]
        for level in self.levels:
            found += [level.staff_years_per_user, level.other_cost_per_user]
        for spec in self.interventions.values():
            found += [v for v in (spec.effect, spec.optimistic_effect, spec.uptake, spec.substitute_share) if v]
            found += list(spec.components)
        return found

    def rates(self):
        """(2 sexes, 106 ages, L levels) national usage rates from the age bands."""
        starts = np.asarray(self.age_band_starts)
        band = np.searchsorted(starts, np.arange(AGES), side="right") - 1
        out = np.zeros((2, AGES, len(self.levels)))
        for i, level in enumerate(self.levels):
            out[0, :, i] = np.asarray(level.female)[band]
            out[1, :, i] = np.asarray(level.male)[band]
        return out


def load(on=None, directory=DIRECTORY):
    on = on or datetime.date.today()
    raw = {name: _read(directory / name) for name in FILES}
    checksums = {name: data["sha256"] for name, data in raw.items()}
    levels_file, economy, interventions = raw["levels.toml"], raw["economy.toml"], raw["interventions.toml"]
    profile = _pick("usage_rates", levels_file["usage_rates"], on)
    starts = tuple(profile.get("starts", ()))
    if not starts or starts[0] != 0 or list(starts) != sorted(set(starts)):
        raise ParameterError("usage_rates: starts must be increasing age band bounds from 0")
    levels = tuple(_level(entry, on, profile) for entry in levels_file["levels"])
    keys = [level.key for level in levels]
    groups = tuple(_group(g, keys) for g in levels_file.get("groups", []))
    weights_entry = _pick("population_alternatives", economy["population_alternatives"]["values"], on)
    weights = {k: float(v) for k, v in weights_entry.items() if k not in ("from", "source")}
    ps = ParameterSet(
        on=on,
        age_band_starts=starts,
        levels=levels,
        groups=groups,
        rates_source=profile["source"],
        rates_from=profile["from"],
        rates_confidence=profile.get("confidence", ""),
        cost_per_staff_year=_value("cost_per_staff_year", economy["cost_per_staff_year"], on),
        alternative_weights=weights,
        alternatives_source=weights_entry["source"],
        interventions={e["key"]: _intervention(e, on, keys) for e in interventions["interventions"]},
        checksums=checksums,
    )
    ps.versions = {v.name: v.valid_from.isoformat() for v in ps.values()}
    ps.versions["population_alternatives"] = weights_entry["from"].isoformat()
    ps.versions["usage_rates"] = profile["from"].isoformat()
    return ps


def _read(path):
    # Read on every load, so a changed file counts at once; parsed once per content (a copy each time).
    return copy.deepcopy(_parse(path.name, path.read_bytes()))


@functools.lru_cache(maxsize=32)
def _parse(name, content):
    """The file's values and its SHA-256. Parsing the four files took a third of the KOSTRA page."""
    try:
        data = tomllib.loads(content.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{name}: {exc}") from None
    data["sha256"] = hashlib.sha256(content).hexdigest()
    return data


def _pick(name, entries, on):
    dated = sorted((e for e in entries if e["from"] <= on), key=lambda e: e["from"])
    if not dated:
        raise ParameterError(f"{name}: no value dated on or before {on.isoformat()}")
    if not dated[-1].get("source"):
        raise ParameterError(f"{name}: every value needs a source")
    return dated[-1]


def _value(name, spec, on, optimistic=False):
    entries = spec["values"] if isinstance(spec, dict) else spec
    e = _pick(name, entries, on)
    try:
        return Value(
            name=name,
            label=spec.get("label", name) if isinstance(spec, dict) else name,
            value=float(e["value"]),
            low=float(e["low"]) if "low" in e else None,
            high=float(e["high"]) if "high" in e else None,
            level=float(e.get("level", 0.95)),
            distribution=e.get("distribution", "normal"),
            minimum=float(e.get("minimum", -np.inf)),
            maximum=float(e.get("maximum", np.inf)),
            valid_from=e["from"],
            source=e["source"],
            confidence=e.get("confidence", ""),
            optimistic=optimistic,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ParameterError(f"{name}: {exc}") from None


def _level(entry, on, profile):
    """A level with the rates of the usage-rate profile valid on `on` (its own age bands)."""
    key = entry["key"]
    n_bands = len(profile["starts"])
    rates = {}
    for sex in ("female", "male"):
        found = profile.get(sex, {}).get(key)
        if found is None or len(found) != n_bands or any(not 0 <= r <= 1 for r in found):
            raise ParameterError(
                f"usage_rates {profile['from']}: {sex} rates of {key} need {n_bands} values between 0 and 1"
            )
        rates[sex] = tuple(float(r) for r in found)
    return Level(
        key=key,
        label=entry["label"],
        services=tuple(entry["services"]),
        female=rates["female"],
        male=rates["male"],
        staff_years_per_user=_value(f"level.{key}.staff_years_per_user", entry["staff_years_per_user"], on),
        other_cost_per_user=_value(f"level.{key}.other_cost_per_user", entry["other_cost_per_user"], on),
    )


def _group(entry, keys):
    unknown = set(entry["levels"]) - set(keys)
    if unknown:
        raise ParameterError(f"group {entry['key']}: unknown levels {sorted(unknown)}")
    return entry["key"], entry["label"], tuple(entry["levels"])


def _intervention(e, on, keys):
    key = e["key"]
    prefix = f"intervention.{key}"
    unknown = set(e["levels"]) - set(keys) | ({e["substitute_level"]} - set(keys) if "substitute_level" in e else set())
    if unknown:
        raise ParameterError(f"{prefix}: unknown levels {sorted(unknown)}")
    components = ()
    if "falls_rate_ratio" in e:
        ratio = _value(f"{prefix}.falls_rate_ratio", e["falls_rate_ratio"], on)
        share = _value(f"{prefix}.share_of_need_from_falls", e["share_of_need_from_falls"], on)
        components = (ratio, share)
        effect = _falls_effect(prefix, ratio, share)
    else:
        effect = _value(f"{prefix}.effect", e["effect"], on)
    optimistic = e.get("optimistic_effect")
    return InterventionSpec(
        key=key,
        label=e["label"],
        kind=e["kind"],
        levels=tuple(e["levels"]),
        min_age=int(e.get("min_age", 0)),
        max_age=int(e.get("max_age", AGES - 1)),
        cohort_age=e.get("cohort_age"),
        phase_in_years=int(e.get("phase_in_years", 0)),
        substitute_level=e.get("substitute_level"),
        effect_label=e.get("effect_label", ""),
        effect=effect,
        optimistic_effect=(
            _value(f"{prefix}.optimistic_effect", optimistic, on, optimistic=True) if optimistic else None
        ),
        uptake=_value(f"{prefix}.uptake", e["uptake"], on),
        substitute_share=_value(f"{prefix}.substitute_share", e["substitute_share"], on)
        if "substitute_share" in e
        else None,
        components=components,
    )


def _falls_effect(prefix, ratio, share):
    """Relative risk of care need = 1 - (1 - falls rate ratio) x share of need from falls.

    The interval takes both ends together (the widest combination), which is
    wider than a propagated interval: a deliberately cautious choice.
    """
    return Value(
        name=f"{prefix}.effect",
        label="Relative risk of needing care",
        value=1 - (1 - ratio.value) * share.value,
        low=1 - (1 - ratio.low) * share.high,
        high=1 - (1 - ratio.high) * share.low,
        level=ratio.level,
        distribution="lognormal",
        minimum=0.0,
        maximum=np.inf,
        valid_from=max(ratio.valid_from, share.valid_from),
        source=f"Derived: 1 - (1 - falls rate ratio) x share of need from falls. {ratio.source} {share.source}",
        confidence="low",
    )
