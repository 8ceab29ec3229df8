"""The access log becomes a hash chain (trappa/audit/chain.py): every entry gets its
place (`seq`) and an HMAC over the previous entry's hash and its own content.
Entries written before this migration are linked here, oldest first, with the key
of the environment that runs it. A retention summary table follows the log, and
is append-only like it on PostgreSQL.
"""

import django.utils.timezone
from django.db import migrations, models

from trappa.audit import chain

TABLE = "audit_accesslogentry"

RETENTION_TRIGGER = """
CREATE TRIGGER trappa_access_log_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslogretention
    FOR EACH ROW EXECUTE FUNCTION trappa_access_log_append_only();
"""


def link_existing_entries(apps, schema_editor):
    entry_model = apps.get_model("audit", "AccessLogEntry")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:  # the migration runs as the table owner, who may lift the trigger inside this transaction
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER trappa_access_log_append_only")
    previous = chain.GENESIS
    for seq, entry in enumerate(entry_model.objects.order_by("at", "id").iterator(), start=1):
        entry.seq = seq
        entry.chain_hash = previous = chain.entry_hash(entry, previous)
        entry.save(update_fields=["seq", "chain_hash"])
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER trappa_access_log_append_only")


def retention_trigger(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_emergency_access_category"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(link_existing_entries, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="accesslogentry",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True),
        ),
        migrations.CreateModel(
            name="AccessLogRetention",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("removed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("cutoff", models.DateTimeField()),
                ("first_seq", models.BigIntegerField()),
                ("last_seq", models.BigIntegerField(unique=True)),
                ("count", models.BigIntegerField()),
                ("first_at", models.DateTimeField()),
                ("last_at", models.DateTimeField()),
                ("last_hash", models.CharField(max_length=64)),
                ("seal", models.CharField(max_length=64)),
            ],
            options={"ordering": ["last_seq"]},
        ),
        migrations.RunPython(
            retention_trigger(RETENTION_TRIGGER),
            retention_trigger("DROP TRIGGER IF EXISTS trappa_access_log_append_only ON audit_accesslogretention"),
            elidable=False,
        ),
    ]
