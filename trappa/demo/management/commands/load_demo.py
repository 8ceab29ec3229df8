"""Build the demo: two municipalities, their units, one user per role, and a
synthetic Vefsn imported through the real register import.

Runs only with TRAPPA_DEMO=true: it creates users whose password it prints,
and people whose national identity numbers are synthetic test numbers. It
loads into a database without a demo and refuses to run twice; everything is
written in one transaction, so a failure leaves nothing behind.
"""

import datetime
import io
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from trappa.accounts.models import Department, Municipality, Role, Unit, User
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.demo.generator import GeneratorError, generate
from trappa.letters.models import LetterSettings
from trappa.people.models import Person, ServiceKind

# number: (name, slug, written standard, units as (code, name, departments as (code, name)))
MUNICIPALITIES = {
    "1824": (
        "Vefsn",
        "vefsn",
        "nb",
        (
            ("helsetjenesten", "Helsetjenesten", (("helsestasjon-eldre", "Helsestasjon for eldre"),)),
            ("hjemmetjenesten", "Hjemmetjenesten", ()),
            ("sykehjemstjenesten", "Sykehjemstjenesten", ()),
            ("miljoterapitjenesten", "Miljøterapitjenesten", ()),
            ("tjenestekontoret", "Tjenestekontoret", ()),
            ("folkehelse", "Folkehelse", ()),
            ("fysio-ergo", "Fysio- og ergoterapitjenesten", ()),
        ),
    ),
    # The four "virksomheter" of Nord-Aurdal's plan for health and care (seed 004, §4.2).
    "3451": (
        "Nord-Aurdal",
        "nord-aurdal",
        "nn",
        (
            ("omsorg-rehabilitering", "Omsorg og rehabilitering", (("fysio-ergo", "Fysio- og ergoterapi"),)),
            ("tilrettelagte-tenester", "Tilrettelagte tenester", ()),
            ("familiens-hus", "Familiens hus", (("helsestasjon", "Helsesøstertenesta"),)),
            ("vlms", "Valdres lokalmedisinske senter", ()),
        ),
    ),
}
DEMO_MUNICIPALITY = "1824"

# The contact block every demo letter prints (made up): (phone, email domain, address, postal code, place, hours).
DEMO_CONTACT = {
    "1824": ("75 10 10 00", "vefsn.kommune.no", "Kirkegata 1", "8656", "Mosjøen", "Mandag–fredag 08.00–15.30"),
    "3451": (
        "61 36 40 00",
        "nord-aurdal.kommune.no",
        "Fagernesvegen 1",
        "2900",
        "Fagernes",
        "Måndag–fredag 08.00–15.30",
    ),
}

# One demo user per role in Vefsn: (username, first name, last name, role, unit code, department code).
DEMO_USERS = (
    ("nurse", "Nina", "Sykepleier", Role.NURSE, "helsetjenesten", "helsestasjon-eldre"),
    ("therapist", "Terje", "Fysioterapeut", Role.THERAPIST, "fysio-ergo", None),
    ("course_leader", "Kari", "Kursleder", Role.COURSE_LEADER, "helsetjenesten", None),
    ("caseworker", "Siri", "Saksbehandler", Role.CASEWORKER, "tjenestekontoret", None),
    ("caregiver_coordinator", "Cora", "Pårørendekoordinator", Role.CAREGIVER_COORDINATOR, "tjenestekontoret", None),
    ("unit_leader", "Ulla", "Enhetsleder", Role.UNIT_LEADER, "helsetjenesten", None),
    ("planner", "Petter", "Planlegger", Role.PLANNER, None, None),
    ("administrator", "Ada", "Administrator", Role.ADMINISTRATOR, None, None),
)

# Nord-Aurdal's demo users: the home-training team's therapist, a nurse in Omsorg og
# rehabilitering (who holds its outreach list) and a planner, so it can be shown on par with Vefsn.
NORD_AURDAL = "3451"
NORD_AURDAL_USERS = (
    ("na_nurse", "Nora", "Sjukepleiar", Role.NURSE, "omsorg-rehabilitering", None),
    ("na_therapist", "Tor", "Fysioterapeut", Role.THERAPIST, "omsorg-rehabilitering", "fysio-ergo"),
    ("na_planner", "Pia", "Planleggjar", Role.PLANNER, None, None),
)

NEW_DECISION_DAYS = 90


