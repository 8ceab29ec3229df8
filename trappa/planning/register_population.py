"""A population projection derived from the municipality's own register.

A cohort-component projection (docs/planning-model.md, "Population from the
register"): the register's residents on 1 January of the current year, by sex
and one-year age, are aged forward year by year to the horizon. Each year the
people of each age die with the year's death probability, the survivors are a
year older (105+ keeps its survivors), and the year's births enter at age 0.
No migration: the register records moves out but not moves in.

`project` and `project_alternatives` are pure NumPy; `derive_projection` reads
the register through one aggregate query (persons by sex and birth year, no
person leaves the database) and stores the result as a ProjectionDataset with
one PopulationSeries, so runs, calibration, exports and charts use it as they
use SSB's files.
"""

import datetime
import hashlib
import json
import tomllib
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trappa.people.models import Person

from . import lifetable, params
from .calibration import age_on_new_year, birth_columns
from .engine.model import AGES, SEXES
from .models import PopulationSeries, ProjectionDataset

FILE = params.DIRECTORY / "mortality.toml"
METHOD = "cohort-component v1"
ORIGIN = "register"
DEFAULT_HORIZON = 2050
MAX_HORIZON = 2100
SEX_KEYS = ("female", "male")  # index 0 = female, 1 = male, as everywhere in planning
YOUNG = 50  # a register with nobody under this age holds only the older residents: refused


class RegisterPopulationError(ValueError):
    """The register cannot give a projection; the message says why. Nothing is written."""


@dataclass(frozen=True)
class Assumptions:
    """The dated parameter values of mortality.toml picked for a day."""

    law: dict  # sex key -> {"a", "b", "c", "q0", ...}
    base_year: int
    births_years: int
    sex_ratio: float
    alternatives: dict  # code -> {"births", "mortality_fall_female", "mortality_fall_male"}
    sources: dict  # part -> {"from", "source", "confidence"}
    sha256: str

    def death_probabilities(self):
        """(2, AGES + 1) probabilities of dying between exact ages x and x + 1 in the base year."""
        out = np.empty((SEXES, AGES + 1))
        for s, key in enumerate(SEX_KEYS):
            law = self.law[key]
            out[s] = lifetable.death_probabilities(law["a"], law["b"], law["c"], law["q0"], ages=AGES + 1)
        return out


