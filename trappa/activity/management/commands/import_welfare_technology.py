from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from trappa.activity.welfare_import import KIND, import_welfare_technology
from trappa.people.importing.progress import command_progress
from trappa.people.management.commands._importing import ImportCommand
from trappa.people.models import ImportStatus


class Command(ImportCommand):
    help = "Import a welfare-technology file (docs/register-format.md); a file with any bad row is rejected whole."
    kind = KIND

    def handle(self, *args, **options):
        # As the register's import commands, with this app's importer.
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        municipality = self._municipality(options["municipality"])
        with command_progress(self, forced=options["progress"]) as progress:
            batch = import_welfare_technology(
                str(path),
                municipality,
                dry_run=options["dry_run"],
                progress=progress,
                extracted_on=options["extracted_on"],
                allow_older=options["allow_older"],
            )
        if batch.status == ImportStatus.REJECTED:
            self._print_problems(batch)
            raise CommandError(
                _("The file was rejected: %(count)s bad row(s); nothing was written.") % {"count": batch.bad_rows}
            )
        self._print_summary(batch)
