"""Demo referrals, groups, waitlists and a rehabilitation report for the demo year.

Run after load_demo and load_catalogue: it uses their units, users and the
offerings hverdagsrehabilitering, sterk-og-stodig and takk-bare-bra. The
everyday-rehabilitation cohort has seed 001's 2017 figures and is filed under 2017,
the year the plan reports; the groups and waitlists are in the demo year. The
cohort's referral sources and waiting times are not in the plan: they are invented,
and the report says so in the demo.

Nord-Aurdal's plan (seed 004 §5.2) says only that about 40 users have received everyday
rehabilitation: its demo is that cohort alone, 40 referrals filed under 2017 (the year before
the plan), all started; their dates, durations, visits, sources, outcomes and SPPB are invented,
and the report says so in the demo.

The pathways of issue #16 (intervention team after a hospital or short-term stay, day
rehabilitation, rehabilitation stays with their daily physiotherapy) and a first-contact
mapping are named in the plans without any records: the few here are invented, and their
pages say so in the demo.
"""

import datetime
import random
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from trappa.accounts.models import Municipality, Role, Unit, User
from trappa.catalogue.models import Location, Offering
from trappa.demo import cohort
from trappa.people.models import Person
from trappa.referrals import mapping, services
from trappa.referrals.models import ContactKind, Group, Pathway, Referral, Source, Status

DATA = Path(__file__).resolve().parents[2] / "data"
COHORT_YEAR = 2017
VEFSN = "1824"
# Each municipality's everyday-rehabilitation cohort (filed under COHORT_YEAR) and its offering's code.
COHORTS = {
    VEFSN: (DATA / "everyday_rehabilitation_2017.csv", "hverdagsrehabilitering"),
    "3451": (DATA / "everyday_rehabilitation_nord_aurdal.csv", "kvardagsrehabilitering"),
}
# Only Vefsn's plans name the groups, waitlists and pathways loaded beside its cohort.
VEFSN_GROUPS = ("sterk-og-stodig", "takk-bare-bra")