def load_assumptions(on=None):
    on = on or timezone.localdate()
    content = FILE.read_bytes()
    try:
        data = tomllib.loads(content.decode())
        mortality = params._pick("mortality", data["mortality"]["values"], on)
        births = params._pick("births", data["births"]["values"], on)
        alternatives = params._pick("alternatives", data["alternatives"]["values"], on)
        codes = [k for k, v in alternatives.items() if isinstance(v, dict)]
        return Assumptions(
            law={key: {k: float(v) for k, v in mortality[key].items()} for key in SEX_KEYS},
            base_year=int(mortality["base_year"]),
            births_years=int(births["years_observed"]),
            sex_ratio=float(births["sex_ratio"]),
            alternatives={code: {k: float(v) for k, v in alternatives[code].items()} for code in codes},
            sources={
                name: {"from": e["from"].isoformat(), "source": e["source"], "confidence": e["confidence"]}
                for name, e in (("mortality", mortality), ("births", births), ("alternatives", alternatives))
            },
            sha256=hashlib.sha256(content).hexdigest(),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise params.ParameterError(f"mortality.toml: {exc}") from None


# --- the projection (pure NumPy) -------------------------------------------


def yearly_death(q):
    """Death probability within a calendar year for people aged x (completed years) on 1 January.

    They are between exact ages x and x + 1, half a year older on average, so
    the year spans half of age x and half of age x + 1: (q(x) + q(x + 1)) / 2.
    q has AGES + 1 ages (0 to 106). The open group 105+ takes (q(105) + q(106)) / 2 like the
    ages below it: a lower bound for a group that also holds people older than 106.
    """
    q = np.asarray(q, dtype=float)
    return (q[..., :-1] + q[..., 1:]) / 2


def newborn_death(q):
    """A newborn of the year has on average half a year before its first 1 January: q(0) / 2."""
    return np.asarray(q, dtype=float)[..., 0] / 2


def project(start, death, births, years, sex_ratio, newborn_death=(0.0, 0.0), death_factor=None):
    """(2, AGES, years) population on 1 January of each year, the first being `start`.

    start: (2, AGES) people by sex (0 female, 1 male) and age, AGES - 1 meaning that age or older.
    death: (2, AGES) probability of dying within the year for each age on 1 January.
    births: births per year (constant); sex_ratio boys per girl.
    newborn_death: (2,) probability that a newborn dies before its first 1 January.
    death_factor: (years - 1,) or (2, years - 1) multiplier of the death probabilities (newborns' too)
    in each projected year, e.g. mortality falling over time; 1 if not given.
    """
    start = np.asarray(start, dtype=float)
    death = np.asarray(death, dtype=float)
    if start.shape != (SEXES, AGES) or death.shape != (SEXES, AGES):
        raise ValueError(f"start and death must be ({SEXES}, {AGES})")
    if (start < 0).any() or births < 0 or sex_ratio <= 0:
        raise ValueError("populations and births cannot be negative; the sex ratio must be above 0")
    factors = np.broadcast_to(
        1.0 if death_factor is None else np.asarray(death_factor, dtype=float), (SEXES, max(years - 1, 0))
    )
    split = births * np.array([1.0, sex_ratio]) / (1.0 + sex_ratio)
    out = np.empty((SEXES, AGES, years))
    out[:, :, 0] = start
    for t in range(1, years):
        factor = factors[:, t - 1]
        survivors = out[:, :, t - 1] * (1.0 - np.clip(death * factor[:, None], 0.0, 1.0))
        out[:, 1:, t] = survivors[:, :-1]
        out[:, AGES - 1, t] += survivors[:, AGES - 1]  # 105+ keeps its survivors
        out[:, 0, t] = split * (1.0 - np.clip(np.asarray(newborn_death) * factor, 0.0, 1.0))
    return out


def project_alternatives(start, q, births, first_year, last_year, assumptions):
    """(A, 2, AGES, Y) for each alternative of the assumptions, in their order (MMMM first).

    q: (2, AGES + 1) death probabilities by exact age in the base year; in each
    alternative they fall by its mortality_fall_<sex> a year after the base year.
    """
    steps = np.arange(first_year, last_year)  # the year each step starts in
    elapsed = np.maximum(steps - assumptions.base_year, 0)
    out = []
    for variation in assumptions.alternatives.values():
        fall = np.array([variation["mortality_fall_female"], variation["mortality_fall_male"]])
        factors = (1.0 - fall[:, None]) ** elapsed[None, :]
        out.append(
            project(
                start,
                yearly_death(q),
                births * variation["births"],
                last_year - first_year + 1,
                assumptions.sex_ratio,
                newborn_death(q),
                factors,
            )
        )
    return np.stack(out)


def births_per_year(start, years_observed):
    """The register's children aged 0 .. years_observed - 1 on the reference date, per year."""
    return float(np.asarray(start)[:, :years_observed].sum() / years_observed)


# --- the register (one aggregate query) ------------------------------------


def reference_date(on):
    return datetime.date(on.year, 1, 1)


def register_counts(municipality, day):
    """(2, AGES) residents alive and living in the municipality on `day` (a 1 January), by sex and age."""
    q = Person.objects.in_municipality(municipality).alive_on(day)
    # Living here on the day: registered here now, or moved out after the day
    # (caregivers who live elsewhere are in the register but are not residents).
    q = q.filter(Q(date_moved_out__isnull=True, municipality_number=municipality.number) | Q(date_moved_out__gte=day))
    rows = q.annotate(**birth_columns()).values("sex", "born", "new_year").annotate(n=Count("id"))
    counts = np.zeros((SEXES, AGES))
    for r in rows:
        age = min(max(age_on_new_year(day, r), 0), AGES - 1)
        counts[0 if r["sex"] == "F" else 1, age] += r["n"]
    return counts


def _digest(municipality, day, last_year, counts, assumptions):
    key = {
        "method": METHOD,
        "municipality": municipality.number,
        "reference_date": day.isoformat(),
        "last_year": last_year,
        "counts": counts.astype(int).tolist(),
        "parameters": assumptions.sha256,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def derive_projection(municipality, user=None, horizon=DEFAULT_HORIZON, on=None):
    """(dataset, created): the register's projection; the same register and day give the stored one back."""
    on = on or timezone.localdate()
    day = reference_date(on)
    if not day.year < horizon <= MAX_HORIZON:
        raise RegisterPopulationError(
            _("The last year must be after %(first)s and no later than %(last)s.")
            % {"first": day.year, "last": MAX_HORIZON}
        )
    assumptions = load_assumptions(on)
    counts = register_counts(municipality, day)
    if counts.sum() == 0:
        raise RegisterPopulationError(
            _("The register of %(municipality)s holds no residents on %(date)s: import the register first.")
            % {"municipality": municipality.name, "date": day.isoformat()}
        )
    if counts[:, :YOUNG].sum() == 0:
        raise RegisterPopulationError(
            _(
                "The register of %(municipality)s holds nobody under %(age)s: it seems to hold only older "
                "residents, and a projection from it would miss everyone who grows old later."
            )
            % {"municipality": municipality.name, "age": YOUNG}
        )
    digest = _digest(municipality, day, horizon, counts, assumptions)
    existing = ProjectionDataset.objects.filter(sha256=digest).first()
    if existing:
        return existing, False
    births = births_per_year(counts, assumptions.births_years)
    population = project_alternatives(counts, assumptions.death_probabilities(), births, day.year, horizon, assumptions)
    record = {
        "method": METHOD,
        "municipality": f"{municipality.number} {municipality.name}",
        "reference_date": day.isoformat(),
        "derived_on": on.isoformat(),
        "residents": int(counts.sum()),
        "births_per_year": round(births, 2),
        "births_years_observed": assumptions.births_years,
        "sex_ratio_at_birth": assumptions.sex_ratio,
        "mortality_base_year": assumptions.base_year,
        "alternatives": assumptions.alternatives,
        "net_migration": 0,
        "sources": assumptions.sources,
        "parameters_sha256": assumptions.sha256,
    }
    try:
        with transaction.atomic():  # a savepoint: the same derivation racing in (a double click)
            dataset = _store(municipality, user, on, day, horizon, digest, assumptions, record, population)
    except IntegrityError:
        return ProjectionDataset.objects.get(sha256=digest), False
    return dataset, True


def _store(municipality, user, on, day, horizon, digest, assumptions, record, population):
    dataset = ProjectionDataset.objects.create(
        name=_("Own register, %(municipality)s, %(date)s")
        % {"municipality": municipality.name, "date": on.isoformat()},
        title=_("Derived from the register of %(municipality)s on %(date)s")
        % {"municipality": municipality.name, "date": on.isoformat()},
        file_name=f"register:{municipality.number}:{day.isoformat()}",
        sha256=digest,
        alternatives=list(assumptions.alternatives),
        first_year=day.year,
        last_year=horizon,
        origin=ORIGIN,
        assumptions=record,
        imported_by=user,
    )
    PopulationSeries.objects.create(
        dataset=dataset,
        region=municipality.number,
        region_name=municipality.name,
        data=PopulationSeries.pack(population),
    )
    return dataset
