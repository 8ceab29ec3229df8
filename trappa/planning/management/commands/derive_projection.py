"""Derive a population projection from a municipality's own register (register_population.py)."""

from django.core.management.base import BaseCommand, CommandError

from trappa.accounts.models import Municipality
from trappa.planning import register_population


class Command(BaseCommand):
    help = "Derive a population projection (cohort-component) from the municipality's own register."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="municipality number, e.g. 1824")
        parser.add_argument(
            "--horizon",
            type=int,
            default=register_population.DEFAULT_HORIZON,
            help=f"last year (default: {register_population.DEFAULT_HORIZON})",
        )

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']} in Trappa.")
        try:
            dataset, created = register_population.derive_projection(municipality, horizon=options["horizon"])
        except register_population.RegisterPopulationError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(("Derived" if created else "Unchanged register, already derived") + f": {dataset}")
        for line in dataset.assumption_lines():
            self.stdout.write(f"  {line}")
