import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trappa.accounts.models import Municipality
from trappa.outreach.worklist import WorklistError, build


class Command(BaseCommand):
    help = "Build the health station's worklist from the municipality's outreach rules (data/outreach/<slug>/)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the municipality number, e.g. 1824")
        parser.add_argument("--force", action="store_true", help="build even if nothing the list is built from changed")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(_("No municipality with number %(number)s") % {"number": options["municipality"]})
        started = time.monotonic()
        try:
            summary = build(municipality, force=options["force"])
        except WorklistError as exc:
            raise CommandError(str(exc)) from None
        if summary.unchanged:
            text = _(
                "%(on_list)s on the worklist: nothing it is built from changed since the last build (%(seconds).1f s)."
            )
            self.stdout.write(text % {"on_list": summary.on_list, "seconds": time.monotonic() - started})
            return
        self.stdout.write(
            _(
                "%(on_list)s on the worklist: %(added)s added, %(changed)s changed, %(removed)s removed "
                "(%(seconds).1f s)."
            )
            % {**vars(summary), "seconds": time.monotonic() - started}
        )
