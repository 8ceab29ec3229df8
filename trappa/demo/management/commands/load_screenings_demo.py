"""Demo home visits with screenings before and after, for persons the municipality's nurse follows.

No plan gives screening results: every visit and answer here is invented, and the visit pages
say so in the demo. The answers are the instruments' own named test cases (their files under
trappa/assessments/instruments/data/), scored again by the instrument engine; the visit goes
through the visit form's validation. Each person has a visit about half a year ago and one a
month ago, the second's result the same or better, as after a preventive measure.
"""

import datetime
import random
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from trappa.accounts.models import Municipality, Role, User
from trappa.assessments import screening
from trappa.assessments.forms import VisitForm
from trappa.assessments.instruments import get, score
from trappa.assessments.models import HomeVisit, Screening
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.people.models import Person

# The screenings of each demo visit; for SPPB a higher total is better, for the others a lower.
INSTRUMENTS = ("sppb", "steadi_stay_independent", "loneliness_3item", "gds_15")
HIGHER_IS_BETTER = {"sppb"}
BEFORE, AFTER = 200, 30  # days ago
DEMO_SOURCE = "demo: screenings"


class Command(BaseCommand):
    help = "Load invented home visits with screenings before and after (after build_worklist)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="1824", help="municipality number (default: 1824, Vefsn)")
        parser.add_argument("--persons", type=int, default=30, help="persons screened twice (default: 30)")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']}: run load_demo first.")
        if HomeVisit.objects.filter(municipality=municipality).exists():
            raise CommandError("This municipality already has home visits: the demo is loaded once.")
        nurse = User.objects.filter(municipality=municipality, role=Role.NURSE).order_by("pk").first()
        if nurse is None:
            raise CommandError("No nurse in this municipality: run load_demo first.")
        draws = random.Random(municipality.number)  # the same answers in every demo
        with transaction.atomic():
            persons = _followed(nurse, municipality, options["persons"])
            for person in persons:
                self._visits(person, nurse, draws)
        screenings = Screening.objects.filter(person__municipality=municipality).count()
        self.stdout.write(f"Home visits: {2 * len(persons)} to {len(persons)} persons, {screenings} screenings.")

    def _visits(self, person, nurse, draws):
        picks = {instrument_id: _before_and_after(instrument_id, draws) for instrument_id in INSTRUMENTS}
        today = timezone.localdate()
        for n, days in enumerate((BEFORE, AFTER)):
            visit = _visit(person, nurse, today - datetime.timedelta(days=days))
            scored = []
            for instrument_id, cases in picks.items():
                instrument = get(instrument_id)
                answers = cases[n].answers
                scored.append(screening.Scored(instrument, answers, result=score(instrument, answers)))
            Screening.objects.bulk_create([screening.stored(visit, s) for s in scored])


def _followed(nurse, municipality, count):
    """`count` persons the nurse may open (her worklist's or her unit's), so she can see their visits. Where
    her worklist holds fewer (Nord-Aurdal's rules find few in the demo), the oldest residents are referred
    to her unit, marked as the demo's in the relationship's source."""
    relationships = CareRelationship.objects.current().for_user(nurse)
    residents = Person.objects.active().filter(municipality=municipality)
    persons = list(residents.filter(pk__in=relationships.values("person_id")).order_by("pk")[:count])
    if len(persons) < count and nurse.unit_id:
        others = residents.exclude(pk__in=[p.pk for p in persons]).order_by("birth_date", "pk")
        for person in others[: count - len(persons)]:
            CareRelationship.objects.create(
                person=person, unit_id=nurse.unit_id, kind=CareRelationshipKind.REFERRAL, source=DEMO_SOURCE
            )
            persons.append(person)
    return persons


def _before_and_after(instrument_id, draws):
    """Two of the instrument's named cases with a total: the second the same or better than the first."""
    cases = [case for case in get(instrument_id).cases if case.total is not None and not case.errors]
    cases.sort(key=lambda case: case.total, reverse=instrument_id not in HIGHER_IS_BETTER)  # worst first
    before = draws.randrange(len(cases))
    return cases[before], cases[draws.randrange(before, len(cases))]


def _visit(person, nurse, on):
    """A home visit through the visit form's own validation (its date may not be in the future)."""
    data = {"visited_on": on.isoformat(), "idempotency_key": uuid.uuid4(), "what_matters": "(oppdiktet)"}
    form = VisitForm(data=data)
    if not form.is_valid():
        raise CommandError(f"The demo visit is refused: {form.errors.as_text()}")
    visit = form.save(commit=False)
    visit.person, visit.municipality, visit.visited_by = person, person.municipality, nurse
    visit.idempotency_key = form.cleaned_data["idempotency_key"]
    visit.save()
    return visit
