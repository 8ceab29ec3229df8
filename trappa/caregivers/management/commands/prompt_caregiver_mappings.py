from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trappa.accounts.models import Municipality
from trappa.caregivers.transitions import prompt_mappings


class Command(BaseCommand):
    help = "Prompt caregiver mappings for recipients who started a service or moved between levels of care."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="Municipality number, e.g. 1824.")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with number {options['municipality']}.")
        created = prompt_mappings(municipality, timezone.localdate())
        self.stdout.write(f"{created} mapping prompts created.")
