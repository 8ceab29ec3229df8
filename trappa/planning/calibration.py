"""Usage rates from the municipality's own register, by aggregate queries only.

Each person counts at the highest care level among the decisions active on the
reference date. Per level, the national age-sex profile is scaled so that it
gives the register's users among people 67+ on that date (calibration to the
last observed year). Fewer than MIN_USERS users is too thin a basis: that
level keeps the national profile. No person leaves the database: the queries
return counts by sex, birth year and level.
"""

import datetime

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear

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
    """{(sex index, age on the day, level rank): persons}; rank 0 = no service."""
    ranks = [
        When(service=service, then=Value(rank))
        for rank, level in enumerate(ps.levels, start=1)
        for service in level.services
    ]
    top = (
        ServiceDecision.objects.filter(person=OuterRef("pk"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .annotate(rank=Case(*ranks, default=Value(0), output_field=IntegerField()))
        .order_by("-rank")
        .values("rank")[:1]
    )
    # Alive, living in the municipality and born on the reference day or before.
    q = Person.objects.in_municipality(municipality).alive_on(day)
    q = q.filter(Q(date_moved_out__isnull=True) | Q(date_moved_out__gte=day))
    rows = (
        q.annotate(level=Coalesce(Subquery(top), Value(0)), **birth_columns())
        .values("sex", "born", "new_year", "level")
        .annotate(n=Count("id"))
    )
    counts = {}
    for r in rows:
        key = (0 if r["sex"] == "F" else 1, age_on_new_year(day, r), r["level"])
        counts[key] = counts.get(key, 0) + r["n"]
    return counts


def register_counts(municipality, ps, day):
    """{(sex index, age on the day, level rank): persons} of the municipality's residents (aggregates only)."""
    return _counts(municipality, ps, day)


def birth_columns():
    """Annotations for counting by age on a 1 January: the birth year, and 1 for a birthday on 1 January."""
    born_new_year = When(birth_date__month=1, birth_date__day=1, then=Value(1))
    return {
        "born": ExtractYear("birth_date"),
        "new_year": Case(born_new_year, default=Value(0), output_field=IntegerField()),
    }


def age_on_new_year(day, row):
    """Age on `day` (a 1 January) of a row with birth_columns(): birthdays come later in the year, except
    for people born on 1 January (many immigrants with an unknown birth date are registered so)."""
    return day.year - row["born"] - 1 + row["new_year"]
