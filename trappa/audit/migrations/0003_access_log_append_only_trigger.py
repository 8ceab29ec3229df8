"""On PostgreSQL, refuse UPDATE and DELETE of access log rows in the database
itself, so not even raw SQL or another program can rewrite the log.

TRUNCATE is left alone on purpose: Django's test flush uses it, and TRUNCATE
needs table-owner rights a production application role should not have.
SQLite gets no trigger: it is for the demo and development only.
"""

from django.db import migrations

TABLE = "audit_accesslogentry"

CREATE = f"""
CREATE OR REPLACE FUNCTION trappa_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trappa_access_log_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION trappa_access_log_append_only();
"""

DROP = f"""
DROP TRIGGER IF EXISTS trappa_access_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS trappa_access_log_append_only();
"""


def _run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # None: the "%" in RAISE is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_access_log_care_relationship"),
    ]

    operations = [
        migrations.RunPython(_run_on_postgresql(CREATE), _run_on_postgresql(DROP), elidable=False),
    ]