class Command(BaseCommand):
    help = "Load the demo municipality (synthetic people, one user per role). Needs TRAPPA_DEMO=true."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=13_400, help="residents of Vefsn (default: 13400)")
        parser.add_argument(
            "--residents-nord-aurdal", type=int, default=6_400, help="residents of Nord-Aurdal (default: 6400)"
        )
        parser.add_argument("--seed", type=int, default=0, help="the population's random seed (default: 0)")
        parser.add_argument("--password", help="the demo users' password (default: a new random one)")

    def handle(self, *args, **options):
        started = time.monotonic()
        password = options["password"] or f"demo-{secrets.token_urlsafe(9)}"
        self.check_can_load(password)
        with transaction.atomic():
            municipality = self.organisation()
            users = self.users(municipality, password)
            self.population(municipality, options["residents"], options["seed"])
            nord_aurdal = Municipality.objects.get(number=NORD_AURDAL)
            users += self.users(nord_aurdal, password, NORD_AURDAL_USERS)
            self.population(nord_aurdal, options["residents_nord_aurdal"], options["seed"])
            self.worklists(municipality)
        self.report(users, password, time.monotonic() - started)

    def check_can_load(self, password):
        if not settings.DEMO:
            raise CommandError("load_demo runs only with TRAPPA_DEMO=true: it creates users with a printed password.")
        if not settings.ALLOW_SYNTHETIC_NATIONAL_IDS:
            raise CommandError("The demo's people have synthetic national IDs: set TRAPPA_ALLOW_SYNTHETIC_IDS=true.")
        names = [u[0] for u in DEMO_USERS + NORD_AURDAL_USERS]
        if (
            User.objects.filter(username__in=names).exists()
            or Person.objects.filter(municipality__number=DEMO_MUNICIPALITY).exists()
        ):
            raise CommandError(
                "The demo is already loaded (its users or people exist); it loads only into a database without it. "
                "`make demo` starts from a new database each time."
            )
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def organisation(self):
        """Both municipalities and their units; kept if already there (e.g. from load_catalogue)."""
        for number, (name, slug, standard, units) in MUNICIPALITIES.items():
            municipality, _ = Municipality.objects.get_or_create(
                number=number, defaults={"name": name, "slug": slug, "written_standard": standard}
            )
            for code, unit_name, departments in units:
                phone, domain, street, postal_code, place, hours = DEMO_CONTACT[number]
                contact = {
                    "phone": phone,
                    "email": f"{code}@{domain}",
                    "street_address": street,
                    "postal_code": postal_code,
                    "postal_place": place,
                    "opening_hours": hours,
                }
                unit, _ = Unit.objects.update_or_create(
                    municipality=municipality,
                    code=code,
                    defaults=contact,
                    create_defaults={"name": unit_name, **contact},
                )
                for dept_code, dept_name in departments:
                    Department.objects.get_or_create(unit=unit, code=dept_code, defaults={"name": dept_name})
            # The data protection officer every letter names (made up); the legal basis is Trappa's default.
            LetterSettings.objects.get_or_create(
                municipality=municipality,
                defaults={
                    "dpo_name": f"Personvernombudet i {name}",
                    "dpo_email": f"personvern@{DEMO_CONTACT[number][1]}",
                },
            )
        self.stdout.write("Municipalities and units: Vefsn, Nord-Aurdal.")
        return Municipality.objects.get(number=DEMO_MUNICIPALITY)

    def users(self, municipality, password, specs=DEMO_USERS):
        users = []
        for username, first, last, role, unit_code, dept_code in specs:
            unit = Unit.objects.get(municipality=municipality, code=unit_code) if unit_code else None
            department = Department.objects.get(unit=unit, code=dept_code) if dept_code else None
            users.append(
                User.objects.create_user(
                    username=username,
                    password=password,
                    first_name=first,
                    last_name=last,
                    role=role,
                    municipality=municipality,
                    unit=unit,
                    department=department,
                )
            )
        return users

    def population(self, municipality, residents, seed):
        try:
            population = generate(residents, seed, municipality.number, timezone.localdate())
        except GeneratorError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Generated {population.counts['residents']} synthetic residents of {municipality.name}.")
        with tempfile.TemporaryDirectory(prefix="trappa-demo-") as folder:
            paths = population.write(Path(folder))
            for kind in ("persons", "decisions", "relations"):
                out, started = io.StringIO(), time.monotonic()
                call_command(f"import_{kind}", str(paths[kind]), "--municipality", municipality.number, stdout=out)
                seconds = time.monotonic() - started
                self.stdout.write(f"Imported {kind} in {seconds:.1f} s: {out.getvalue().strip()}")

    def worklists(self, municipality):
        """Care relationships so the demo's staff have people to work with."""
        people = Person.objects.in_municipality(municipality).active().filter(municipality_number=municipality.number)
        rows = []
        for unit_code, kind, source, chosen in self.demo_relationships(people):
            unit = Unit.objects.get(municipality=municipality, code=unit_code)
            rows += [
                CareRelationship(person_id=pk, unit=unit, kind=kind, source=source)
                for pk in chosen.order_by().values_list("id", flat=True).distinct()
            ]
        CareRelationship.objects.bulk_create(rows, batch_size=1000)
        self.stdout.write(f"Worklists: {len(rows)} care relationships.")

    def demo_relationships(self, people):
        """(unit code, kind, source, persons) for each demo worklist."""
        today = timezone.localdate()
        since = today - datetime.timedelta(days=NEW_DECISION_DAYS)
        return (
            # The health station's worklist is built by outreach (`build_worklist`), with its reasons.
            # The service office follows up decisions made in the last three months (new safety alarms ...).
            (
                "tjenestekontoret",
                CareRelationshipKind.CASE,
                "demo:new-decision",
                people.filter(decisions__start_date__gte=since),
            ),
            # Physiotherapy and occupational therapy: referred after a short-term stay.
            (
                "fysio-ergo",
                CareRelationshipKind.REFERRAL,
                "demo:after-short-term-stay",
                people.filter(decisions__service=ServiceKind.SHORT_TERM_STAY, decisions__start_date__gte=since),
            ),
        )

    def report(self, users, password, seconds):
        self.stdout.write(f"\nThe demo is ready ({seconds:.0f} s): {settings.SITE_ROOT}\n")
        self.stdout.write(f"Every demo user has the password: {password}\n")
        width = max(len(u.username) for u in users)
        for user in users:
            where = user.unit.name if user.unit else user.municipality.name
            self.stdout.write(f"  {user.username:<{width}}  {user.get_role_display()} ({where})")
