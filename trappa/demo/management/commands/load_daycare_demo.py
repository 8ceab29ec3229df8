"""Demo day-care places with persons holding them and a waitlist.

Seed 002 names day care at Parken and at Fredlundskogen and asks for more day places
in dementia care, for somatic patients and in Miljøterapitjenesten, also in the
evenings. It gives no numbers: the places, weekdays and persons here are invented,
and the day-care page says so in the demo.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from trappa.accounts.models import Municipality
from trappa.catalogue.models import Offering
from trappa.daycare import services
from trappa.daycare.models import DayCarePlace, Kind, TimeOfDay
from trappa.people.models import Person
from trappa.referrals import services as groups

# (offering code, name, kind, time of day, weekdays, places, persons enrolled): invented, see above.
PLACES = [
    ("dagplass-demens", "Parken, dagtilbud demens", Kind.DEMENTIA, TimeOfDay.DAY, "12345", 8, 12),
    ("dagplass-demens", "Parken, kveldstilbud demens", Kind.DEMENTIA, TimeOfDay.EVENING, "24", 5, 7),
    ("dagplass-eldre", "Fredlundskogen, dagtilbud", Kind.SOMATIC, TimeOfDay.DAY, "135", 6, 8),
    ("dagplass-funksjonshemmede", "Miljøterapitjenesten, dag", Kind.ENVIRONMENTAL_THERAPY, TimeOfDay.DAY, "1234", 4, 6),
    ("dagplass-eldre", "Fredlundskogen, delt dagplass", Kind.SOMATIC, TimeOfDay.DAY, "12345", 1, 0),
]
# Persons holding a place part of the week (their place's name, their weekdays): invented, see above.
PART_WEEK = [("Parken, dagtilbud demens", "14"), ("Parken, dagtilbud demens", "25"), ("Fredlundskogen, dagtilbud", "1")]
# Two persons sharing one place, one Monday to Wednesday and one Thursday and Friday (invented, see above).
SHARED = [("Fredlundskogen, delt dagplass", "123"), ("Fredlundskogen, delt dagplass", "45")]
SKIP = 160  # the oldest 160 residents are the referrals demo's (load_referrals_demo); day care takes the next


class Command(BaseCommand):
    help = "Load demo day-care places, with persons holding them and waiting (after load_catalogue)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="1824", help="municipality number (default: 1824, Vefsn)")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']}: run load_demo first.")
        if DayCarePlace.objects.filter(group__municipality=municipality).exists():
            raise CommandError("This municipality already has day-care places: the demo is loaded once.")
        codes = {code for code, *_rest in PLACES}
        offerings = {o.code: o for o in Offering.objects.filter(municipality=municipality, code__in=codes)}
        if set(offerings) != codes:
            raise CommandError(f"Missing offerings {', '.join(sorted(codes - set(offerings)))}: run load_catalogue.")
        persons = Person.objects.active().filter(municipality=municipality).order_by("birth_date", "pk")
        needed = sum(row[-1] for row in PLACES) + len(SHARED)
        persons = list(persons[SKIP : SKIP + needed])
        if len(persons) < needed:
            raise CommandError("Too few residents for the demo: load the population first.")
        with transaction.atomic():
            waiting = self._load(offerings, persons)
        self.stdout.write(f"Day care: {len(PLACES)} places, {waiting} persons waiting.")

    def _load(self, offerings, persons):
        starts_on = timezone.localdate() - datetime.timedelta(days=180)
        waiting = 0
        places = {}
        for code, name, kind, time_of_day, weekdays, capacity, enrolled in PLACES:
            place = services.create_place(
                offerings[code],
                name=name,
                kind=kind,
                time_of_day=time_of_day,
                weekdays=weekdays,
                capacity=capacity,
                starts_on=starts_on,
            )
            places[name] = place
            mine, persons = persons[:enrolled], persons[enrolled:]
            seated = []
            for person in mine:
                enrollment = groups.enroll(place.group, person)
                waiting += enrollment.status == "waitlisted"
                if enrollment.status != "waitlisted":
                    seated.append(enrollment)
            for enrollment, (_name, days) in zip(seated, [row for row in PART_WEEK if row[0] == name], strict=False):
                services.set_days(enrollment, days)
        for (name, days), person in zip(SHARED, persons, strict=False):
            services.enroll_on_days(places[name], person, days)
        return waiting
