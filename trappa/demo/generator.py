"""A synthetic population: a realistic Norwegian municipality, written as the
three register files Trappa imports (docs/register-format.md).

Everything is drawn with NumPy, vectorised, from small data files in
`generator_data/` that say where each figure comes from: the age and sex
structure, marital status by age, languages, service rates by age, and each
municipality's areas, postal codes, streets and units. The result is
deterministic: the same seed, size, municipality and reference date give
byte-identical files. Each part of the population draws from its own random
stream (keyed by name, as vivarium does), so changing one part does not shift
the draws of the others.

National identity numbers are synthetic only (Tenor style, month + 80): no real
person can have one. They are computed here in bulk with the same check-digit
rules as `trappa.lib.national_id.make_synthetic`, which the tests compare against.

The module is pure NumPy and never imports Django, so benchmarks can use it
without a configured project.
"""

import csv
import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from trappa.lib.dates import years_before

DATA_DIR = Path(__file__).with_name("generator_data")

PERSON_COLUMNS = (
    "national_id",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "street_address",
    "postal_code",
    "postal_place",
    "area",
    "phone",
    "email",
    "municipality_number",
    "marital_status",
    "marital_status_date",
    "living_alone",
    "date_of_death",
    "date_moved_out",
    "interpreter_needed",
    "language",
    "written_standard",
)
DECISION_COLUMNS = ("national_id", "decision_id", "service", "start_date", "end_date", "unit_code")
RELATION_COLUMNS = ("national_id", "related_national_id", "relation", "nearest_relative")
FILE_NAMES = {"persons": "persons.csv", "decisions": "decisions.csv", "relations": "relations.csv"}

# Internal marital status codes, and Folkeregisteret's names for them.
UNMARRIED, MARRIED, WIDOWED, DIVORCED, SEPARATED = range(5)
MARITAL_NAMES = np.array(["ugift", "gift", "enkeEllerEnkemann", "skilt", "separert"])
FEMALE, MALE = 0, 1
SERVICES = (
    "safety_alarm",
    "home_nursing",
    "practical_help",
    "transport_card",
    "day_care",
    "short_term_stay",
    "rotation_stay",
    "long_term_institution",
)
# Services a person in a long-term institution does not also receive.
HOME_SERVICES = (
    "safety_alarm",
    "home_nursing",
    "practical_help",
    "transport_card",
    "day_care",
    "short_term_stay",
    "rotation_stay",
)

MAX_AGE = 104
LOOKBACK_DAYS = 730  # deaths and moves in the extract happened within the last two years
DEATHS_PER_YEAR = 0.0105  # deaths per resident and year (Vefsn: about 140 a year)
MOVES_PER_YEAR = 0.02  # moves out of the municipality per resident and year
YEAR = 365.25
MAX_CHILDREN_HERE = 5
MAX_RESIDENTS = 2_000_000  # a bit more than Oslo; beyond it memory, not realism, is the limit


class GeneratorError(ValueError):
    """The generator cannot do what was asked; str() says why."""


@dataclass
class Population:
    """Three tables of equal-length NumPy string columns, ready to write."""

    persons: dict
    decisions: dict
    relations: dict
    counts: dict = field(default_factory=dict)

    def write(self, out_dir):
        """Write persons.csv, decisions.csv and relations.csv; return their paths."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = {}
        for kind, columns in (
            ("persons", PERSON_COLUMNS),
            ("decisions", DECISION_COLUMNS),
            ("relations", RELATION_COLUMNS),
        ):
            paths[kind] = out_dir / FILE_NAMES[kind]
            _write_csv(paths[kind], columns, getattr(self, kind))
        return paths


# A value csv.writer would quote; rows written in blocks of this many.
NEEDS_QUOTES = re.compile(r'[,"\r\n]')
WRITE_ROWS = 50_000


def _write_csv(path, columns, table):
    # UTF-8 without BOM, comma, "\n": the plainest form the importer accepts.
    values = [table[c].tolist() for c in columns]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        if len(columns) > 1 and not any(NEEDS_QUOTES.search("".join(column)) for column in values):
            # Nothing to quote (the usual case): the rows joined as they are, as csv.writer would write them,
            # a whole column's strings at a time (at 700,000 residents most of the time spent writing).
            for start in range(0, len(values[0]), WRITE_ROWS):
                block = [column[start : start + WRITE_ROWS] for column in values]
                handle.write("\n".join(map(",".join, zip(*block, strict=True))) + "\n")
        else:
            writer.writerows(zip(*values, strict=True))


def known_municipalities():
    return {number: spec["name"] for number, spec in _municipalities().items() if not number.startswith("_")}


def generate(residents=13_400, seed=0, municipality="1824", as_of=None, areas_of=None):
    """Generate `residents` living residents of `municipality` as of the date `as_of`.

    The files also hold people who died or moved out within the last two years
    (a register extract keeps them), and caregivers who live elsewhere.

    `areas_of` borrows a known municipality's areas, streets, units and
    neighbours for a municipality the data files do not describe (the national
    benchmark sizes every Norwegian municipality this way); the rows carry
    `municipality`'s own number. By default a municipality uses its own data.
    """
    if not isinstance(municipality, str) or not re.fullmatch(r"\d{4}", municipality):
        raise GeneratorError("the municipality number must have four digits")
    spec = _municipality_spec(areas_of or municipality)
    if not isinstance(seed, int) or seed < 0:
        raise GeneratorError("the seed must be a whole number, 0 or more")
    if not isinstance(residents, int) or not 1 <= residents <= MAX_RESIDENTS:
        raise GeneratorError(f"the number of residents must be between 1 and {MAX_RESIDENTS:,}")
    if not isinstance(as_of, datetime.date):
        raise GeneratorError("as_of must be a date")
    gen = _Generator(seed, municipality, spec, np.datetime64(as_of, "D"))
    return gen.run(residents)


def service_units(municipality):
    """The unit code that delivers each service in the generated decisions."""
    return dict(_municipality_spec(municipality)["units"])


def _municipality_spec(number):
    specs = _municipalities()
    if number not in specs or number.startswith("_"):
        known = ", ".join(f"{n} {name}" for n, name in sorted(known_municipalities().items()))
        raise GeneratorError(f"no area data for municipality {number}; known: {known}")
    return specs[number]


def _municipalities():
    return json.loads((DATA_DIR / "municipalities.json").read_text(encoding="utf-8"))


def _read_table(name):
    """Rows of a data file as dicts; lines starting with # are the source notes."""
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def age_distribution():
    """Share of residents at each age 0..MAX_AGE, by sex: an array of shape (2, MAX_AGE + 1)."""
    shares = np.zeros((2, MAX_AGE + 1))
    for row in _read_table("age_distribution.csv"):
        low, high = int(row["age_from"]), int(row["age_to"])
        width = high - low + 1
        shares[FEMALE, low : high + 1] = float(row["female"]) / width
        shares[MALE, low : high + 1] = float(row["male"]) / width
    return shares / shares.sum()


