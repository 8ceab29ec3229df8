"""The service statistics of seed 001, computed from records.

Each function returns a `Table`: rows of numbers with their labels and no names.
Pages and exports hide small counts of persons (`Table.suppressed`), the way the
acceptance rate does (trappa/lib/small_counts.py).
"""

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from trappa.activity.models import (
    DeviceLoan,
    DeviceRequest,
    LoanKind,
    MentalHealthPathway,
    PathwayRegistration,
    Stay,
    StayPurpose,
    Ward,
    WardKind,
)
from trappa.lib.small_counts import is_small
from trappa.people.models import ServiceDecision, ServiceKind, WelfareTechnology, WelfareTechnologyKind
from trappa.referrals.models import (
    HealthyLifeReason,
    IndividualPlan,
    Pathway,
    PlanAnswer,
    Referral,
    ServiceArea,
    Status,
)
from trappa.volunteers.models import VolunteerHours

HIDDEN = "hidden"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # A count of persons: hidden when small, and then so is the rest of its row.
    persons: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: tuple
    total: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple
    rows: tuple = field(default=())

    def value(self, row_key, column_key):
        row = next(r for r in self.rows if r.key == row_key)
        return row.values[[c.key for c in self.columns].index(column_key)]

    def suppressed(self, threshold):
        """The table with small person counts hidden, with their rows and the totals that would give them away."""
        person_columns = [i for i, c in enumerate(self.columns) if c.persons]
        rows, hid_any = [], False
        for row in self.rows:
            small = any(isinstance(row.values[i], int) and is_small(row.values[i], threshold) for i in person_columns)
            hid_any |= small and not row.total
            rows.append(replace(row, values=(HIDDEN,) * len(row.values)) if small else row)
        if hid_any:
            rows = [replace(r, values=(HIDDEN,) * len(r.values)) if r.total else r for r in rows]
        return replace(self, rows=tuple(rows))


def _year(year):
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def _overlap_days(stay, start, end):
    last = min(stay.discharged_on or end, end)
    return max(0, (last - max(stay.admitted_on, start)).days)


def stays(ward, year):
    """Seed 001 §7.1: per purpose, the patients, their bed-days in the year and the share of the ward's bed-days."""
    start, end = _year(year)
    q = Stay.objects.filter(ward=ward, admitted_on__lt=end)
    # A stay still going, or discharged after the year began, counts its days inside the year.
    q = q.filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=start))
    capacity = ward.places * (end - start).days
    rows, patients_sum, days_sum = [], 0, 0
    for purpose in StayPurpose:
        purpose_stays = [s for s in q if s.purpose == purpose]
        patients = len({s.person_id for s in purpose_stays})
        days = sum(_overlap_days(s, start, end) for s in purpose_stays)
        rows.append(Row(purpose.value, purpose.label, (patients, days, _percent(days, capacity))))
        patients_sum, days_sum = patients_sum + patients, days_sum + days
    total = (patients_sum, days_sum, _percent(days_sum, capacity))
    rows.append(Row("total", _("Sum"), total, total=True))
    columns = (
        Column("patients", _("Patients"), persons=True),
        Column("bed_days", _("Bed-days")),
        Column("occupancy_percent", _("Share of the beds, percent")),
    )
    return Table("stays", _("Stays on %(ward)s in %(year)s") % {"ward": ward.name, "year": year}, columns, tuple(rows))


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _active_plans(municipality, on):
    q = IndividualPlan.objects.filter(municipality=municipality, answer=PlanAnswer.ACCEPTED, entitled_on__lte=on)
    return q.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on)).select_related("person")


AGE_18 = ((0, 17, _("Under 18")), (18, None, _("18 and over")))


def individual_plans(municipality, on):
    """Seed 001 §4.2: users with an individual plan or coordinator, by the service they belong to and age."""
    plans = list(_active_plans(municipality, on))
    rows = []
    for area in ServiceArea:
        for low, high, label in AGE_18:
            count = sum(1 for p in plans if p.service_area == area and _in_band(p.person.age_on(on), low, high))
            rows.append(Row(f"{area.value}_{low}", f"{area.label}, {label}", (count,)))
    unplaced = sum(1 for p in plans if not p.service_area)
    rows.append(Row("no_area", _("No service area recorded"), (unplaced,)))
    rows.append(Row("total", _("Sum"), (len(plans),), total=True))
    title = _("Individual plans on %(day)s") % {"day": on.isoformat()}
    return Table("individual_plans", title, (Column("users", _("Users"), persons=True),), tuple(rows))


