"""The worklist build on PostgreSQL, set-based: a handful of statements whatever the register's size.

The rules' queries (trappa/outreach/engine.py) are combined into one statement that fills a
temporary table with each matched person's reasons (in rule order) and best priority; the
worklist is then brought up to date from it with an anti-join (who left: their relationships
end, their entries go), an UPDATE of the entries whose reasons or priority changed, and an
`INSERT ... SELECT ... ON CONFLICT DO NOTHING` of the new entries whose care relationships are
written by the same statement. No person id passes through Python.
"""

import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from trappa.assessments.models import HomeVisit
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.outreach import engine
from trappa.outreach.models import CONCLUDED, Contact, WorklistEntry
from trappa.people.models import Person

FOUND = "outreach_worklist_found"


def apply(municipality, unit, ruleset, today, now, unit_source, sources):
    """Bring the worklist up to date; {on_list, added, changed, removed}."""
    entry = WorklistEntry._meta.db_table
    relation = CareRelationship._meta.db_table
    person = Person._meta.db_table
    kind = CareRelationshipKind.WORKLIST.value
    with connection.cursor() as cursor:
        on_list = _fill_found(cursor, municipality, ruleset, today)
        leaving = f"""SELECT e.person_id FROM {entry} e WHERE e.municipality_id = %s
            AND NOT EXISTS (SELECT 1 FROM {FOUND} f WHERE f.person_id = e.person_id)"""  # noqa: S608 (names only)
        cursor.execute(
            f"""UPDATE {relation} SET ended_at = %s, end_reason = %s
            WHERE kind = %s AND source = ANY(%s) AND ended_at IS NULL AND person_id IN ({leaving})""",  # noqa: S608 (names only)
            [now, "no longer on the worklist", kind, list(sources), municipality.pk],
        )
        cursor.execute(
            f"""DELETE FROM {entry} e WHERE e.municipality_id = %s
            AND NOT EXISTS (SELECT 1 FROM {FOUND} f WHERE f.person_id = e.person_id)""",  # noqa: S608 (names only)
            [municipality.pk],
        )
        removed = cursor.rowcount
        cursor.execute(
            f"""UPDATE {entry} e SET reasons = f.reasons, priority = f.priority, updated_at = %s
            FROM {FOUND} f WHERE f.person_id = e.person_id AND e.municipality_id = %s
            AND (e.reasons <> f.reasons OR e.priority <> f.priority)""",  # noqa: S608 (names only)
            [now, municipality.pk],
        )
        changed = cursor.rowcount
        _refresh_keys(cursor, municipality)
        # A person whose entry still belongs to another municipality (they moved, and that list was
        # not rebuilt yet) is skipped by ON CONFLICT; they join this list once the other drops them.
        cursor.execute(
            f"""WITH added AS (
                INSERT INTO {entry} (municipality_id, person_id, reasons, priority, added_at, updated_at,
                    birth_date, family_name, given_name, area)
                SELECT %s, f.person_id, f.reasons, f.priority, %s, %s, p.birth_date, p.family_name, p.given_name, p.area
                FROM {FOUND} f JOIN {person} p ON p.id = f.person_id
                WHERE NOT EXISTS (SELECT 1 FROM {entry} e WHERE e.person_id = f.person_id)
                ON CONFLICT (person_id) DO NOTHING
                RETURNING person_id
            )
            INSERT INTO {relation} (person_id, unit_id, kind, source, started_at, end_reason)
            SELECT person_id, %s, %s, %s, %s, '' FROM added""",  # noqa: S608 (names only)
            [municipality.pk, now, now, unit.pk, kind, unit_source, now],
        )
        added = cursor.rowcount
        cursor.execute(f"DROP TABLE {FOUND}")
    return {"on_list": on_list, "added": added, "changed": changed, "removed": removed}


def _refresh_keys(cursor, municipality):
    """The entries' copies of their person's sort and filter keys, where the register changed them."""
    entry, person = WorklistEntry._meta.db_table, Person._meta.db_table
    cursor.execute(
        f"""UPDATE {entry} e SET birth_date = p.birth_date, family_name = p.family_name,
            given_name = p.given_name, area = p.area
        FROM {person} p WHERE p.id = e.person_id AND e.municipality_id = %s
        AND (e.birth_date IS DISTINCT FROM p.birth_date OR e.family_name <> p.family_name
            OR e.given_name <> p.given_name OR e.area <> p.area)""",  # noqa: S608 (names only)
        [municipality.pk],
    )


def reason_counts(municipality):
    """{rule id: entries with it} for the municipality's worklist, counted in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT r.reason, count(*) FROM {WorklistEntry._meta.db_table} e,
            jsonb_array_elements_text(e.reasons) AS r(reason) WHERE e.municipality_id = %s GROUP BY r.reason""",  # noqa: S608 (names only)
            [municipality.pk],
        )
        return dict(cursor.fetchall())


def _fill_found(cursor, municipality, ruleset, today):
    """{person id: reasons, priority} of everyone on the list today, in a temporary table; how many."""
    base = engine.residents(municipality).filter(~_suppressed(municipality, ruleset, today))
    parts, params = [], []
    for order, rule in enumerate(ruleset.rules):
        sql, rule_params = base.filter(engine.rule_filter(rule, today)).values("pk").query.sql_with_params()
        rank = f"{order} AS ord, {int(rule.priority)} AS priority"
        parts.append(f"SELECT m.person_id, %s::text AS rule, {rank} FROM ({sql}) AS m(person_id)")  # noqa: S608 (Django's SQL)
        params += [rule.id, *rule_params]
    matches = " UNION ALL ".join(parts) or "SELECT NULL::bigint, NULL::text, 0, 0 WHERE false"
    cursor.execute(
        f"""CREATE TEMPORARY TABLE {FOUND} ON COMMIT DROP AS
        SELECT person_id, jsonb_agg(rule ORDER BY ord) AS reasons, min(priority) AS priority
        FROM ({matches}) matches GROUP BY person_id""",  # noqa: S608 (Django's SQL)
        params,
    )
    on_list = cursor.rowcount
    cursor.execute(f"ALTER TABLE {FOUND} ADD PRIMARY KEY (person_id)")
    cursor.execute(f"ANALYZE {FOUND}")
    return on_list


def _suppressed(municipality, ruleset, today):
    """The same people engine.suppressed_ids finds, as a condition on Person."""
    since = today - datetime.timedelta(days=ruleset.recent_contact_days)
    contacts = Contact.objects.filter(municipality=municipality, person=OuterRef("pk"))
    concluded = Q(do_not_contact=True) | Q(outcome__in=CONCLUDED, at__date__gte=since)
    visits = HomeVisit.objects.filter(municipality=municipality, person=OuterRef("pk"), visited_on__gte=since)
    return Q(Exists(contacts.filter(concluded))) | Q(Exists(visits))
