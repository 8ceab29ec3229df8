"""Give the application's PostgreSQL role what it needs, and no more, on the append-only tables.

Production uses two roles (README, "Two database roles"): the owner, which runs
`migrate` (and `apply_log_retention`) and owns every table, and the application
role the web server and the worker log in as. This command, run as the owner
after every `migrate`, lets the application role read and write the ordinary
tables but only INSERT and SELECT the access log and the role history (and only
SELECT the retention summaries): it cannot TRUNCATE them, UPDATE or DELETE rows,
or touch the triggers, which only an owner may alter.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from psycopg import sql

from trappa.accounts.models import RoleEvent
from trappa.audit.models import AccessLogEntry, AccessLogRetention

# table -> the only privileges the application role keeps on it
APPEND_ONLY = {
    AccessLogEntry._meta.db_table: "SELECT, INSERT",
    RoleEvent._meta.db_table: "SELECT, INSERT",
    AccessLogRetention._meta.db_table: "SELECT",
}


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role its privileges: INSERT/SELECT only on the access log."

    def add_arguments(self, parser):
        parser.add_argument("role", help="The application role (it must exist: CREATE ROLE ... LOGIN).")
        parser.add_argument("--database", default="default")

    def handle(self, *args, role, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only")
        name = sql.Identifier(role)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        ]
        for table, keep in APPEND_ONLY.items():
            statements.append(sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), name))
            statements.append(sql.SQL("GRANT " + keep + " ON {} TO {}").format(sql.Identifier(table), name))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.as_string(cursor.connection))
        self.stdout.write(f"{role}: reads and writes every table; the access log and role history INSERT/SELECT only.")
