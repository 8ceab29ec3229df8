"""The worklist build on PostgreSQL, set-based: a handful of statements whatever the register's size.

The rules' queries (trappa/outreach/engine.py) are combined into one statement that fills a
temporary table with each matched person's reasons (in rule order), best priority and sort and
filter keys, leaving out once whoever is left alone; the worklist is then brought up to date from
it with an anti-join (who left: their relationships end, their entries go), one UPDATE of only the
entries whose reasons, priority or keys differ (an unchanged build writes no entry), and an
`INSERT ... SELECT ... ON CONFLICT DO NOTHING` of the new entries whose care relationships are
written by the same statement. No person id passes through Python.

A build whose inputs (`inputs`) are those of the last one stops at once: it would change nothing."""

import datetime
import hashlib
from pathlib import Path

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from trappa.assessments.models import HomeVisit
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.outreach import engine
from trappa.outreach.models import CONCLUDED, Contact, WorklistEntry

FOUND = "outreach_worklist_found"
NEW = "outreach_worklist_new"
# The person's sort and filter keys the entries copy (trappa/outreach/listing.py), one value per person.
KEYS = ("birth_date", "family_name", "given_name", "area")
# The code that turns rules into SQL: a new version may find other people in the same register.
CODE = hashlib.sha256(Path(engine.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()[:16]


def inputs(municipality, unit, ruleset, today):
    """Everything the build's result depends on, as text; "" when it cannot be told (a write is under way).

    The writes to every table the rules read are counted by a sequence (migration outreach 0005), read
    here before the build's first query, so a write the build does not see is counted after it. The
    others: the day (the age rules; `active()` reads the real one), the municipality, the holding unit,
    the rules and the code that turns them into SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT outreach_worklist_inputs_seen()")
        writes = cursor.fetchone()[0]
    if writes is None:
        return ""
    rules = hashlib.sha256(repr(ruleset).encode()).hexdigest()[:16]
    days = f"{today.isoformat()}/{timezone.localdate().isoformat()}"
    return f"{writes} {days} {municipality.pk}:{municipality.number} {unit.pk} {rules} {CODE}"


def apply(municipality, unit, ruleset, today, now, unit_source, sources):
    """Bring the worklist up to date; {on_list, added, changed, removed, waiting}.

    `waiting`: found, but their entry still belongs to another municipality's list."""
    entry = WorklistEntry._meta.db_table
    relation = CareRelationship._meta.db_table
    kind = CareRelationshipKind.WORKLIST.value
    with connection.cursor() as cursor:
        # The rules' union is costed past jit_above_cost, and compiling it took longer than running it
        # (1.0 s of 2.6 s at 300,000 residents): these statements are planned and run once a night.
        cursor.execute("SET LOCAL jit = off")
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
        # One pass over the entries that stay: new reasons or priority (which alone count as a change and
        # move updated_at), and the copies of the person's sort and filter keys, which the rules' queries
        # read with the ids. An unchanged entry is not written at all.
        cursor.execute(
            f"""WITH stale AS (
                SELECT e.id, f.reasons, f.priority, f.birth_date, f.family_name, f.given_name, f.area,
                    (e.reasons <> f.reasons OR e.priority <> f.priority) AS new_reasons
                FROM {entry} e JOIN {FOUND} f ON f.person_id = e.person_id
                WHERE e.municipality_id = %s
                AND (e.reasons, e.priority, e.birth_date, e.family_name, e.given_name, e.area)
                    IS DISTINCT FROM (f.reasons, f.priority, f.birth_date, f.family_name, f.given_name, f.area)
            ), written AS (
                UPDATE {entry} e SET reasons = s.reasons, priority = s.priority, birth_date = s.birth_date,
                    family_name = s.family_name, given_name = s.given_name, area = s.area,
                    updated_at = CASE WHEN s.new_reasons THEN %s ELSE e.updated_at END
                FROM stale s WHERE e.id = s.id
                RETURNING s.new_reasons
            )
            SELECT count(*) FILTER (WHERE new_reasons) FROM written""",  # noqa: S608 (names only)
            [municipality.pk, now],
        )
        changed = cursor.fetchone()[0]
        # Who has no entry yet, found by a statement of its own before anything is inserted: an anti-join
        # inside the INSERT would read the table it writes, and on a new (empty, so planned as a nested
        # loop) worklist rescans every page inserted so far for each person, quadratic in the list.
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {NEW} ON COMMIT DROP AS SELECT f.*
            FROM {FOUND} f WHERE NOT EXISTS (SELECT 1 FROM {entry} e WHERE e.person_id = f.person_id)"""  # noqa: S608 (names only)
        )
        new = cursor.rowcount
        # A person whose entry still belongs to another municipality (they moved, and that list was
        # not rebuilt yet) is skipped by ON CONFLICT; they join this list once the other drops them.
        cursor.execute(
            f"""WITH added AS (
                INSERT INTO {entry} (municipality_id, person_id, reasons, priority, added_at, updated_at,
                    birth_date, family_name, given_name, area)
                SELECT %s, person_id, reasons, priority, %s, %s, birth_date, family_name, given_name, area FROM {NEW}
                ON CONFLICT (person_id) DO NOTHING
                RETURNING person_id
            )
            INSERT INTO {relation} (person_id, unit_id, kind, source, started_at, end_reason)
            SELECT person_id, %s, %s, %s, %s, '' FROM added""",  # noqa: S608 (names only)
            [municipality.pk, now, now, unit.pk, kind, unit_source, now],
        )
        added = cursor.rowcount
        cursor.execute(f"DROP TABLE {FOUND}, {NEW}")
    return {"on_list": on_list, "added": added, "changed": changed, "removed": removed, "waiting": new - added}


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
    base = engine.residents(municipality)
    parts, params = [], []
    for order, rule in enumerate(ruleset.rules):
        # No ORDER BY (Person's default order): each rule's ids are grouped below, a sort per rule is wasted.
        matches = base.filter(engine.rule_filter(rule, today)).order_by().values("pk", *KEYS)
        sql, rule_params = matches.query.sql_with_params()
        rank = f"{order} AS ord, {int(rule.priority)} AS priority"
        parts.append(f"SELECT m.*, %s::text AS rule, {rank} FROM ({sql}) AS m(person_id, {', '.join(KEYS)})")  # noqa: S608 (Django's SQL)
        params += [rule.id, *rule_params]
    empty = "SELECT NULL::bigint, NULL::date, NULL::text, NULL::text, NULL::text, NULL::text, 0, 0 WHERE false"
    matches = " UNION ALL ".join(parts) or empty
    # Who is left alone is found once, and taken out of every rule's matches by one anti-join, instead
    # of two correlated subqueries per person in every rule.
    suppressed, suppressed_params = _suppressed(municipality, ruleset, today)
    cursor.execute(
        f"""CREATE TEMPORARY TABLE {FOUND} ON COMMIT DROP AS
        SELECT person_id, jsonb_agg(rule ORDER BY ord) AS reasons, min(priority) AS priority,
            {", ".join(f"min({k}) AS {k}" for k in KEYS)}
        FROM ({matches}) matches
        WHERE NOT EXISTS (SELECT 1 FROM ({suppressed}) s(person_id) WHERE s.person_id = matches.person_id)
        GROUP BY person_id""",  # noqa: S608 (Django's SQL)
        [*params, *suppressed_params],
    )
    on_list = cursor.rowcount
    cursor.execute(f"ALTER TABLE {FOUND} ADD PRIMARY KEY (person_id)")
    # The joins on it need only its size and the ids' statistics, not those of the reasons and names.
    cursor.execute(f"ANALYZE {FOUND} (person_id)")
    return on_list


def _suppressed(municipality, ruleset, today):
    """The same people engine.suppressed_ids finds, as SQL for their ids and its parameters."""
    since = today - datetime.timedelta(days=ruleset.recent_contact_days)
    concluded = Q(do_not_contact=True) | Q(outcome__in=CONCLUDED, at__date__gte=since)
    contacts = Contact.objects.filter(municipality=municipality).filter(concluded).order_by().values("person_id")
    visits = HomeVisit.objects.filter(municipality=municipality, visited_on__gte=since).order_by().values("person_id")
    (contacts_sql, contacts_params), (visits_sql, visits_params) = (
        contacts.query.sql_with_params(),
        visits.query.sql_with_params(),
    )
    return f"{contacts_sql} UNION ALL {visits_sql}", [*contacts_params, *visits_params]
