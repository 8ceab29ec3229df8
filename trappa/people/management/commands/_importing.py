"""What import_persons, import_decisions and import_relations share."""

import argparse
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trappa.accounts.models import Municipality
from trappa.people.importing import import_file
from trappa.people.importing.progress import command_progress
from trappa.people.importing.report import MAX_REPORTED
from trappa.people.models import ImportStatus


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


class ImportCommand(BaseCommand):
    kind = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (see docs/register-format.md)")
        parser.add_argument("--municipality", required=True, help="the municipality number, e.g. 1824")
        parser.add_argument("--dry-run", action="store_true", help="check and compare, write nothing")
        parser.add_argument("--progress", action="store_true", help="draw a progress bar even when not on a terminal")
        parser.add_argument(
            "--extracted-on",
            type=_date,
            help="when the register extracted the file, YYYY-MM-DD (default: its name)",
        )
        parser.add_argument(
            "--allow-older", action="store_true", help="import a file extracted before the last one imported"
        )
        parser.add_argument("--correct-deaths", default="", metavar="REASON", help="allow undoing deaths, and why")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        municipality = self._municipality(options["municipality"])
        with command_progress(self, forced=options["progress"]) as progress:
            batch = import_file(
                self.kind,
                str(path),
                municipality,
                dry_run=options["dry_run"],
                progress=progress,
                extracted_on=options["extracted_on"],
                allow_older=options["allow_older"],
                correction_reason=options["correct_deaths"],
            )
        if batch.status == ImportStatus.REJECTED:
            self._print_problems(batch)
            raise CommandError(
                _("The file was rejected: %(count)s bad row(s); nothing was written.") % {"count": batch.bad_rows}
            )
        self._print_summary(batch)

    def _municipality(self, number):
        try:
            return Municipality.objects.get(number=number)
        except Municipality.DoesNotExist:
            raise CommandError(_("No municipality with number %(number)s") % {"number": number}) from None

    def _print_problems(self, batch):
        for problem in batch.errors:
            self.stderr.write(
                _("line %(line)s, column %(column)s: %(reason)s")
                % {"line": problem["line"], "column": problem["column"] or "-", "reason": _(problem["reason"])}
            )
        if len(batch.errors) >= MAX_REPORTED:
            self.stderr.write(_("Only the first %(count)s problems are listed.") % {"count": MAX_REPORTED})

    def _print_summary(self, batch):
        summary = _(
            "%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(ended_follow_up)s ended follow-up (import %(id)s)."
        ) % {
            "rows": batch.rows,
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "ended_follow_up": batch.ended_follow_up,
            "id": batch.pk,
        }
        if batch.dry_run:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
