"""Nightly: offered seats not answered by their date expire, and each freed seat goes to the next.

An offer of a freed seat must be answered by its answer-by date (the group's days to answer,
else the municipality's letter setting). Run every night (README, "Production"); safe to run
again: an offer is expired once, and one answered meanwhile is left alone.
"""

from django.core.management.base import BaseCommand, CommandError

from trappa.accounts.models import Municipality
from trappa.referrals.services import expire_overdue_offers


class Command(BaseCommand):
    help = "Expire offered seats not answered by their date and offer them to the next (run nightly)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the municipality number, e.g. 1824")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with number {options['municipality']}")
        expired = expire_overdue_offers(municipality)
        self.stdout.write(f"{expired} offered seat(s) expired unanswered and offered to the next.")
