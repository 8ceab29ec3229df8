"""Write a synthetic municipality as the three register files Trappa imports."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trappa.demo.generator import GeneratorError, generate


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Generate a synthetic population (synthetic national IDs only) and write persons.csv, "
        "decisions.csv and relations.csv in the layouts of docs/register-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=13_400, help="living residents (default: 13400)")
        parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same files (default: 0)")
        parser.add_argument("--municipality", default="1824", help="municipality number (default: 1824 Vefsn)")
        parser.add_argument("--as-of", help="the extract's date, YYYY-MM-DD (default: today)")
        parser.add_argument("--out", required=True, help="the folder to write the three files to")

    def handle(self, *args, **options):
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        try:
            population = generate(options["residents"], options["seed"], options["municipality"], as_of)
        except GeneratorError as exc:
            raise CommandError(str(exc)) from None
        try:
            paths = population.write(options["out"])
        except OSError as exc:
            raise CommandError(f"Could not write to {options['out']}: {exc.strerror}") from None
        counts = population.counts
        self.stdout.write(
            f"{counts['residents']} residents, {counts['deceased']} deceased, {counts['moved_out']} moved out, "
            f"{counts['living_elsewhere']} caregivers living elsewhere; {counts['decisions']} decisions, "
            f"{counts['caregiver_links']} caregiver links."
        )
        for path in paths.values():
            self.stdout.write(f"Wrote {path}")
