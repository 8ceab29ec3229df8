"""Records that reproduce seed 001's service statistics (data/service_statistics.toml).

The figures come from the plan; which demo residents they are and the exact dates
are drawn here. Each builder takes persons of the right ages from `Pool`.
"""

import datetime

from trappa.activity.models import (
    DeviceLoan,
    DeviceRequest,
    LoanKind,
    PathwayRegistration,
    Stay,
    Ward,
    WardKind,
)
from trappa.lib.dates import years_before
from trappa.people.models import Person, ServiceDecision, ServiceKind
from trappa.referrals.models import IndividualPlan, Pathway, PlanAnswer, Referral, ServiceArea, Source, Status


def spread(total, parts):
    """`total` split into `parts` whole numbers as even as can be."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class Pool:
    """Residents handed out by age on a day, each at most once per builder: their ids, the oldest first.

    Each take asks the register for the ids it needs, by birth date: at 700,000 residents, loading
    every person to compute ages took most of this step's time and memory."""

    def __init__(self, municipality):
        self.persons = Person.objects.filter(municipality=municipality).order_by("birth_date", "pk")

    def take(self, count, on, low, high=None):
        q = self.persons.filter(birth_date__lte=years_before(on, low))
        if high is not None:
            q = q.filter(birth_date__gt=years_before(on, high + 1))
        chosen = list(q.values_list("pk", flat=True)[:count])
        if len(chosen) < count:
            raise ValueError(f"only {len(chosen)} residents aged {low}–{high or ''} on {on}, {count} needed")
        return chosen


def stays(municipality, figures, pool):
    spec = figures["ward"]
    ward, _ = Ward.objects.get_or_create(
        municipality=municipality, code=spec["code"], defaults={"name": spec["name"], "places": spec["places"]}
    )
    start = datetime.date(figures["year"], 1, 1)
    rows = []
    for row in figures["rows"]:
        # One person may have stays of several purposes, as on a real ward.
        persons = pool.take(row["patients"], start, 67)
        for n, (person, days) in enumerate(zip(persons, spread(row["bed_days"], row["patients"]), strict=True)):
            admitted = start + datetime.timedelta(days=(n * 7) % (365 - days))
            rows.append(
                Stay(
                    ward=ward,
                    person_id=person,
                    purpose=row["purpose"],
                    admitted_on=admitted,
                    discharged_on=admitted + datetime.timedelta(days=days),
                )
            )
    Stay.objects.bulk_create(rows)
    return ward


def individual_plans(municipality, figures, pool):
    on = figures["on"]
    plans, taken = [], {True: 0, False: 0}
    for row in figures["rows"]:
        young = row["under_18"]
        persons = pool.take(taken[young] + row["users"], on, 0 if young else 18, 17 if young else None)
        for person in persons[taken[young] :]:
            plans.append(
                IndividualPlan(
                    municipality=municipality,
                    person_id=person,
                    entitled_on=years_before(on, 1),
                    answer=PlanAnswer.ACCEPTED,
                    answered_on=years_before(on, 1),
                    service_area=row["area"],
                )
            )
        taken[young] += row["users"]
    IndividualPlan.objects.bulk_create(plans)


def healthy_life(municipality, figures, pool, offering, unit):
    referred_on = datetime.date(figures["year"], 6, 1)
    middle = round(figures["referred"] * figures["aged_40_59_percent"] / 100)
    persons = pool.take(middle, referred_on, 40, 59) + pool.take(figures["referred"] - middle, referred_on, 60, 79)
    reasons = [reason for reason, n in figures["reasons"].items() for _ in range(n)]
    reasons += ["other"] * (figures["referred"] - len(reasons))
    Referral.objects.bulk_create(
        Referral(
            municipality=municipality,
            person_id=person,
            offering=offering,
            pathway=Pathway.HEALTHY_LIFE,
            source=Source.GP,
            reason_category=reason,
            unit=unit,
            referred_on=referred_on + datetime.timedelta(days=n % 180),
            status=Status.COMPLETED if n < figures["completed"] else Status.DROPPED_OUT,
            status_on=referred_on + datetime.timedelta(days=n % 180 + 84),
        )
        for n, (person, reason) in enumerate(zip(persons, reasons, strict=True))
    )


def devices(municipality, figures, pool):
    DeviceRequest.objects.bulk_create(
        DeviceRequest(municipality=municipality, received_on=datetime.date(int(year), 1 + n % 12, 1 + n % 28))
        for year, count in figures["requests"].items()
        for n in range(count)
    )
    years = sorted(int(y) for y in figures["active_users"])
    active = {int(y): n for y, n in figures["active_users"].items()}
    lent = {int(y): n for y, n in figures["users_lent"].items()}
    value = {int(y): n for y, n in figures["value_lent"].items()}
    old = active[years[0]] - lent[years[0]]
    persons = pool.take(old + sum(lent.values()), datetime.date(years[0], 1, 1), 18)
    pool_loans = [
        DeviceLoan(person_id=p, device="Rullator", kind=LoanKind.LONG_TERM, lent_on=datetime.date(years[0] - 1, 3, 1))
        for p in persons[:old]
    ]
    loans, rest, holding = list(pool_loans), persons[old:], old
    for year in years:
        new, rest = rest[: lent[year]], rest[lent[year] :]
        amounts = spread(value[year], len(new))
        loans += [
            DeviceLoan(person_id=p, device="Seng", kind=LoanKind.LONG_TERM, lent_on=datetime.date(year, 5, 1), value=v)
            for p, v in zip(new, amounts, strict=True)
        ]
        returned = holding + len(new) - active[year]
        for loan in pool_loans[:returned]:
            loan.returned_on = datetime.date(year, 6, 1)
        pool_loans, holding = pool_loans[returned:], holding + len(new) - returned
    DeviceLoan.objects.bulk_create(loans)


def mental_health(municipality, figures, pool):
    on, rows, young_taken, older_taken = figures["on"], [], 0, 0
    lar_left = figures["lar"]
    for spec in figures["pathways"]:
        young = pool.take(young_taken + spec["under_30"], on, 18, 29)[young_taken:]
        older_count = spec["persons"] - spec["under_30"]
        older = pool.take(older_taken + older_count, on, 30, 66)[older_taken:]
        young_taken, older_taken = young_taken + spec["under_30"], older_taken + older_count
        for person in young + older:
            lar = spec["pathway"] == 3 and lar_left > 0
            lar_left -= lar
            rows.append(
                PathwayRegistration(
                    person_id=person,
                    pathway=spec["pathway"],
                    registered_from=years_before(on, 1),
                    medication_assisted=lar,
                )
            )
    PathwayRegistration.objects.bulk_create(rows)


def environmental_therapy(municipality, figures, pool, on):
    Ward.objects.get_or_create(
        municipality=municipality,
        code="miljoterapitjenesten",
        defaults={
            "name": "Miljøterapitjenesten, omsorgsleiligheter",
            "kind": WardKind.STAFFED_HOUSING,
            "places": figures["staffed_homes"],
            "service_area": ServiceArea.ENVIRONMENTAL_THERAPY,
        },
    )
    for n, person in enumerate(pool.take(figures["ambulant_users"], on, 20, 60)):
        ServiceDecision.objects.create(
            person_id=person,
            decision_id=f"demo-mt-{n}",
            service=ServiceKind.AMBULANT_TEAM,
            start_date=years_before(on, 1),
        )
