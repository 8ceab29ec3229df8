from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trappa.accounts.models import Municipality
from trappa.outreach.medicine_import import import_medicine_lists
from trappa.people.models import ImportStatus


class Command(BaseCommand):
    help = (
        "Import medicine lists from the GP or home service: counts of regular medicines and diagnoses "
        "(docs/register-format.md); a file with any bad row is rejected whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--municipality", required=True, help="the municipality number, e.g. 1824")
        parser.add_argument("--dry-run", action="store_true", help="check and compare, write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(_("No municipality with number %(number)s") % {"number": options["municipality"]})
        batch = import_medicine_lists(str(path), municipality, dry_run=options["dry_run"])
        if batch.status == ImportStatus.REJECTED:
            for problem in batch.errors:
                self.stderr.write(
                    _("line %(line)s, column %(column)s: %(reason)s")
                    % {"line": problem["line"], "column": problem["column"] or "-", "reason": _(problem["reason"])}
                )
            raise CommandError(
                _("The file was rejected: %(count)s bad row(s); nothing was written.") % {"count": batch.bad_rows}
            )
        self.stdout.write(
            _("%(rows)s rows: %(created)s new, %(updated)s changed, %(unchanged)s already known (import %(id)s).")
            % {
                "rows": batch.rows,
                "created": batch.created,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
                "id": batch.pk,
            }
        )