def target_share(min_age):
    """The share of residents aged `min_age` or older the generator aims at."""
    return float(age_distribution()[:, min_age:].sum())


def _by_age(rows, columns, sex=None):
    """A lookup table (MAX_AGE + 1, len(columns)) from rows with age_from/age_to."""
    table = np.zeros((MAX_AGE + 1, len(columns)))
    for row in rows:
        if sex is not None and row["sex"] != sex:
            continue
        table[int(row["age_from"]) : int(row["age_to"]) + 1] = [float(row[c]) for c in columns]
    return table


class _Generator:
    def __init__(self, seed, municipality, spec, as_of):
        self.seed = seed
        self.municipality = municipality
        self.spec = spec
        self.as_of = as_of
        self.names = json.loads((DATA_DIR / "names.json").read_text(encoding="utf-8"))

    def rng(self, part):
        """An independent random stream per part, keyed by the seed and the part's name."""
        key = [self.seed] + [ord(ch) for ch in part]
        return np.random.default_rng(np.random.SeedSequence(key))

    def run(self, residents):
        people = self.residents(residents)
        self.marital_status(people)
        people = _concat(people, self.deceased(people), self.moved_out(people))
        parents = self.parents(people)
        self.households(people, parents)
        decisions = self.services(people)
        people, caregiver_relations = self.caregivers(people, parents, decisions)
        self.languages(people)
        self.names_for(people, parents)
        people["national_id"] = national_ids(people["birth"], people["sex"])
        _check_dates(people, decisions)
        return self.tables(people, parents, caregiver_relations, decisions)

    # -- residents, ages, marital status ---------------------------------

    def residents(self, n, part="residents", weights=None):
        rng = self.rng(part)
        shares = age_distribution() if weights is None else weights
        cell = rng.choice(shares.size, size=n, p=shares.ravel())
        sex, age = np.divmod(cell, MAX_AGE + 1)
        people = _empty_people(n, self.municipality)
        people["sex"] = sex.astype(np.int8)
        people["age"] = age.astype(np.int16)
        people["birth"] = birth_dates(rng, people["age"], self.as_of)
        return people

    def marital_status(self, people, part="marital"):
        rng = self.rng(part)
        rows = _read_table("marital_status.csv")
        status = np.full(len(people["age"]), UNMARRIED, dtype=np.int8)
        u = rng.random(len(status))
        for sex, letter in ((FEMALE, "F"), (MALE, "M")):
            cumulative = np.cumsum(_by_age(rows, ("married", "widowed", "divorced", "separated"), letter), axis=1)
            mine = people["sex"] == sex
            probs = cumulative[people["age"][mine]]
            drawn = (u[mine, None] >= probs).sum(axis=1)  # 0 married .. 4 unmarried
            status[mine] = np.array([MARRIED, WIDOWED, DIVORCED, SEPARATED, UNMARRIED])[drawn]
        people["status"] = status
        people["spouse"] = _pair_couples(rng, people)
        people["status"][(people["status"] == MARRIED) & (people["spouse"] < 0)] = DIVORCED
        people["status_date"] = self.status_dates(rng, people)

    def status_dates(self, rng, people):
        """When the marital status took effect, drawn back from today by age."""
        age, status = people["age"].astype(float), people["status"]
        adult_years = np.maximum(age - 20, 0.5)
        years = np.zeros(len(age))
        years[status == MARRIED] = rng.uniform(0, np.minimum(adult_years, 60))[status == MARRIED]
        widowed_span = np.where(age >= 55, np.minimum(age - 45, 30), adult_years / 2)
        years[status == WIDOWED] = _truncated_exponential(rng, 15, widowed_span)[status == WIDOWED]
        years[status == DIVORCED] = rng.uniform(0, np.minimum(adult_years, 35))[status == DIVORCED]
        years[status == SEPARATED] = rng.uniform(0, 2, len(age))[status == SEPARATED]
        dates = self.as_of - np.round(years * YEAR).astype("timedelta64[D]")
        # A couple shares its wedding date: the later of the two drawn, each drawn after its own spouse's
        # adulthood began, so the wedding comes after both were born even across a wide age gap (small
        # populations pair such couples).
        husbands = np.flatnonzero((status == MARRIED) & (people["sex"] == MALE))
        wives = people["spouse"][husbands]
        dates[husbands] = dates[wives] = np.maximum(dates[husbands], dates[wives])
        return np.where(status == UNMARRIED, np.datetime64("NaT"), dates)

    # -- people who left the municipality within the lookback ------------

    def deceased(self, people):
        """The late spouses of the recently widowed, and other recent deaths."""
        recent = np.flatnonzero((people["status"] == WIDOWED) & (people["status_date"] > self.as_of - LOOKBACK_DAYS))
        spouses = self.late_spouses(people, recent)
        expected = round(len(people["age"]) * DEATHS_PER_YEAR * LOOKBACK_DAYS / YEAR)
        others = self.other_deaths(max(expected - len(recent), 0))
        return _concat(spouses, others)

    def late_spouses(self, people, survivors):
        rng = self.rng("late-spouses")
        sex = (1 - people["sex"][survivors]).astype(np.int8)
        gap = np.where(sex == MALE, 3, -3) + rng.normal(0, 3, len(survivors))
        age = np.clip(np.round(people["age"][survivors] + gap), 40, MAX_AGE).astype(np.int16)
        dead = _empty_people(len(survivors), self.municipality)
        dead.update(sex=sex, age=age, birth=birth_dates(rng, age, self.as_of))
        dead["status"] = np.full(len(survivors), MARRIED, dtype=np.int8)
        married_years = rng.uniform(5, np.maximum(np.minimum(age - 20, 60), 5))  # wed at 20 or later
        dead["status_date"] = self.as_of - np.round(married_years * YEAR).astype("timedelta64[D]")
        dead["death"] = people["status_date"][survivors]
        return dead

    def other_deaths(self, n):
        # Deaths concentrate among the oldest: weight the age structure by a
        # mortality that doubles about every seven years of age.
        weights = age_distribution() * np.exp(0.1 * (np.arange(MAX_AGE + 1) - 80))
        weights[:, :50] = 0
        dead = self.residents(n, "other-deaths", weights / weights.sum())
        self.marital_status(dead, "other-deaths-marital")
        dead["status"][dead["status"] == MARRIED] = WIDOWED
        dead["spouse"][:] = -1
        rng = self.rng("other-deaths-dates")
        dead["status_date"] = self.status_dates(rng, dead)
        dead["death"] = self.as_of - rng.integers(1, LOOKBACK_DAYS, n).astype("timedelta64[D]")
        return dead

    def moved_out(self, people):
        n = round(len(people["age"]) * MOVES_PER_YEAR * LOOKBACK_DAYS / YEAR)
        ages = np.arange(MAX_AGE + 1)
        weights = age_distribution() * np.where((ages >= 18) & (ages <= 35), 4, 1)  # young adults move most
        moved = self.residents(n, "moved", weights / weights.sum())
        self.marital_status(moved, "moved-marital")
        moved["status"][moved["status"] == MARRIED] = DIVORCED  # the spouse is not in the extract
        moved["spouse"][:] = -1
        rng = self.rng("moved-dates")
        moved["status_date"] = self.status_dates(rng, moved)
        # Babies can only have moved after they were born.
        days_lived = (self.as_of - moved["birth"]).astype(int)
        moved["moved"] = self.as_of - (rng.random(n) * np.minimum(days_lived, LOOKBACK_DAYS)).astype("timedelta64[D]")
        moved["municipality_number"] = self.elsewhere(rng, n)
        return moved

    def elsewhere(self, rng, n):
        # Another municipality's places may name this one (borrowed with areas_of): elsewhere is never here.
        places = {k: v for k, v in self.spec["caregivers_elsewhere"].items() if k != self.municipality}
        numbers = np.array(sorted(places))
        weights = np.array([places[k] for k in numbers], dtype=float)
        return rng.choice(numbers, size=n, p=weights / weights.sum())

    # -- families and households -----------------------------------------

    def parents(self, people):
        """(parent, child) index pairs: each person has at most a mother and her husband."""
        rng = self.rng("parents")
        n = len(people["age"])
        age = people["age"]
        # The chance that a person's mother lives here and is in the extract.
        p_here = np.select([age < 18, age < 40, age < 60], [0.95, 0.45, 0.3], 0.08)
        wants = (rng.random(n) < p_here) & _is_resident(people)
        women = np.flatnonzero((people["sex"] == FEMALE) & _is_resident(people))
        women = women[np.argsort(people["birth"][women], kind="stable")]
        women_birth = people["birth"][women]
        child_birth = people["birth"]
        lo = np.searchsorted(women_birth, child_birth - np.timedelta64(int(42 * YEAR), "D"))
        hi = np.searchsorted(women_birth, child_birth - np.timedelta64(int(20 * YEAR), "D"))
        wants &= hi > lo
        children = np.flatnonzero(wants)
        pick = lo[children] + (rng.random(len(children)) * (hi - lo)[children]).astype(np.int64)
        mothers = women[pick]
        # Few very old women are left to be the mothers of people in their
        # sixties and seventies: cap the children each mother has here.
        keep = _rank_within(mothers) < MAX_CHILDREN_HERE
        children, mothers = children[keep], mothers[keep]
        fathers = people["spouse"][mothers]
        has_father = fathers >= 0
        parent = np.concatenate([mothers, fathers[has_father]])
        child = np.concatenate([children, children[has_father]])
        return parent, child

    def households(self, people, parents):
        rng = self.rng("households")
        n = len(people["age"])
        areas = self.spec["areas"]
        weights = np.array([a["weight"] for a in areas])
        people["area"] = rng.choice(len(areas), size=n, p=weights / weights.sum()).astype(np.int16)
        people["street"] = rng.integers(0, 1_000_000, n)
        people["house"] = np.minimum(rng.geometric(0.04, n), 150)
        minors = parents[1][people["age"][parents[1]] < 18]
        wives = np.flatnonzero((people["spouse"] >= 0) & (people["sex"] == FEMALE))
        _share_address(people, wives, people["spouse"])
        mother_of = np.full(n, -1)
        mother_of[parents[1][::-1]] = parents[0][::-1]  # the mother comes first in the pairs
        _share_address(people, minors, mother_of)
        p_alone = np.select(
            [people["age"] < 18, people["age"] < 25, people["age"] < 67, people["age"] < 80],
            [0.0, 0.25, 0.55, 0.85],
            0.88,
        )
        alone = (rng.random(n) < p_alone) & (people["spouse"] < 0)
        alone[parents[0][people["age"][parents[1]] < 18]] = False  # parents of minors live with them
        people["alone"] = alone

    # -- services (decisions) ---------------------------------------------

    def services(self, people):
        """Running and ended decisions for the living, and ended ones for the dead."""
        rng = self.rng("services")
        rates = _by_age(_read_table("service_rates.csv"), SERVICES)
        living = np.flatnonzero(_is_resident(people))
        draws = rng.random((len(living), len(SERVICES))) < rates[people["age"][living]]
        institution = draws[:, SERVICES.index("long_term_institution")]
        for name in HOME_SERVICES:
            draws[institution, SERVICES.index(name)] = False
        parts = [self.running(rng, people, living[draws[:, i]], name) for i, name in enumerate(SERVICES)]
        parts.append(self.past_stays(rng, people, living, rates))
        parts.append(self.services_of_the_dead(rng, people))
        decisions = _concat(*parts)
        # The rare young recipient: nothing starts before the person was born.
        decisions["start"] = np.maximum(decisions["start"], people["birth"][decisions["person"]])
        ended = ~np.isnat(decisions["end"])
        decisions["end"][ended] = np.maximum(decisions["end"], decisions["start"])[ended]
        return decisions

    def running(self, rng, people, who, service):
        n = len(who)
        years_back = np.clip(people["age"][who] - 17, 0.5, 8).astype(float)
        start = self.as_of - np.round(rng.uniform(0.02, 1, n) * years_back * YEAR).astype("timedelta64[D]")
        end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        if service == "short_term_stay":
            start = self.as_of - rng.integers(1, 42, n).astype("timedelta64[D]")
            end = start + rng.integers(14, 60, n).astype("timedelta64[D]")
        elif service == "rotation_stay":
            # Rotation stays are granted for six months at a time.
            start = self.as_of - rng.integers(1, 180, n).astype("timedelta64[D]")
            end = start + np.timedelta64(182, "D")
        return _decisions(who, service, start, end)

    def past_stays(self, rng, people, living, rates):
        """Ended short-term stays in the last two years, about twice as many as running ones."""
        rate = 2 * rates[people["age"][living], SERVICES.index("short_term_stay")]
        who = living[rng.random(len(living)) < rate]
        end = self.as_of - rng.integers(60, LOOKBACK_DAYS, len(who)).astype("timedelta64[D]")
        return _decisions(who, "short_term_stay", end - rng.integers(14, 42, len(who)).astype("timedelta64[D]"), end)

    def services_of_the_dead(self, rng, people):
        """Many who died were in an institution or had home nursing: those decisions end at death."""
        dead = np.flatnonzero(~np.isnat(people["death"]))
        parts = []
        for service, share in (("long_term_institution", 0.45), ("home_nursing", 0.35)):
            who = dead[rng.random(len(dead)) < share]
            end = people["death"][who]
            start = end - np.round(rng.uniform(0.1, 3, len(who)) * YEAR).astype("timedelta64[D]")
            parts.append(_decisions(who, service, start, end))
        return _concat(*parts)

    # -- caregivers --------------------------------------------------------

    def caregivers(self, people, parents, decisions):
        """Who helps whom: a spouse, a child here, or a child living elsewhere.

        Returns the people (with the caregivers from elsewhere added) and the
        caregiver relations (caregiver, recipient, nearest_relative).
        """
        rng = self.rng("caregivers")
        n = len(people["age"])
        served = np.zeros(n, dtype=bool)
        running = np.isnat(decisions["end"]) | (decisions["end"] >= self.as_of)
        served[decisions["person"][running]] = True
        age = people["age"]
        p_has = np.select([served & (age >= 67), served, age >= 80], [0.8, 0.5, 0.35], 0.0)
        recipients = np.flatnonzero((rng.random(n) < p_has) & _is_resident(people))
        primary, extra = self.primary_caregivers(rng, people, parents, recipients)
        people = _concat(people, extra)
        second = self.second_caregivers(rng, parents, recipients, primary, n)
        giver = np.concatenate([primary, second[0]])
        taker = np.concatenate([recipients, second[1]])
        nearest = np.concatenate([np.ones(len(primary), bool), np.zeros(len(second[0]), bool)])
        return people, (giver, taker, nearest)

    def primary_caregivers(self, rng, people, parents, recipients):
        spouse = people["spouse"][recipients]
        child_here = _one_child_each(rng, parents, len(people["age"]))[recipients]
        use_spouse = (spouse >= 0) & (people["age"][np.maximum(spouse, 0)] < 90) & (rng.random(len(recipients)) < 0.85)
        primary = np.where(use_spouse, spouse, child_here)
        # Children here help often, but many older people's children live elsewhere.
        away = (primary < 0) | (~use_spouse & (rng.random(len(recipients)) < 0.35))
        extra = self.children_elsewhere(rng, people, recipients[away])
        primary[away] = len(people["age"]) + np.arange(len(extra["age"]))
        return primary, extra

    def children_elsewhere(self, rng, people, parents_here):
        n = len(parents_here)
        age = np.clip(people["age"][parents_here] - np.round(rng.uniform(22, 38, n)), 18, 80).astype(np.int16)
        kids = _empty_people(n, self.municipality)
        kids["sex"] = (rng.random(n) < 0.4).astype(np.int8)  # daughters help more often
        kids.update(age=age, birth=birth_dates(rng, age, self.as_of))
        kids["status"] = np.where(rng.random(n) < 0.6, MARRIED, UNMARRIED).astype(np.int8)
        kids["status_date"] = np.where(
            kids["status"] == MARRIED,
            self.as_of - np.round(rng.uniform(0.5, np.clip(age - 20, 0.5, 20)) * YEAR).astype("timedelta64[D]"),
            np.datetime64("NaT"),
        )
        kids["municipality_number"] = self.elsewhere(rng, n)
        kids["parent_here"] = parents_here
        return kids

    def second_caregivers(self, rng, parents, recipients, primary, n):
        """Some also have a child here who helps, besides the primary caregiver."""
        child = _one_child_each(rng, parents, n)[recipients]
        extra = (child >= 0) & (child != primary) & (rng.random(len(recipients)) < 0.4)
        return child[extra], recipients[extra]

    # -- language, names ---------------------------------------------------

    def languages(self, people):
        rng = self.rng("languages")
        rows = _read_table("languages.csv")
        n = len(people["age"])
        language = np.full(n, "", dtype="U2")
        interpreter = np.zeros(n, dtype=bool)
        u, v = rng.random(n), rng.random(n)
        low = np.zeros(n)
        for row in rows:
            in_band = (people["age"] >= int(row["age_from"])) & (people["age"] <= int(row["age_to"]))
            high = low + np.where(in_band, float(row["share"]), 0)
            hit = in_band & (u >= low) & (u < high)
            language[hit] = row["language"]
            interpreter[hit] = v[hit] < float(row["interpreter_share"])
            low = high
        people["language"] = language
        people["interpreter"] = interpreter
        own = self.spec["written_standard"]
        other = "nn" if own == "nb" else "nb"
        w = rng.random(n)
        people["written"] = np.select([w < 0.03, w < 0.10], [other, own], "").astype("U2")

    def names_for(self, people, parents):
        rng = self.rng("names")
        n = len(people["age"])
        given = np.empty(n, dtype=object)
        family = np.array(self.names["family"], dtype=object)[rng.integers(0, len(self.names["family"]), n)]
        year = people["birth"].astype("datetime64[Y]").astype(int) + 1970
        cohort = np.select([year < 1950, year < 1970, year < 1990], ["1900", "1950", "1970"], "1995")
        for sex, letter in ((FEMALE, "F"), (MALE, "M")):
            for key, pool in self.names["given"][letter].items():
                mine = (people["sex"] == sex) & (cohort == key)
                given[mine] = np.array(pool, dtype=object)[rng.integers(0, len(pool), mine.sum())]
        self.foreign_names(rng, people, given, family)
        _family_names(rng, people, parents, family)
        people["given"], people["family"] = given, family

    def foreign_names(self, rng, people, given, family):
        for language, pools in self.names["languages"].items():
            for sex, letter in ((FEMALE, "F"), (MALE, "M")):
                mine = (people["language"] == language) & (people["sex"] == sex)
                given[mine] = _pick(rng, pools[letter], mine.sum())
            mine = people["language"] == language
            family[mine] = _pick(rng, pools["family"], mine.sum())

    # -- the three tables ----------------------------------------------------

    def tables(self, people, parents, caregivers, decisions):
        order = self.rng("row-order").permutation(len(people["age"]))
        ids = people["national_id"]
        persons = self.person_columns(people, order)
        return Population(
            persons=persons,
            decisions=self.decision_columns(decisions, ids),
            relations=_relation_columns(people, parents, caregivers, ids),
            counts=_counts(people, decisions, caregivers, self.municipality),
        )

    def person_columns(self, p, order):
        areas = self.spec["areas"]
        area = p["area"][order]
        here = p["municipality_number"][order] == self.municipality
        street = _streets(areas, area, p["street"][order], p["house"][order])
        return {
            "national_id": p["national_id"][order],
            "given_name": p["given"][order].astype(str),
            "family_name": p["family"][order].astype(str),
            "birth_date": _iso(p["birth"][order]),
            "sex": np.where(p["sex"][order] == FEMALE, "F", "M"),
            "street_address": np.where(here, street, ""),
            "postal_code": np.where(here, np.array([a["postal_code"] for a in areas])[area], ""),
            "postal_place": np.where(here, np.array([a["postal_place"] for a in areas])[area], ""),
            "area": np.where(here, np.array([a["name"] for a in areas])[area], ""),
            # No phone numbers or e-mail addresses: a synthetic one could be someone's real one.
            "phone": np.full(len(order), "", dtype=str),
            "email": np.full(len(order), "", dtype=str),
            "municipality_number": p["municipality_number"][order],
            "marital_status": MARITAL_NAMES[p["status"][order]],
            "marital_status_date": _iso(p["status_date"][order]),
            "living_alone": _bools(p["alone"][order]),
            "date_of_death": _iso(p["death"][order]),
            "date_moved_out": _iso(p["moved"][order]),
            "interpreter_needed": _bools(p["interpreter"][order]),
            "language": p["language"][order],
            "written_standard": p["written"][order],
        }

    def decision_columns(self, d, ids):
        order = np.lexsort((d["start"], d["person"]))
        units = self.spec["units"]
        service = d["service"][order]
        return {
            "national_id": ids[d["person"][order]],
            "decision_id": np.array([f"V{i:08d}" for i in range(1, len(order) + 1)], dtype="U9"),
            "service": service,
            "start_date": _iso(d["start"][order]),
            "end_date": _iso(d["end"][order]),
            "unit_code": np.array([units[s] for s in SERVICES_SORTED])[np.searchsorted(SERVICES_SORTED, service)],
        }