def _in_band(age, low, high):
    return age >= low and (high is None or age <= high)


HEALTHY_LIFE_AGES = ((0, 19), (20, 39), (40, 59), (60, 79), (80, None))


def healthy_life(municipality, year):
    """Seed 001 §5.3: healthy-life prescriptions in the year, completed, by age at referral and by reason."""
    start, end = _year(year)
    q = Referral.objects.filter(municipality=municipality, pathway=Pathway.HEALTHY_LIFE)
    referrals = list(q.filter(referred_on__gte=start, referred_on__lt=end).select_related("person"))
    total = len(referrals)
    completed = sum(1 for r in referrals if r.status == Status.COMPLETED)
    rows = [
        Row("referred", _("Referred"), (total, None)),
        Row("completed", _("Completed the prescription period"), (completed, _percent(completed, total))),
    ]
    for low, high in HEALTHY_LIFE_AGES:
        n = sum(1 for r in referrals if _in_band(r.person.age_on(r.referred_on), low, high))
        label = (
            _("Age %(low)s–%(high)s") % {"low": low, "high": high} if high else _("Age %(low)s and over") % {"low": low}
        )
        rows.append(Row(f"age_{low}", label, (n, _percent(n, total))))
    for reason in HealthyLifeReason:
        n = sum(1 for r in referrals if r.reason_category == reason)
        rows.append(Row(f"reason_{reason.value}", reason.label, (n, _percent(n, total))))
    n = sum(1 for r in referrals if not r.reason_category)
    rows.append(Row("reason_none", _("Reason not recorded"), (n, _percent(n, total))))
    columns = (Column("persons", _("Persons"), persons=True), Column("percent", _("Percent of referred")))
    title = _("Frisklivssentralen: healthy-life prescriptions in %(year)s") % {"year": year}
    return Table("healthy_life", title, columns, tuple(rows))


def devices(municipality, first_year, last_year):
    """Seed 001 §5.8: new requests per year; long-term loans: users holding one at the year's end, users
    lent one in the year and the value lent; short-term loans from the municipal store in the year."""
    requests = DeviceRequest.objects.filter(municipality=municipality)
    loans = DeviceLoan.objects.filter(person__municipality=municipality)
    long_term = loans.filter(kind=LoanKind.LONG_TERM)
    rows = []
    for year in range(first_year, last_year + 1):
        start, end = _year(year)
        last_day = end - datetime.timedelta(days=1)
        lent = long_term.filter(lent_on__gte=start, lent_on__lt=end)
        holding = long_term.filter(lent_on__lte=last_day).filter(
            Q(returned_on__isnull=True) | Q(returned_on__gt=last_day)
        )
        short = loans.filter(kind=LoanKind.SHORT_TERM, lent_on__gte=start, lent_on__lt=end)
        values = (
            requests.filter(received_on__gte=start, received_on__lt=end).count(),
            holding.values("person").distinct().count(),
            lent.values("person").distinct().count(),
            int(lent.aggregate(total=Sum("value"))["total"] or 0),
            short.values("person").distinct().count(),
        )
        rows.append(Row(str(year), str(year), values))
    columns = (
        Column("requests", _("New requests"), persons=True),
        Column("active_users", _("Users with long-term devices at the year's end"), persons=True),
        Column("users_lent", _("Users lent long-term devices in the year"), persons=True),
        Column("value_lent", _("Value of long-term devices lent, kr")),
        Column("short_term_users", _("Users of short-term loans in the year"), persons=True),
    )
    title = _("Assistive devices %(first)s–%(last)s") % {"first": first_year, "last": last_year}
    return Table("devices", title, columns, tuple(rows))


