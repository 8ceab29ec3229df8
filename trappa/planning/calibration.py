"""Usage rates from the municipality's own register, by aggregate queries only.

Each person counts at the highest care level among the decisions active on the
reference date. Per level, the national age-sex profile is scaled so that it
gives the register's users among people 67+ on that date (calibration to the
last observed year). Fewer than MIN_USERS users is too thin a basis: that
level keeps the national profile. No person leaves the database: the queries
return counts by sex, birth year and level.
"""

import datetime

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.db.models.functions import ExtractYear

from trappa.people.models import Person, ServiceDecision

CALIBRATION_AGE = 67
MIN_USERS = 5


def register_calibration(municipality, region, ps, on, rate_source):
    keys = ps.level_keys
    if rate_source != "register" or municipality is None or municipality.number != region:
        return {"source": "national", "factor": dict.fromkeys(keys, 1.0)}
    day = datetime.date(on.year, 1, 1)
    counts = _counts(municipality, ps, day)
    rates = ps.rates()
    expected = dict.fromkeys(keys, 0.0)
    observed = dict.fromkeys(keys, 0)
    for (sex, age, level), n in counts.items():
        if age < CALIBRATION_AGE:
            continue
        for i, key in enumerate(keys):
            expected[key] += n * rates[sex, min(age, 105), i]
        if level:
            observed[keys[level - 1]] += n
    factor, used = {}, {}
    for key in keys:
        enough = observed[key] >= MIN_USERS and expected[key] > 0
        factor[key] = round(observed[key] / expected[key], 6) if enough else 1.0
        used[key] = "register" if enough else "national"
    return {
        "source": "register",
        "reference_date": day.isoformat(),
        "ages_from": CALIBRATION_AGE,
        "observed": observed,
        "expected": {k: round(v, 3) for k, v in expected.items()},
        "factor": factor,
        "used": used,
    }


def _counts(municipality, ps, day):
    """{(sex index, age on the day, level rank): persons}; rank 0 = no service.

    Two grouped queries instead of a subquery per resident (which grew with the whole register: a
    third of a second on the demo's 21,000 rows): everyone by sex and birth, then those with a
    decision in force, by sex, birth and their highest level, taken out of rank 0.
    """
    ranks = [
        When(service=service, then=Value(rank))
        for rank, level in enumerate(ps.levels, start=1)
        for service in level.services
    ]
    # Alive, living in the municipality and born on the reference day or before.
    residents = Person.objects.in_municipality(municipality).alive_on(day)
    residents = residents.filter(Q(date_moved_out__isnull=True) | Q(date_moved_out__gte=day))
    counts = {}
    for r in residents.annotate(**birth_columns()).values("sex", "born", "new_year").annotate(n=Count("id")):
        key = (0 if r["sex"] == "F" else 1, age_on_new_year(day, r))
        counts[(*key, 0)] = counts.get((*key, 0), 0) + r["n"]
    in_force = ServiceDecision.objects.filter(person__in=residents.values("pk"), start_date__lte=day)
    in_force = in_force.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    tops = (
        in_force.values("person_id")
        .annotate(
            level=Max(Case(*ranks, default=Value(0), output_field=IntegerField())),
            sex=F("person__sex"),
            **birth_columns("person__"),
        )
        .values("sex", "born", "new_year", "level")
    )
    for sex, born, new_year, level, n in _grouped(tops):
        if not level:
            continue  # decisions of no level count as no service
        key = (0 if sex == "F" else 1, age_on_new_year(day, {"born": int(born), "new_year": int(new_year)}))
        counts[(*key, 0)] -= n
        counts[(*key, level)] = counts.get((*key, level), 0) + n
    return {key: n for key, n in counts.items() if n}


def _grouped(tops):
    """The users' (sex, birth year, 1 January birthday, highest level, persons), counted by the database:
    one row per person (tops) would cross into Python as many rows as the register has users (tens of
    thousands at 700,000 residents) only to be added up here."""
    sql, params = tops.query.sql_with_params()
    grouped = f"SELECT sex, born, new_year, level, COUNT(*) FROM ({sql}) AS tops GROUP BY sex, born, new_year, level"  # noqa: S608 - Django's own SQL, its values as parameters
    with connections[tops.db].cursor() as cursor:
        cursor.execute(grouped, params)
        return cursor.fetchall()


def register_counts(municipality, ps, day):
    """{(sex index, age on the day, level rank): persons} of the municipality's residents (aggregates only)."""
    return _counts(municipality, ps, day)


def birth_columns(via=""):
    """Annotations for counting by age on a 1 January: the birth year, and 1 for a birthday on 1 January
    (`via`: the path to the person, e.g. "person__" from a decision)."""
    born_new_year = When(**{f"{via}birth_date__month": 1, f"{via}birth_date__day": 1}, then=Value(1))
    return {
        "born": ExtractYear(f"{via}birth_date"),
        "new_year": Case(born_new_year, default=Value(0), output_field=IntegerField()),
    }


def age_on_new_year(day, row):
    """Age on `day` (a 1 January) of a row with birth_columns(): birthdays come later in the year, except
    for people born on 1 January (many immigrants with an unknown birth date are registered so)."""
    return day.year - row["born"] - 1 + row["new_year"]
