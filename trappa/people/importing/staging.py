"""The relations and decisions files on PostgreSQL: both passes over a staging table, set-based.

Row by row (SQLite), each chunk of 2,000 rows asks the register for its persons twice (checking,
then writing) and writes with bulk_create/bulk_update; at 700,000 residents that is most of the
demo's load time. Here the first pass cleans the file a column at a time, as the persons file
does (fields.parse_column), and keeps the good rows in COPY's text format. Those rows are copied
into a temporary table, where one join with the register finds the unknown persons and a window
function the rows repeated from an earlier line: the same problems, by line and column, as row by
row, kept in the same order (so a file with more than MAX_REPORTED problems keeps the same ones).
The second pass copies the rows in again, inside the import's one transaction, and the importer
writes the differences with a few statements (`merge`), counting created/updated/unchanged as row by
row does. A dry run only counts. SQLite keeps the row-by-row path.

An importer using this names its staged columns' SQL types (`staged_types`), its checks between
the fields of a row a column at a time (`check_columns`), its problems against the register and
the earlier lines (`staged_problems`) and its writing (`merge`).
"""

import datetime
import tempfile

from django.db import connection, transaction

from . import fields as f
from .engine import CHUNK_ROWS
from .reading import CsvRows
from .report import Problem, Report

STAGE = "import_staged_rows"
# Where a problem comes in a chunk, as row by row: unreadable rows, then each row's own problems, then
# those against the register and the earlier lines (Importer.check_chunk).
READING, ROW, CHUNK = 0, 1, 2


def handles():
    """PostgreSQL; SQLite keeps the row-by-row passes."""
    return connection.vendor == "postgresql"


class Staged:
    """The good rows of a checked file in COPY's text format (a temporary file), and their columns."""

    def __init__(self, columns):
        self.columns = columns
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")

    def close(self):
        self.file.close()


class StagedImporter:
    """What a relations or decisions importer (with Importer after this in its bases) gets from this module:
    the engine's file hooks, which use the staging table on PostgreSQL and leave SQLite to the chunks."""

    def __init__(self, batch, user=None):
        super().__init__(batch, user)
        self.seen = set()  # the keys of earlier lines, row by row
        self.staged = None  # the good rows, for the set-based second pass

    def check_file(self, path, facts, progress, stage):
        return check_file(self, path, facts, progress, stage) if handles() else None

    def write_file(self, path, facts, progress, total, stage):
        if self.staged is None:
            return False
        write(self, progress, total, stage)
        return True

    def close(self):
        if self.staged is not None:
            self.staged.close()
            self.staged = None


def check_file(importer, path, facts, progress, stage):
    """The first pass: (Report, rows), with the same problems as engine._check row by row.

    Keeps the good rows on `importer.staged` for `write` (None if the file has problems)."""
    csv_rows = CsvRows(path, facts, importer.column_requirements)
    keyed, rows, staged = [], 0, None
    try:
        for number, chunk in enumerate(csv_rows.chunks(CHUNK_ROWS)):
            if staged is None:
                staged = Staged([name for name in csv_rows.header if name in importer.parsers])
            keyed += [((number, READING, problem.line, i), problem) for i, problem in enumerate(chunk.problems)]
            cleaned, problems, bad = clean_columns(importer, chunk.lines, chunk.columns(csv_rows.header))
            keyed += [((number, ROW, problem.line, order), problem) for order, problem in problems]
            good = [i for i in range(len(chunk.lines)) if i not in bad]
            staged.file.write(copy_text(number, chunk.lines, cleaned, good, staged.columns))
            rows += chunk.count
            progress.update(csv_rows.bytes_read, facts.size, stage)
        if csv_rows.sha256 != facts.sha256:
            raise RuntimeError("the file changed while it was being imported")
        if staged is not None:
            with transaction.atomic(), connection.cursor() as cursor:
                _stage(cursor, importer, staged)
                found = importer.staged_problems(cursor)
                keyed += [((number, CHUNK, problem.line, order), problem) for number, order, problem in found]
                cursor.execute(f"DROP TABLE {STAGE}")
    except BaseException:
        if staged is not None:
            staged.close()
        raise
    report = Report()
    report.extend(problem for _key, problem in sorted(keyed, key=lambda item: item[0]))
    if report and staged is not None:
        staged.close()
        staged = None
    importer.staged = staged
    return report, rows


def clean_columns(importer, lines, columns):
    """What Importer.clean finds row by row, for rows given a column at a time: ({column: cleaned values},
    [(order, Problem)], indices of the rows with problems). A row's parse problems come in the file's
    column order, then those between its fields (`importer.check_columns`), as in clean()."""
    cleaned, problems, bad = {}, [], set()
    names = [name for name in columns if name in importer.parsers]
    for order, name in enumerate(names):
        parser = importer.parsers[name]
        if getattr(parser, "national_id_column", None):
            values, _days, reasons = parser.national_id_column(columns[name])
        else:
            values, reasons = f.parse_column(parser, columns[name])
        cleaned[name] = values
        for i, reason in reasons.items():
            problems.append((order, Problem(lines[i], name, reason)))
            bad.add(i)
    for k, (i, column, reason) in enumerate(importer.check_columns(cleaned, bad)):
        problems.append((len(names) + k, Problem(lines[i], column, reason)))
        bad.add(i)
    return cleaned, problems, bad


def copy_text(chunk, lines, cleaned, good, columns):
    """The good rows as COPY's text: the chunk's number, the line, then the columns."""
    if not good:
        return ""
    text = [[str(chunk)] * len(good), [str(lines[i]) for i in good]]
    for name in columns:
        values = cleaned[name]
        text.append([_copy_value(values[i]) for i in good])
    return "\n".join(map("\t".join, zip(*text, strict=True))) + "\n"


def _copy_value(value):
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        # Only a backslash needs escaping: control characters are refused in every text value (fields.text).
        return value.replace("\\", "\\\\")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _stage(cursor, importer, staged):
    """The staged rows in a temporary table (dropped by whoever created it, or with the transaction)."""
    types = ", ".join(f"{name} {importer.staged_types[name]}" for name in staged.columns)
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} (chunk integer, line integer, {types}) ON COMMIT DROP")
    staged.file.seek(0)
    with cursor.copy(f"COPY {STAGE} (chunk, line, {', '.join(staged.columns)}) FROM STDIN") as copy:
        while block := staged.file.read(1 << 20):
            copy.write(block)
    cursor.execute(f"ANALYZE {STAGE}")


def write(importer, progress, total, stage):
    """The second pass: the staged rows copied in again and merged by the importer (`merge`)."""
    progress.update(0, total, stage)
    with connection.cursor() as cursor:
        _stage(cursor, importer, importer.staged)
        importer.merge(cursor)
        cursor.execute(f"DROP TABLE {STAGE}")
    progress.update(total, total, stage)


def counted(importer, cursor):
    """Add the (created, updated, unchanged) the last query returned to the importer's counts."""
    created, updated, unchanged = cursor.fetchone()
    importer.counts["created"] += created or 0
    importer.counts["updated"] += updated or 0
    importer.counts["unchanged"] += unchanged or 0
