from django.core.management.base import BaseCommand, CommandError

from trappa.catalogue.loading import DataError, folders, load_folder


class Command(BaseCommand):
    help = "Load the catalogue and action plans from data/catalogue/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", metavar="NUMBER", help="only this municipality number, e.g. 1824")
        parser.add_argument(
            "--overwrite", action="store_true", help="let the files overwrite what staff changed on the staff pages"
        )

    def handle(self, *args, **options):
        try:
            for folder, data in folders(options["municipality"]):
                counts = load_folder(folder, data, overwrite=options["overwrite"])
                self.stdout.write(
                    f"{counts['municipality']}: {counts['steps']} steps, {counts['offerings']} offerings, "
                    f"{counts['plans']} action plans"
                )
                for line in counts["kept"]:
                    self.stdout.write(f"  {line}")
                if counts["kept"]:
                    self.stdout.write("  (--overwrite lets the files win)")
        except DataError as exc:
            raise CommandError(str(exc)) from None
