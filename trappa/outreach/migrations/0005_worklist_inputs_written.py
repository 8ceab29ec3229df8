"""On PostgreSQL, count the writes to every table the worklist rules read, so that a build can tell
at once that nothing it is built from has changed since the last one (#17, trappa/outreach/sql_build.py).

Every statement that writes one of those tables (INSERT, UPDATE, DELETE, TRUNCATE) bumps a sequence
from a statement-level trigger. Sequences are not transactional, so writers never wait for each
other; a write that is rolled back only makes the next build a needless full one. Before it bumps,
the writer takes a shared advisory lock held to the end of its transaction: a build that cannot take
the same lock exclusively for a moment knows that a write it might not see yet is under way, and
builds in full. The function `outreach_worklist_inputs_seen()` reads the sequence that way.
SQLite gets nothing: there the build always runs in full.
"""

from django.db import migrations, models

SEQUENCE = "outreach_worklist_inputs"
# zlib.crc32(b"trappa-outreach-inputs") & 0x7FFFFFFF, the first key of the two-key advisory lock.
LOCK = "1839047060, 0"
# The tables the rules and the build read (tests/outreach/test_build_inputs.py finds them in a real build).
TABLES = (
    "accounts_municipality",
    "accounts_unit",
    "assessments_homevisit",
    "assessments_screening",
    "outreach_contact",
    "outreach_disabilitybenefit",
    "outreach_dischargenotice",
    "outreach_medicinelist",
    "people_person",
    "people_personrelation",
    "people_servicedecision",
    "people_welfaretechnology",
)

FUNCTIONS = f"""
CREATE SEQUENCE {SEQUENCE};

CREATE FUNCTION outreach_worklist_input_written() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({LOCK});
    PERFORM nextval('{SEQUENCE}');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- The sequence's value once no write to the inputs is under way; NULL while one is.
CREATE FUNCTION outreach_worklist_inputs_seen() RETURNS bigint AS $$
DECLARE
    seen bigint;
BEGIN
    IF NOT pg_try_advisory_lock({LOCK}) THEN
        RETURN NULL;
    END IF;
    BEGIN
        SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO seen FROM {SEQUENCE};
    EXCEPTION WHEN OTHERS THEN
        PERFORM pg_advisory_unlock({LOCK});  -- a session lock outlives the error: never keep it
        RAISE;
    END;
    PERFORM pg_advisory_unlock({LOCK});
    RETURN seen;
END;
$$ LANGUAGE plpgsql;
"""  # noqa: S608 (names only)
TRIGGER = """
CREATE TRIGGER outreach_worklist_inputs AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {}
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_worklist_input_written();
"""
CREATE = FUNCTIONS + "".join(TRIGGER.format(table) for table in TABLES)

DROP = "".join(f"DROP TRIGGER IF EXISTS outreach_worklist_inputs ON {table};\n" for table in TABLES) + (
    f"""
DROP FUNCTION IF EXISTS outreach_worklist_inputs_seen();
DROP FUNCTION IF EXISTS outreach_worklist_input_written();
DROP SEQUENCE IF EXISTS {SEQUENCE};
"""
)


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_role_proposals_and_history"),
        ("assessments", "0001_initial"),
        ("people", "0008_person_indexes"),
        ("outreach", "0004_worklist_entry_indexes_in_the_page_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="worklistcounts",
            name="inputs",
            field=models.CharField(blank=True, db_default="", default="", max_length=200),
        ),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
