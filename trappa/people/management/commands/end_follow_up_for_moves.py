"""Nightly: end follow-up for persons whose move out of the municipality has taken effect.

A register extract may carry a move dated in the future; it takes effect on its date, not at
the import. Run every night (README, "Production"); safe to run again: only persons who still
have a care relationship running are ended.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trappa.accounts.models import Municipality
from trappa.audit.models import CareRelationship
from trappa.people.models import Person
from trappa.people.signals import MOVED, follow_up_ended


class Command(BaseCommand):
    help = "End follow-up for persons whose move out has taken effect (run nightly)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the municipality number, e.g. 1824")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with number {options['municipality']}")
        today = timezone.localdate()
        followed = CareRelationship.objects.current().values("person_id")
        q = Person.objects.filter(municipality=municipality, date_moved_out__lte=today, pk__in=followed)
        ended = 0
        for person in q.iterator():
            follow_up_ended.send(sender=Person, person=person, reason=MOVED, date=person.date_moved_out)
            ended += 1
        self.stdout.write(f"{ended} person(s) moved out: follow-up ended.")
