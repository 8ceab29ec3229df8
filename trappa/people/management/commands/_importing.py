"""What import_persons, import_decisions and import_relations share."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trappa.accounts.models import Municipality
from trappa.people.importing import import_file
from trappa.people.importing.progress import TerminalProgress
from trappa.people.importing.report import MAX_REPORTED
from trappa.people.models import ImportStatus


class ImportCommand(BaseCommand):
    kind = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (see docs/register-format.md)")
        parser.add_argument("--municipality", required=True, help="the municipality number, e.g. 1824")
        parser.add_argument("--dry-run", action="store_true", help="check and compare, write nothing")
        parser.add_argument("--progress", action="store_true", help="draw a progress bar even when not on a terminal")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        municipality = self._municipality(options["municipality"])
        progress = None
        if options["progress"] or sys.stderr.isatty():
            progress = TerminalProgress(self.stderr._out)
        try:
            batch = import_file(self.kind, str(path), municipality, dry_run=options["dry_run"], progress=progress)
        finally:
            if progress:
                progress.close()
        if batch.status == ImportStatus.REJECTED:
            self._print_problems(batch)
            raise CommandError(f"The file was rejected: {batch.bad_rows} bad row(s); nothing was written.")
        self._print_summary(batch)

    def _municipality(self, number):
        try:
            return Municipality.objects.get(number=number)
        except Municipality.DoesNotExist:
            raise CommandError(f"No municipality with number {number!r}") from None

    def _print_problems(self, batch):
        for problem in batch.errors:
            column = problem["column"] or "-"
            self.stderr.write(f"line {problem['line']}, column {column}: {problem['reason']}")
        if len(batch.errors) >= MAX_REPORTED:
            self.stderr.write(f"Only the first {MAX_REPORTED} problems are listed.")

    def _print_summary(self, batch):
        prefix = "Dry run, nothing written: " if batch.dry_run else ""
        self.stdout.write(
            f"{prefix}{batch.rows} rows: {batch.created} created, {batch.updated} updated, "
            f"{batch.unchanged} unchanged, {batch.ended_follow_up} ended follow-up (import {batch.pk})."
        )
