"""Day-care fixtures: a decision-based day-care offering and places made through the service."""

import datetime

from tests.referrals.base import make_offering
from trappa.catalogue.models import Access
from trappa.daycare import services
from trappa.daycare.models import Kind, TimeOfDay

START = datetime.date(2026, 1, 5)


def day_care_offering(municipality, unit):
    offering = make_offering(municipality, unit, "dagplass-demens", "Dagtilbud for personer med demens")
    offering.access = Access.DECISION
    offering.save(update_fields=["access"])
    return offering


def make_place(offering, capacity=2, kind=Kind.DEMENTIA, time_of_day=TimeOfDay.DAY, weekdays="135", **kw):
    return services.create_place(
        offering,
        name=kw.pop("name", f"Parken {kind} {time_of_day} {weekdays}"),
        kind=kind,
        time_of_day=time_of_day,
        weekdays=weekdays,
        capacity=capacity,
        starts_on=kw.pop("starts_on", START),
        **kw,
    )
