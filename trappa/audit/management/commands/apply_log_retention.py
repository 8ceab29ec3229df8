"""Remove access log entries older than the retention period, recording a sealed summary of what went.

The only way an entry ever leaves the log. On PostgreSQL it runs as the table
owner (the role that runs `migrate`): the application role may not delete.
"""

from django.core.management.base import BaseCommand, CommandError

from trappa.audit.integrity import apply_retention, verify


class Command(BaseCommand):
    help = "Remove access log entries older than TRAPPA_ACCESS_LOG_RETENTION_DAYS and seal a summary."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Keep this many days instead of the setting.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed, remove nothing.")
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, days, dry_run, database, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        report = verify(database)
        if not report.intact:
            raise CommandError(f"Nothing removed: the access log has been tampered with. {report.problems[0]}")
        retention = apply_retention(days, database, dry_run)
        if retention is None:
            self.stdout.write("No access log entry is older than the retention period.")
            return
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {retention.count} entries ({retention.first_seq} to {retention.last_seq}, "
            f"logged {retention.first_at:%Y-%m-%d} to {retention.last_at:%Y-%m-%d})."
        )