SERVICES_SORTED = np.array(sorted(SERVICES))


def _streets(areas, area, street_key, house):
    """Each person's street address ("<street> <house number>"), the street names looked up an area at a time."""
    names = np.empty(len(area), dtype=object)
    for a in np.unique(area).tolist():
        mine = np.flatnonzero(area == a)
        streets = np.array(areas[a]["streets"], dtype=object)
        names[mine] = streets[street_key[mine] % len(streets)]
    return np.array([f"{name} {number}" for name, number in zip(names.tolist(), house.tolist(), strict=True)])


def _relation_columns(people, parents, caregivers, ids):
    spouse = people["spouse"]
    husbands = np.flatnonzero((spouse >= 0) & (people["sex"] == MALE) & _is_alive(people))
    husbands = husbands[_is_alive(people)[spouse[husbands]]]
    away = np.flatnonzero(people["parent_here"] >= 0)
    parent = np.concatenate([parents[0], people["parent_here"][away]])
    child = np.concatenate([parents[1], away])
    giver, taker, nearest = caregivers
    rows = [
        (husbands, spouse[husbands], "spouse", np.zeros(len(husbands), bool)),
        (parent, child, "parent", np.zeros(len(parent), bool)),
        (giver, taker, "caregiver", nearest),
    ]
    return {
        "national_id": np.concatenate([ids[a] for a, _, _, _ in rows]),
        "related_national_id": np.concatenate([ids[b] for _, b, _, _ in rows]),
        "relation": np.concatenate([np.full(len(a), kind) for a, _, kind, _ in rows]),
        "nearest_relative": _bools(np.concatenate([flag for _, _, _, flag in rows])),
    }


