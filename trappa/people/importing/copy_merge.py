"""The persons file's second pass on PostgreSQL: COPY into a staging table, then a set-based merge.

The first pass (PersonImporter.check_file) has found the file good, in bulk or row by row, with
every problem named by line and column; nothing here changes that. This pass streams the checked values into a
temporary table with COPY and brings the register up to date with a few statements whatever
the file's size, inside the import's one transaction (all or nothing):

- each row is matched with its person by (municipality, national id) and compared in the file's
  columns (as a row, NULLs equal) by one join, which also gives the counts, so an unchanged person is
  neither written nor counted as changed (importing the same file twice changes nothing the second
  time); only the rows that are new or differ are copied on (a first import joins nothing);
- one history row per changed field, written by one INSERT ... SELECT before the UPDATE that
  changes only the persons that differ;
- new persons by one INSERT ... SELECT, with the model's defaults for the columns the file lacks (a first
  import, with nothing to compare, by COPY straight into the person table);
- persons who were active and are no longer (died, moved out) get the same follow_up_ended
  signal, one by one, as on the row-by-row path (they are few).

A staff correction of a phone or e-mail is kept as on the row-by-row path (_keep_corrections).
SQLite keeps the row-by-row path (PersonImporter.apply_chunk). Nothing here reads the file's
raw text: the values are the importer's own cleaned values, so both paths store the same data.
"""

from django.db import connection
from django.utils import timezone

from trappa.people.contact import CONTACT_FIELDS
from trappa.people.models import Person, PersonFieldChange
from trappa.people.signals import DIED, MOVED, follow_up_ended

from .report import Problem

STAGE = "import_persons_stage"
MATCHED = "import_persons_matched"
# Columns the merge sets itself: never from the file, never a default.
OWN = {"id", "municipality", "national_id", "created_at", "updated_at"}


def copy_text(lines, cleaned):
    """Rows given as {column: cleaned values} in COPY's text format, as _stage copies them: the line, the
    national ID, then the other columns in the file's order."""
    columns = []
    for name in ["national_id", *(name for name in cleaned if name != "national_id")]:
        values = cleaned[name]
        kind = _field(name).get_internal_type()
        if kind in ("BooleanField", "DateField"):
            table = {value: copy_value(name, value) for value in set(values)}
            columns.append(list(map(table.__getitem__, values)))
        else:
            columns.append(escaped(values))
    return join_rows(lines, columns)


def copy_value(name, value):
    """One cleaned value of the column `name` in COPY's text format."""
    kind = _field(name).get_internal_type()
    if value is None:
        return r"\N"
    if kind == "BooleanField":
        return "t" if value else "f"
    if kind == "DateField":
        return value.isoformat()
    return escaped([str(value)])[0]


def escaped(values):
    """Text in COPY's format: only a backslash needs escaping (control characters are refused in every value)."""
    if "\\" in "".join(values):
        return [value.replace("\\", "\\\\") for value in values]
    return values


def join_rows(lines, columns):
    """COPY's text for the rows: the line, then the columns' values (already in COPY's format)."""
    if not lines:
        return ""
    return "\n".join(map("\t".join, zip(map(str, lines), *columns, strict=True))) + "\n"


def handles(importer):
    """PostgreSQL (SQLite keeps the row-by-row pass); then the first pass keeps its cleaned rows for this one."""
    return connection.vendor == "postgresql"


def write(importer, progress, total, stage, goes_back):
    """Second pass for a persons file known to be good: stage, compare, and (unless a dry run) merge."""
    with connection.cursor() as cursor:
        if not Person.objects.filter(municipality=importer.municipality).exists():
            _copy_new(cursor, importer)  # a first import: nothing to compare with
            progress.update(total, total, stage)
            return
        staged = _stage(cursor, importer, progress, total, stage)
        if staged is None:  # a file with a header and no rows
            return
        columns, rows = staged
        _keep_corrections(cursor, importer, columns)
        counts = _match(cursor, importer, columns, rows)
        for name in ("created", "updated", "unchanged"):
            importer.counts[name] += counts[name]
        if importer.going_back is not None:
            importer.going_back += _going_back(cursor, columns, goes_back)
        if not importer.dry_run:
            _history(cursor, importer, columns)
            ended = _update(cursor, importer, columns)
            _insert(cursor, importer, columns)
            importer.counts["ended_follow_up"] += len(ended)
            _signal_ended(ended)
            _analyze_if_large(cursor, counts)
        else:
            importer.counts["ended_follow_up"] += len(_ending(cursor, importer, columns))
        cursor.execute(f"DROP TABLE {STAGE}, {MATCHED}")
        progress.update(total, total, stage)


