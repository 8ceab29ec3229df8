"""Import an SSB population projection file (table 14288/14746) from the command line.

The same import as the planning page's upload job (services.import_projection_file),
with the register import commands' progress bar on the terminal.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trappa.people.importing.progress import command_progress
from trappa.planning import services
from trappa.planning.ssb import SsbFormatError


class Command(BaseCommand):
    help = "Import an SSB projection file (table 14288 or 14746, json-stat2 or CSV); a bad file stores nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file from SSB's StatBank (json-stat2, or CSV with codes or texts)")
        parser.add_argument("--name", required=True, help="the projection's name on the planning page")
        parser.add_argument("--synthetic", action="store_true", help="mark the figures as synthetic (not SSB's)")
        parser.add_argument("--progress", action="store_true", help="draw a progress bar even when not on a terminal")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            with command_progress(self, forced=options["progress"]) as progress:
                # Streamed: a CSV is read line by line, never whole into memory.
                dataset, created = services.import_projection_path(
                    options["name"], path, synthetic=options["synthetic"], progress=progress
                )
        except SsbFormatError as exc:
            raise CommandError(
                _("The file could not be read: %(reason)s") % {"reason": exc} + " " + _("Nothing was stored.")
            ) from None
        count = dataset.series.count()
        for old, new in sorted(getattr(dataset, "renumbered", {}).items()):
            self.stdout.write(
                _("Municipality %(old)s is read as %(new)s, its number today.") % {"old": old, "new": new}
            )
        if created:
            self.stdout.write(
                _("Imported %(name)s: %(count)s municipalities, %(first)s–%(last)s (projection %(id)s).")
                % {
                    "name": dataset.name,
                    "count": count,
                    "first": dataset.first_year,
                    "last": dataset.last_year,
                    "id": dataset.pk,
                }
            )
        else:
            self.stdout.write(
                _("This file was imported before, as %(name)s (projection %(id)s); nothing new was stored.")
                % {"name": dataset.name, "id": dataset.pk}
            )