def mental_health(municipality, on):
    """Seed 001 §6: persons registered in each main pathway on a day, and how many of them are under 30."""
    q = PathwayRegistration.objects.filter(person__municipality=municipality, registered_from__lte=on)
    registrations = list(q.filter(Q(registered_to__isnull=True) | Q(registered_to__gte=on)).select_related("person"))
    rows = []
    for pathway in MentalHealthPathway:
        persons = {r.person for r in registrations if r.pathway == pathway}
        young = sum(1 for p in persons if p.age_on(on) < 30)
        rows.append(Row(f"pathway_{pathway.value}", pathway.label, (len(persons), young)))
    lar = len({r.person_id for r in registrations if r.medication_assisted})
    rows.append(Row("lar", _("Medication-assisted rehabilitation (LAR)"), (lar, None)))
    columns = (Column("persons", _("Persons"), persons=True), Column("under_30", _("Under 30"), persons=True))
    title = _("Mental-health and substance-use pathways on %(day)s") % {"day": on.isoformat()}
    return Table("mental_health", title, columns, tuple(rows))


def environmental_therapy(municipality, on):
    """Seed 001 §5.6: Miljøterapitjenesten's staffed homes, users helped at home by the ambulant team, IP users."""
    wards = Ward.objects.filter(municipality=municipality, kind=WardKind.STAFFED_HOUSING)
    places = wards.filter(service_area=ServiceArea.ENVIRONMENTAL_THERAPY).aggregate(n=Sum("places"))
    decisions = ServiceDecision.objects.filter(
        person__municipality=municipality, service=ServiceKind.AMBULANT_TEAM, start_date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    plans = _active_plans(municipality, on).filter(service_area=ServiceArea.ENVIRONMENTAL_THERAPY)
    rows = (
        Row("staffed_homes", _("Homes with staff around the clock"), (places["n"] or 0, None)),
        Row(
            "ambulant",
            _("Users in their own home helped by the ambulant team"),
            (None, decisions.values("person").distinct().count()),
        ),
        Row("individual_plans", _("Users with an individual plan"), (None, plans.count())),
    )
    columns = (Column("places", _("Places")), Column("users", _("Users"), persons=True))
    title = _("Miljøterapitjenesten on %(day)s") % {"day": on.isoformat()}
    return Table("environmental_therapy", title, columns, rows)


def welfare_technology(municipality, on):
    """Seed 004 §5.3: how many residents have each welfare technology on a day."""
    q = WelfareTechnology.objects.filter(person__municipality=municipality, since__lte=on)
    q = q.filter(Q(until__isnull=True) | Q(until__gte=on))
    rows = [
        Row(kind.value, kind.label, (q.filter(kind=kind).values("person").distinct().count(),))
        for kind in WelfareTechnologyKind
    ]
    rows.append(Row("total", _("Persons with any"), (q.values("person").distinct().count(),), total=True))
    title = _("Welfare technology on %(day)s") % {"day": on.isoformat()}
    return Table("welfare_technology", title, (Column("persons", _("Persons"), persons=True),), tuple(rows))


def volunteer_hours(municipality, year):
    """Hours volunteers gave in the year, per offering of the groups they helped, and outside groups."""
    start, end = _year(year)
    q = VolunteerHours.objects.filter(volunteer__municipality=municipality, on__gte=start, on__lt=end)
    rows = []
    by_offering = q.filter(group__isnull=False).values("group__offering__code", "group__offering__name_nb")
    for item in by_offering.annotate(total=Sum("hours"), n=Count("volunteer", distinct=True)).order_by(
        "group__offering__name_nb"
    ):
        rows.append(
            Row(item["group__offering__code"], item["group__offering__name_nb"], (item["n"], float(item["total"])))
        )
    outside = q.filter(group__isnull=True).aggregate(total=Sum("hours"), n=Count("volunteer", distinct=True))
    rows.append(
        Row("outside_groups", _("Outside groups (visits, meeting point)"), (outside["n"], float(outside["total"] or 0)))
    )
    total = q.aggregate(total=Sum("hours"), n=Count("volunteer", distinct=True))
    rows.append(Row("total", _("Sum"), (total["n"], float(total["total"] or 0)), total=True))
    columns = (Column("volunteers", _("Volunteers"), persons=True), Column("hours", _("Hours")))
    title = _("Volunteer hours in %(year)s") % {"year": year}
    return Table("volunteer_hours", title, columns, tuple(rows))
