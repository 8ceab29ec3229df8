"""Demo records for the service statistics: stays, individual plans, Frisklivssentralen,
assistive devices, mental-health pathways and Miljøterapitjenesten, reproducing seed 001.

Run after load_demo and load_catalogue (it uses the register and the offering
frisklivssentral). The figures are in trappa/demo/data/service_statistics.toml.
"""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from trappa.accounts.models import Municipality, Unit
from trappa.activity.models import Stay
from trappa.catalogue.models import Offering
from trappa.demo import activity

FIGURES = Path(__file__).resolve().parents[2] / "data" / "service_statistics.toml"


class Command(BaseCommand):
    help = "Load demo records that reproduce seed 001's service statistics (after load_demo and load_catalogue)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="1824", help="municipality number (default: 1824, Vefsn)")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']}: run load_demo first.")
        if Stay.objects.filter(ward__municipality=municipality).exists():
            raise CommandError("This municipality already has stays: the demo is loaded once.")
        offering = Offering.objects.filter(municipality=municipality, code="frisklivssentral").first()
        if offering is None:
            raise CommandError("Missing the offering frisklivssentral: run load_catalogue first.")
        figures = tomllib.loads(FIGURES.read_text(encoding="utf-8"))
        unit = offering.unit or Unit.objects.filter(municipality=municipality).first()
        pool = activity.Pool(municipality)
        on = figures["individual_plans"]["on"]
        builders = [
            ("stays", lambda: activity.stays(municipality, figures["stays"], pool)),
            ("individual plans", lambda: activity.individual_plans(municipality, figures["individual_plans"], pool)),
            (
                "Frisklivssentralen",
                lambda: activity.healthy_life(municipality, figures["healthy_life"], pool, offering, unit),
            ),
            ("assistive devices", lambda: activity.devices(municipality, figures["devices"], pool)),
            ("mental-health pathways", lambda: activity.mental_health(municipality, figures["mental_health"], pool)),
            (
                "Miljøterapitjenesten",
                lambda: activity.environmental_therapy(municipality, figures["environmental_therapy"], pool, on),
            ),
        ]
        for name, build in builders:
            try:
                with transaction.atomic():
                    build()
            except ValueError as error:
                # A small demo register (a test's) cannot hold every table: say which is left out.
                self.stderr.write(f"Skipped {name}: too few residents ({error}).")
                continue
            self.stdout.write(f"Service statistics: {name} loaded.")
