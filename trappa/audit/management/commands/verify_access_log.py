"""Check the access log's hash chain and the sealed digests; exit 1 naming the first broken or missing entry."""

from django.core.management.base import BaseCommand, CommandError

from trappa.audit.integrity import verify


class Command(BaseCommand):
    help = "Check the access log's hash chain against the key and the sealed digests in TRAPPA_LOG_DIGEST_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database alias to check.")

    def handle(self, *args, database, **options):
        report = verify(database)
        if not report.intact:
            raise CommandError(f"The access log has been tampered with. {report.problems[0]}")
        self.stdout.write(
            f"The access log is intact: {report.entries} entries up to {report.last_seq}, "
            f"{report.digests} sealed digests match."
        )
