"""The whole demo in one command, as `make demo` runs it: the people register
and users (people), the catalogue, the health station's worklist, and the
demo data of every later step. It lives in the demo app, the top layer,
which may depend on all the others."""

import io
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

VEFSN = "1824"
NORD_AURDAL = "3451"


class Command(BaseCommand):
    help = "Set up the whole demo (needs TRAPPA_DEMO=true and an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=13_400, help="residents of Vefsn (default: 13400)")
        parser.add_argument(
            "--residents-nord-aurdal", type=int, default=6_400, help="residents of Nord-Aurdal (default: 6400)"
        )
        parser.add_argument("--password", help="the demo users' password (default: a new random one)")

    def handle(self, *args, **options):
        started = time.monotonic()
        demo_args = ["--residents", str(options["residents"])]
        demo_args += ["--residents-nord-aurdal", str(options["residents_nord_aurdal"])]
        if options["password"]:
            demo_args += ["--password", options["password"]]
        logins = io.StringIO()
        call_command("load_demo", *demo_args, stdout=logins, stderr=self.stderr)
        self.stdout.write(f"-- load_demo: {time.monotonic() - started:.1f} s")
        for name, args in self.steps():
            step = time.monotonic()
            self.stdout.write(f"== {name}")
            call_command(name, *args, stdout=self.stdout, stderr=self.stderr)
            # Each step's time, so that a slow one at a large --residents shows (benchmarks/load.py).
            self.stdout.write(f"-- {name}: {time.monotonic() - step:.1f} s")
        # Fresh planner statistics for everything just loaded: without them the first pages are planned
        # as if the tables were empty (the worklist's first page at 700,000 residents: 0.8 s, not 5 ms).
        step = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"-- analyze: {time.monotonic() - step:.1f} s")
        # The logins last, so they are what the person starting the demo sees.
        self.stdout.write(logins.getvalue())
        self.stdout.write(f"All demo data loaded in {time.monotonic() - started:.0f} s.")

    def steps(self):
        """What follows load_demo (the register and the users)."""
        return [
            ("load_catalogue", []),
            ("build_worklist", ["--municipality", VEFSN]),
            ("build_worklist", ["--municipality", NORD_AURDAL]),
            ("load_planning_demo", []),
            ("load_referrals_demo", ["--municipality", VEFSN]),
            ("load_referrals_demo", ["--municipality", NORD_AURDAL]),
            ("load_volunteers_demo", ["--municipality", VEFSN]),
            ("load_daycare_demo", ["--municipality", VEFSN]),
            ("load_caregivers_demo", ["--municipality", VEFSN]),
            ("load_activity_demo", ["--municipality", VEFSN]),
            ("load_screenings_demo", ["--municipality", VEFSN]),
            ("load_screenings_demo", ["--municipality", NORD_AURDAL, "--persons", "12"]),
        ]