# After this many new or changed persons (or a tenth of the file), the person table's planner statistics
# are refreshed in the same transaction: until autovacuum gets to it, PostgreSQL plans the worklist page
# as if the register were still small (at 700,000 residents: 0.8 s for its first page instead of 5 ms).
ANALYZE_AFTER = 10_000


def _analyze_if_large(cursor, counts):
    changed = counts["created"] + counts["updated"]
    if changed >= ANALYZE_AFTER or (changed and changed * 10 >= sum(counts.values()) and changed >= 1_000):
        # As the application role PostgreSQL skips this with a warning (only the owner may analyze);
        # then autovacuum's own analyze, within a minute or two, is what refreshes them.
        cursor.execute(f"ANALYZE {Person._meta.db_table}")


def _field(name):
    return Person._meta.get_field(name)


def _stage(cursor, importer, progress, total, stage):
    """COPY the cleaned rows into a temporary table; (the file's columns, rows) (None if it has no rows).

    Only the columns the file has are staged, compared and written, as on the row-by-row path. The
    rows are those the first pass cleaned and kept (PersonImporter.check_file): each row is read and
    cleaned once."""
    if importer.staged is None:
        raise RuntimeError("the first pass kept no cleaned rows to merge (PersonImporter.check_file)")
    staged, columns = importer.staged
    staged.seek(0)
    if not staged.read(1):
        return None
    staged.seek(0)
    _create_stage(cursor, columns)
    with cursor.copy(f"COPY {STAGE} (line, national_id, {', '.join(columns)}) FROM STDIN") as copy:
        while block := staged.read(1 << 20):
            copy.write(block)
    rows = cursor.rowcount
    progress.update(total, total, stage)
    return columns, rows


def _create_stage(cursor, columns):
    types = ", ".join(f"{name} {_field(name).db_type(connection)}" for name in columns)
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} (line integer, national_id varchar(11), {types}) ON COMMIT DROP")


def _row(alias, columns):
    return f"ROW({', '.join(f'{alias}.{name}' for name in columns)})"


def _active(alias, today):
    return f"({alias}.date_of_death IS NULL AND ({alias}.date_moved_out IS NULL OR {alias}.date_moved_out > '{today}'))"


def _match(cursor, importer, columns, rows):
    """One join of the staged rows with the register: the rows that are new or differ from their person (in the
    file's columns), with the person and whether the person is active now, usually few, so only they are copied
    on (a file's unchanged rows are only counted); the counts of created, updated and unchanged.

    A first import, with no person to join, does not come here (_copy_new)."""
    today = timezone.localdate().isoformat()
    cursor.execute(
        f"""CREATE TEMPORARY TABLE {MATCHED} ON COMMIT DROP AS
        SELECT s.*, p.id AS person_id, {_active("p", today)} AS was_active
        FROM {STAGE} s LEFT JOIN {Person._meta.db_table} p
            ON p.municipality_id = %s AND p.national_id = s.national_id
        WHERE p.id IS NULL OR {_row("p", columns)} IS DISTINCT FROM {_row("s", columns)}""",  # noqa: S608 (names only)
        [importer.municipality.pk],
    )
    cursor.execute(f"SELECT count(*), count(person_id) FROM {MATCHED}")  # noqa: S608 (names only)
    found, updated = cursor.fetchone()
    return {"created": found - updated, "updated": updated, "unchanged": rows - found}