class Command(BaseCommand):
    help = "Load demo referrals, groups and waitlists for a municipality (after load_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="1824", help="municipality number (default: 1824, Vefsn)")
        parser.add_argument("--year", type=int, help="the report year (default: last year)")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']}: run load_demo first.")
        year = options["year"] or timezone.localdate().year - 1
        if year >= timezone.localdate().year:
            raise CommandError("The report year must be over: choose an earlier year.")
        if municipality.number not in COHORTS:
            raise CommandError(f"No demo referrals for municipality {municipality.number}.")
        if Referral.objects.filter(municipality=municipality).exists():
            raise CommandError("This municipality already has referrals: the demo is loaded once.")
        path, code = COHORTS[municipality.number]
        needed = (code, *VEFSN_GROUPS) if municipality.number == VEFSN else (code,)
        offerings = {o.code: o for o in Offering.objects.filter(municipality=municipality, code__in=needed)}
        missing = sorted(set(needed) - set(offerings))
        if missing:
            raise CommandError(f"Missing offerings {', '.join(missing)}: run load_catalogue first.")
        rows = cohort.read(path)
        extra = 80 if municipality.number == VEFSN else 0
        persons = list(Person.objects.active().filter(municipality=municipality).order_by("birth_date")[:160])
        if len(persons) < len(rows) + extra:
            raise CommandError("Too few residents for the demo: load the population first.")
        therapist = User.objects.filter(municipality=municipality, role=Role.THERAPIST).first()
        with transaction.atomic():
            cohort.load(rows, offerings[code], therapist, persons[: len(rows)])
            if municipality.number == VEFSN:
                self._load(municipality, year, offerings, therapist, persons[len(rows) :])
        self.stdout.write(f"Referrals: {len(rows)} everyday rehabilitation in {COHORT_YEAR}.")

    def _load(self, municipality, year, offerings, therapist, persons):
        """Vefsn's waitlist, pathways, groups and enrollments, after its cohort."""
        leader = User.objects.filter(municipality=municipality, role=Role.COURSE_LEADER).first()
        waiting = persons[:6]
        self._waiting(waiting, offerings["hverdagsrehabilitering"], therapist)
        self._pathways(municipality, persons[6:12], therapist)
        groups = self._groups(municipality, offerings, leader, year)
        self._enroll(groups, persons[12:])
        self.stdout.write(f"Referrals: {len(waiting)} waiting now; groups: {len(groups)} in {year}.")

    def _waiting(self, persons, offering, user):
        today = timezone.localdate()
        for n, person in enumerate(persons):
            on = today - datetime.timedelta(days=40 - 5 * n)
            referral = services.refer(
                person,
                offering,
                list(Source)[n % len(Source)].value,
                user,
                "Fall og redusert gangfunksjon",
                pathway=Pathway.EVERYDAY_REHABILITATION,
                on=on,
            )
            services.change_status(referral, Status.RELEVANT, user, on=on + datetime.timedelta(days=2))
            services.change_status(referral, Status.WAITING, user, on=on + datetime.timedelta(days=2))

    def _pathways(self, municipality, persons, therapist):
        """Invented records of the pathways the plans name without figures (see the module's docstring)."""
        today = timezone.localdate()

        def ago(days):
            return today - datetime.timedelta(days=days)

        home = Unit.objects.filter(municipality=municipality, code="hjemmetjenesten").first() or therapist.unit
        unit = therapist.unit
        # Two rehabilitation stays with their plan and an hour of physiotherapy a day (seed 001 §7.1).
        for person, (start, end, ward) in zip(persons[:2], [(30, 7, "LMS"), (10, None, "Solina")], strict=True):
            details = {"planned_from": ago(start - 2), "planned_until": ago(end or -10), "ward": ward}
            referral = services.refer(
                person,
                None,
                Source.HOSPITAL,
                therapist,
                "Hoftebrudd (oppdiktet)",
                unit=unit,
                pathway=Pathway.REHABILITATION_STAY,
                on=ago(start),
                details=details,
            )
            referral.goals = "Klare trappa hjemme (oppdiktet)"
            referral.save(update_fields=["goals"])
            services.change_status(referral, Status.RELEVANT, therapist, on=ago(start - 1))
            services.change_status(referral, Status.STARTED, therapist, on=ago(start - 2))
            for day in range(start - 2, end or 0, -1):
                services.record_physiotherapy(referral, ago(day), therapist)
            if end:
                services.change_status(referral, Status.COMPLETED, therapist, on=ago(end))
        # The intervention team after a hospital stay and after a short-term stay (seed 000 §2.5).
        for person, source, days in ((persons[2], Source.HOSPITAL, 13), (persons[3], Source.NURSING_HOME, 3)):
            referral = services.refer(
                person,
                None,
                source,
                therapist,
                "Utskrevet (oppdiktet)",
                unit=home,
                pathway=Pathway.INTERVENTION_TEAM,
                on=ago(days),
                details={"discharged_on": ago(days - 1)},
            )
            services.change_status(referral, Status.RELEVANT, therapist, on=ago(days - 1))
            if source == Source.HOSPITAL:
                services.change_status(referral, Status.STARTED, therapist, on=ago(days - 1), visits=4)
        # Day rehabilitation (seed 001 §9, items 14, 15 and 23).
        services.refer(
            persons[4],
            None,
            Source.GP,
            therapist,
            "Redusert gangfunksjon (oppdiktet)",
            unit=unit,
            pathway=Pathway.DAY_REHABILITATION,
            on=ago(20),
        )
        # A first-contact mapping of a first-time applicant for home services (seed 001 §5.1).
        answers = {
            "kind": ContactKind.HOME_SERVICES_APPLICATION,
            "source": Source.HOME_SERVICES,
            "mapped_on": ago(4),
            "what_matters": "Handle selv på butikken (oppdiktet)",
            "challenges": "Trappene ut av huset (oppdiktet)",
            "resources": "Går godt innendørs, datteren bor i nærheten (oppdiktet)",
            "can_train": "yes",
            "medical_conditions": "no",
            "surroundings": "yes",
        }
        first = mapping.create(persons[5], therapist, answers)
        suggested = [s.offering for s in mapping.suggest(first) if s.offering.code == "hverdagsrehabilitering"]
        if suggested:
            mapping.refer(first, suggested[0].pk, therapist)

    def _groups(self, municipality, offerings, leader, year):
        byparken, _ = Location.objects.get_or_create(
            municipality=municipality, code="byparken", defaults={"name": "Byparken seniorsenter"}
        )
        elsfjord, _ = Location.objects.get_or_create(
            municipality=municipality,
            code="elsfjord-grendehus",
            defaults={"name": "Elsfjord grendehus", "outside_centre": True},
        )
        specs = [
            (
                offerings["sterk-og-stodig"],
                "Sterk og stødig, Byparken",
                byparken,
                None,
                "Randi (frivillig)",
                12,
                datetime.date(year + 1, 1, 8),
            ),
            (
                offerings["sterk-og-stodig"],
                "Sterk og stødig, Elsfjord",
                elsfjord,
                None,
                "Odd (frivillig)",
                10,
                datetime.date(year + 1, 1, 9),
            ),
            (offerings["takk-bare-bra"], "Takk, bare bra – våren", byparken, leader, "", 12, datetime.date(year, 2, 6)),
            (
                offerings["takk-bare-bra"],
                "Takk, bare bra – høsten",
                byparken,
                leader,
                "",
                12,
                datetime.date(year, 9, 4),
            ),
        ]
        groups = []
        for offering, name, location, user, volunteer, seats, starts in specs:
            group = Group.objects.create(
                municipality=municipality,
                offering=offering,
                name=name,
                location=location,
                leader=user,
                volunteer_leader=volunteer,
                capacity=seats,
                starts_on=starts,
                fee=150 if user is None else 0,
                requires_pre_course_conversation=offering.code == "takk-bare-bra",
            )
            first = timezone.make_aware(datetime.datetime.combine(starts, datetime.time(11)))
            services.add_weekly_sessions(group, first, 10)
            groups.append(group)
        return groups

    def _enroll(self, groups, persons):
        draws = random.Random(1824)  # the same attendance in every demo
        per_group = len(persons) // len(groups)
        for n, group in enumerate(groups):
            conversation = None
            if group.requires_pre_course_conversation:
                conversation = group.starts_on - datetime.timedelta(days=7)
            for person in persons[n * per_group : (n + 1) * per_group][: group.capacity + 5]:
                services.enroll(group, person, pre_course_conversation_on=conversation)
            seated = list(group.enrollments.filter(status="enrolled").values_list("pk", flat=True))
            for session in group.sessions.filter(starts_at__lt=timezone.now()):
                services.record_attendance(session, [pk for pk in seated if draws.random() < 0.8])