def _counts(people, decisions, caregivers, municipality):
    here = people["municipality_number"] == municipality
    giver = caregivers[0]
    return {
        "residents": int(_is_resident(people).sum()),
        "deceased": int((~np.isnat(people["death"])).sum()),
        "moved_out": int((~np.isnat(people["moved"])).sum()),
        "living_elsewhere": int((~here & np.isnat(people["moved"])).sum()),
        "persons": len(people["age"]),
        "decisions": len(decisions["person"]),
        "caregiver_links": len(giver),
        "caregivers_elsewhere": int((~here[giver]).sum()),
    }


# -- national identity numbers ---------------------------------------------

# Individual-number ranges that encode the century (Skatteetaten's rules), as in
# trappa.lib.national_id._individual_ranges.
CENTURIES = (
    ((1854, 1899), ((500, 749),)),
    ((1900, 1939), ((0, 499),)),
    ((1940, 1999), ((0, 499), (900, 999))),
    ((2000, 2039), ((500, 999),)),
)
WEIGHTS_1 = np.array([3, 7, 6, 1, 8, 9, 4, 5, 2])
WEIGHTS_2 = np.array([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])


def national_ids(birth, sex):
    """Unique synthetic (Tenor, month + 80) numbers, one per person.

    The n-th person born on a day, of a sex, gets that day's n-th valid number,
    exactly as `make_synthetic(birth_date, sex, n)` would, but computed in bulk.
    """
    years = birth.astype("datetime64[Y]").astype(int) + 1970
    if ((years < 1854) | (years > 2039)).any():
        raise GeneratorError("birth year out of the range national identity numbers can encode")
    serial = _serial_within_group(birth, sex)
    out = np.empty(len(birth), dtype="U11")
    for (low, high), ranges in CENTURIES:
        for parity in (FEMALE, MALE):
            mine = np.flatnonzero((years >= low) & (years <= high) & (sex == parity))
            if len(mine):
                out[mine] = _ids_for(birth[mine], serial[mine], ranges, parity)
    return out