def _keep_corrections(cursor, importer, columns):
    """A staff correction of a phone or e-mail is kept while the file still has the register value it overrode
    (persons._keeping_corrections, trappa/people/contact.py): where the latest change of the field is such a
    correction and the file has that value, the staged row takes the person's value, so it is no change."""
    names = [name for name in CONTACT_FIELDS if name in columns]
    corrections = PersonFieldChange.objects.filter(batch__isnull=True, person__municipality=importer.municipality)
    if not names or not corrections.filter(field__in=names).exists():
        return
    person, change = Person._meta.db_table, PersonFieldChange._meta.db_table
    for name in names:
        cursor.execute(
            f"""UPDATE {STAGE} s SET {name} = p.{name}
            FROM {person} p JOIN (
                SELECT DISTINCT ON (c.person_id) c.person_id, c.batch_id, c.register_value FROM {change} c
                WHERE c.field = %s AND c.person_id IN (
                    SELECT k.person_id FROM {change} k JOIN {person} q ON q.id = k.person_id
                    WHERE k.batch_id IS NULL AND k.field = %s AND q.municipality_id = %s)
                ORDER BY c.person_id, c.changed_at DESC, c.id DESC
            ) latest ON latest.person_id = p.id
            WHERE p.municipality_id = %s AND p.national_id = s.national_id AND latest.batch_id IS NULL
              AND COALESCE(s.{name}, '') = latest.register_value""",  # noqa: S608 (names only)
            [name, name, importer.municipality.pk, importer.municipality.pk],
        )


def _as_text(alias, name):
    """The value as PersonFieldChange keeps it (persons._as_text): '' for none, true/false, ISO dates."""
    field = _field(name)
    value = f"{alias}.{name}"
    if field.get_internal_type() == "BooleanField":
        return f"CASE WHEN {value} IS NULL THEN '' WHEN {value} THEN 'true' ELSE 'false' END"
    if field.get_internal_type() == "DateField":
        return f"COALESCE(to_char({value}, 'YYYY-MM-DD'), '')"
    return f"COALESCE({value}::text, '')"


def _changed_fields(columns):
    """A lateral VALUES list of (field, differs, old text, new text) for each of the file's columns."""
    rows = [
        f"('{name}', p.{name} IS DISTINCT FROM m.{name}, {_as_text('p', name)}, {_as_text('m', name)})"
        for name in columns
    ]
    return f"CROSS JOIN LATERAL (VALUES {', '.join(rows)}) AS v(field, differs, old_value, new_value)"


def _going_back(cursor, columns, goes_back):
    """An older file's changes, as the row-by-row path reports them: a problem per line and field."""
    cursor.execute(
        f"""SELECT m.line, v.field FROM {MATCHED} m JOIN {Person._meta.db_table} p ON p.id = m.person_id
        {_changed_fields(columns)} WHERE v.differs ORDER BY m.line, v.field"""  # noqa: S608 (names only)
    )
    return [Problem(line, field, goes_back) for line, field in cursor.fetchall()]


def _history(cursor, importer, columns):
    """One history row per changed field, with the old value read before the update."""
    user = importer.user.pk if importer.user else None
    cursor.execute(
        f"""INSERT INTO {PersonFieldChange._meta.db_table}
            (person_id, batch_id, changed_by_id, field, old_value, new_value, changed_at, reason, register_value)
        SELECT p.id, %s, %s, v.field, v.old_value, v.new_value, %s, '', ''
        FROM {MATCHED} m JOIN {Person._meta.db_table} p ON p.id = m.person_id {_changed_fields(columns)}
        WHERE v.differs ORDER BY p.id""",  # noqa: S608 (names only)
        [importer.batch.pk, user, importer.now],
    )


def _update(cursor, importer, columns):
    """Write the persons that differ; [(id, died)] of those who were active and are not now."""
    today = timezone.localdate().isoformat()
    assignments = ", ".join(f"{name} = m.{name}" for name in columns)
    cursor.execute(
        f"""UPDATE {Person._meta.db_table} p SET {assignments}, updated_at = %s
        FROM {MATCHED} m WHERE p.id = m.person_id
        RETURNING p.id, m.was_active AND NOT {_active("p", today)}""",  # noqa: S608 (names only)
        [importer.now],
    )
    return sorted(pk for pk, ended in cursor.fetchall() if ended)


