"""Verify the access log, then seal today's digest (last entry, its hash, the count) outside the database."""

from django.core.management.base import BaseCommand, CommandError

from trappa.audit.integrity import verify, write_digest


class Command(BaseCommand):
    help = "Verify the access log and write today's sealed digest into TRAPPA_LOG_DIGEST_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database alias to seal.")

    def handle(self, *args, database, **options):
        report = verify(database)
        if not report.intact:
            # Sealing a tampered log would vouch for it: stop, and leave the last good digest as it is.
            raise CommandError(f"Not sealed: the access log has been tampered with. {report.problems[0]}")
        path = write_digest(report, database)
        self.stdout.write(f"Sealed {report.entries} entries up to {report.last_seq} in {path}.")