def _serial_within_group(birth, sex):
    return _rank_within(birth.astype(np.int64) * 2 + sex)


def _rank_within(key):
    """For each element, how many equal keys come before it (0, 1, 2 ...)."""
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    position = np.arange(len(key))
    first = np.maximum.accumulate(np.where(starts, position, 0))
    serial = np.empty(len(key), dtype=np.int64)
    serial[order] = position - first
    return serial


def _ids_for(birth, serial, ranges, parity):
    candidates = np.concatenate([np.arange(a, b + 1) for a, b in ranges])
    candidates = candidates[candidates % 2 == parity]
    days, inverse = np.unique(birth, return_inverse=True)
    date_digits = _date_digits(days)  # (days, 6)
    ind_digits = np.stack([candidates // 100, candidates // 10 % 10, candidates % 10], axis=1)
    k1 = (11 - (date_digits @ WEIGHTS_1[:6])[:, None] - (ind_digits @ WEIGHTS_1[6:])[None, :]) % 11
    k2 = (11 - (date_digits @ WEIGHTS_2[:6])[:, None] - (ind_digits @ WEIGHTS_2[6:9])[None, :] - 2 * k1) % 11
    valid = (k1 != 10) & (k2 != 10)
    if (serial >= valid.sum(axis=1)[inverse]).any():
        raise GeneratorError("too many people born on one day to give them all a synthetic number")
    # Column positions of the valid candidates, in order; the n-th is serial n's.
    valid_order = np.argsort(~valid, axis=1, kind="stable")
    column = valid_order[inverse, serial]
    ind = candidates[column]
    number = (
        (date_digits[inverse] @ (10 ** np.arange(10, 4, -1)))
        + ind * 100
        + k1[inverse, column] * 10
        + k2[inverse, column]
    )
    return np.char.zfill(number.astype(str), 11)


def _date_digits(days):
    year = days.astype("datetime64[Y]")
    month = (days.astype("datetime64[M]") - year.astype("datetime64[M]")).astype(int) + 1 + 80
    day = (days - days.astype("datetime64[M]")).astype(int) + 1
    yy = (year.astype(int) + 1970) % 100
    return np.stack([day // 10, day % 10, month // 10, month % 10, yy // 10, yy % 10], axis=1).astype(np.int64)


# -- helpers ---------------------------------------------------------------


def birth_dates(rng, ages, as_of):
    """A birth date for each age, so that the person is exactly that age on `as_of`."""
    as_of_date = as_of.astype(datetime.date)
    birthdays = np.array([years_before(as_of_date, a) for a in range(MAX_AGE + 2)], dtype="datetime64[D]")
    latest = birthdays[ages]
    earliest = birthdays[ages + 1] + np.timedelta64(1, "D")
    span = (latest - earliest).astype(int) + 1
    return earliest + (rng.random(len(ages)) * span).astype("timedelta64[D]")


def _empty_people(n, municipality):
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    return {
        "sex": np.zeros(n, np.int8),
        "age": np.zeros(n, np.int16),
        "birth": nat.copy(),
        "status": np.zeros(n, np.int8),
        "status_date": nat.copy(),
        "spouse": np.full(n, -1, np.int64),
        "death": nat.copy(),
        "moved": nat.copy(),
        "municipality_number": np.full(n, municipality, dtype="U4"),
        "parent_here": np.full(n, -1, np.int64),
        # Filled in later for everyone; here so every part has the same columns.
        "area": np.zeros(n, np.int16),
        "street": np.zeros(n, np.int64),
        "house": np.zeros(n, np.int64),
        "alone": np.zeros(n, bool),
    }


def _concat(*parts):
    """Stack tables row-wise.

    Index columns (`spouse`, `parent_here`, a decision's `person`) need no
    shifting: they only ever point at the residents, and the residents are
    always the first rows.
    """
    return {column: np.concatenate([part[column] for part in parts]) for column in parts[0]}


def _truncated_exponential(rng, scale, upper):
    """Years since an event: recent ones likelier (the widowed die too), never beyond `upper`."""
    u = rng.random(len(upper))
    return -scale * np.log1p(-u * (1 - np.exp(-upper / scale)))


def _pick(rng, pool, n):
    return np.array(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _pair_couples(rng, people):
    """Pair married men and women into couples, husbands about three years older.

    Sorting both by birth date (the men shifted three years, plus noise) and
    pairing by rank gives couples of similar age. The larger group is thinned at
    random to the size of the smaller; the rest are not married after all.
    """
    spouse = np.full(len(people["age"]), -1, dtype=np.int64)
    married = people["status"] == MARRIED
    men = np.flatnonzero(married & (people["sex"] == MALE))
    women = np.flatnonzero(married & (people["sex"] == FEMALE))
    k = min(len(men), len(women))
    men, women = np.sort(rng.permutation(men)[:k]), np.sort(rng.permutation(women)[:k])
    birth_days = people["birth"].astype(np.int64).astype(float)
    men = men[np.argsort(birth_days[men] + 3 * YEAR + rng.normal(0, 2 * YEAR, k), kind="stable")]
    women = women[np.argsort(birth_days[women] + rng.normal(0, 2 * YEAR, k), kind="stable")]
    spouse[men], spouse[women] = women, men
    return spouse


def _share_address(people, who, other):
    for column in ("area", "street", "house"):
        people[column][who] = people[column][other[who]]


def _one_child_each(rng, parents, n):
    """For each person, one of their children living here picked at random, or -1."""
    parent, child = parents
    size = max(n, int(parent.max()) + 1 if len(parent) else 0)
    chosen = np.full(size, -1, dtype=np.int64)
    shuffled = rng.permutation(len(parent))
    chosen[parent[shuffled]] = child[shuffled]  # the last write per parent wins: a random child
    return chosen


def _family_names(rng, people, parents, family):
    """Wives often take the husband's name; children take a parent's."""
    parent, child = parents
    # The father's name if he is here (he comes last in the pairs), else the mother's.
    last = len(child) - 1 - np.unique(child[::-1], return_index=True)[1]
    family[child[last]] = family[parent[last]]
    wives = np.flatnonzero((people["spouse"] >= 0) & (people["sex"] == FEMALE))
    takes = wives[rng.random(len(wives)) < 0.7]
    family[takes] = family[people["spouse"][takes]]
    away = np.flatnonzero(people["parent_here"] >= 0)
    keeps = away[rng.random(len(away)) < 0.6]
    family[keeps] = family[people["parent_here"][keeps]]


def _decisions(who, service, start, end):
    return {
        "person": np.asarray(who, dtype=np.int64),
        "service": np.full(len(who), service, dtype="U21"),
        "start": start.astype("datetime64[D]"),
        "end": end.astype("datetime64[D]"),
    }


def _check_dates(people, decisions):
    """A last guard: no event before birth (the importer would reject the whole file)."""
    birth = people["birth"]
    for column in ("status_date", "death", "moved"):
        dates = people[column]
        if (~np.isnat(dates) & (dates < birth)).any():
            raise GeneratorError(f"generated a {column} before a birth date")
    if (decisions["start"] < birth[decisions["person"]]).any():
        raise GeneratorError("generated a decision that starts before the person was born")


def _is_alive(people):
    return np.isnat(people["death"])


def _is_resident(people):
    """Alive, not moved out, and registered in the municipality (not a caregiver from elsewhere)."""
    return _is_alive(people) & np.isnat(people["moved"]) & (people["parent_here"] < 0)


def _iso(dates):
    # Each distinct day written once: a column has some 40,000 of them for 700,000 people.
    days, inverse = np.unique(dates, return_inverse=True)
    text = np.where(np.isnat(days), "", np.datetime_as_string(days, unit="D"))
    return text[inverse.reshape(-1)] if len(dates) else np.array([], dtype="U10")


def _bools(flags):
    return np.where(flags, "true", "false")