def _ending(cursor, importer, columns):
    """A dry run's persons who would stop being active."""
    today = timezone.localdate().isoformat()
    with_file = {name: f"m.{name}" if name in columns else f"p.{name}" for name in ("date_of_death", "date_moved_out")}
    cursor.execute(
        f"""SELECT m.person_id FROM {MATCHED} m JOIN {Person._meta.db_table} p ON p.id = m.person_id
        WHERE m.was_active AND NOT ({with_file["date_of_death"]} IS NULL AND
            ({with_file["date_moved_out"]} IS NULL OR {with_file["date_moved_out"]} > '{today}'))"""  # noqa: S608 (names only)
    )
    return [pk for (pk,) in cursor.fetchall()]


def _insert(cursor, importer, columns):
    """The new persons (the rows without a person), in the file's order, with the model's defaults for the columns
    the file lacks."""
    rest = _rest(columns)
    names = ["municipality_id", "national_id", "created_at", "updated_at", *columns, *(f.column for f in rest)]
    values = ["%s", "m.national_id", "%s", "%s", *(f"m.{name}" for name in columns), *(["%s"] * len(rest))]
    params = [importer.municipality.pk, importer.now, importer.now, *(f.get_default() for f in rest)]
    cursor.execute(
        f"""INSERT INTO {Person._meta.db_table} ({", ".join(names)})
        SELECT {", ".join(values)} FROM {MATCHED} m WHERE m.person_id IS NULL ORDER BY m.line""",  # noqa: S608 (names only)
        params,
    )


def _rest(columns):
    """The person's columns that neither the file nor the merge sets: they take the model's defaults."""
    return [f for f in Person._meta.concrete_fields if f.name not in OWN and f.name not in columns]


def _copy_new(cursor, importer):
    """A first import (the municipality has no person yet, under the import's lock): every row is a new person,
    so the staged rows go by COPY straight into the person table, in the file's order, each with the
    municipality, the time and the model's defaults for the columns the file lacks (as _insert writes them)."""
    if importer.staged is None:
        raise RuntimeError("the first pass kept no cleaned rows to merge (PersonImporter.check_file)")
    staged, columns = importer.staged
    rest = _rest(columns)
    now = importer.now.isoformat()
    added = [str(importer.municipality.pk), now, now, *(copy_value(f.name, f.get_default()) for f in rest)]
    tail = "\t" + "\t".join(added) + "\n"
    names = ["national_id", *columns, "municipality_id", "created_at", "updated_at", *(f.column for f in rest)]
    staged.seek(0)
    if importer.dry_run:
        importer.counts["created"] += sum(block.count("\n") for block in _whole_lines(staged))
        return
    rows = 0
    with cursor.copy(f"COPY {Person._meta.db_table} ({', '.join(names)}) FROM STDIN") as copy:
        for block in _whole_lines(staged):
            lines = block.split("\n")[:-1]  # a value holds no line break (control characters are refused)
            rows += len(lines)
            copy.write("".join([line[line.index("\t") + 1 :] + tail for line in lines]))
    importer.counts["created"] += rows
    _analyze_if_large(cursor, {"created": rows, "updated": 0, "unchanged": 0})


def _whole_lines(staged):
    """The staged text in blocks of whole lines (the first field of each, the line number, is left out above)."""
    rest = ""
    while block := staged.read(1 << 20):
        block = rest + block
        cut = block.rfind("\n") + 1
        rest = block[cut:]
        if cut:
            yield block[:cut]
    if rest:
        yield rest + "\n"


def _signal_ended(person_ids):
    """As the row-by-row path: a follow_up_ended signal for each person who died or moved out."""
    for person in Person.objects.filter(pk__in=person_ids).order_by("pk"):
        reason, day = (DIED, person.date_of_death) if person.date_of_death else (MOVED, person.date_moved_out)
        follow_up_ended.send(sender=Person, person=person, reason=reason, date=day)
