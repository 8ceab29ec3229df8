"""The two passes every import makes over its file.

A file is accepted or rejected whole, so the first pass checks every row (and
writes nothing); only a clean file gets the second pass, which compares the
rows with the register chunk by chunk and writes the differences inside one
transaction. Rows are never all held in memory: each pass streams the file.
"""

import datetime
import os
import re
import time
import zlib

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from trappa.lib.national_id import NationalId
from trappa.people.models import ImportBatch, ImportStatus, Person
from trappa.people.signals import register_imported

from . import fields
from .fields import BadValue
from .reading import CsvRows, FileRejected, inspect, sha256
from .report import Problem, Report

CHUNK_ROWS = 2000

CHECKING = gettext_noop("Checking the file")
WRITING = gettext_noop("Writing to the register")
COMPARING = gettext_noop("Comparing with the register (dry run)")
WAITING = gettext_noop("Waiting for another import of this register to finish")
WAITING_FOR_JOB = gettext_noop(
    "Waiting for import job %(job)s (%(file)s), started by %(by)s at %(since)s, to finish: imports of one "
    "register are written one after another"
)
WAITING_FOR_COMMAND = gettext_noop(
    "Waiting for the import of %(file)s (import %(batch)s, on the command line), started by %(by)s at %(since)s, "
    "to finish: imports of one register are written one after another"
)
WAIT_POLL_SECONDS = 0.5
OLDER_FILE = gettext_noop(
    "The file was extracted before the last file of this register that was imported: importing it would "
    "change data back to older values (the lines below). Import it only on purpose, with the option to allow "
    "an older file."
)
GOES_BACK = gettext_noop("Would change back to an older value.")
# A date in the file's name: personer_2026-11-30.csv, personer-20261130.csv.
DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


class NoProgress:
    def update(self, done, total, stage, params=None):
        pass


class Importer:
    """One kind of file. Subclasses name their columns and say how rows are written.

    `build_columns()` maps each column to (required, parser). Only the columns
    present in the file are compared and written: a later extract without an
    optional column leaves that field of existing records alone.
    """

    kind = None

    def __init__(self, batch, user=None):
        self.batch = batch
        self.municipality = batch.municipality
        self.dry_run = batch.dry_run
        self.user = user
        self.now = timezone.now()
        self.allow_synthetic = settings.ALLOW_SYNTHETIC_NATIONAL_IDS
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "ended_follow_up": 0}
        # An older file's dry run collects what it would change back (Problems), to refuse it with them.
        self.going_back = None
        self.columns = self.build_columns()
        self.parsers = {name: parser for name, (_required, parser) in self.columns.items()}
        # The second pass reads rows the first pass found good. Validating a
        # national ID is the costliest check of a row, so it is not done twice.
        self.trusted_parsers = {
            name: fields.known_good_national_id if getattr(parser, "checks_national_id", False) else parser
            for name, parser in self.parsers.items()
        }

    def build_columns(self):
        raise NotImplementedError

    def clean(self, line, row, trusted=False):
        """The row's values, and its problems (an empty list if it is good).

        `trusted`: the row passed the first pass, so skip the costly checks.
        """
        parsers = self.trusted_parsers if trusted else self.parsers
        values, problems = {}, []
        for name, raw in row.items():
            try:
                values[name] = parsers[name](raw)
            except BadValue as exc:
                problems.append(Problem(line, name, exc.reason))
        if not trusted:
            problems.extend(self.check_row(line, values))
        for name, value in values.items():
            if isinstance(value, NationalId):
                values[name] = value.number
        return values, problems

    @property
    def column_requirements(self):
        return {name: required for name, (required, _parser) in self.columns.items()}

    def check_row(self, line, values):
        """Problems between the fields of one row (first pass only).

        A field that did not parse is not in `values`; national IDs are still
        NationalId objects here, numbers (strings) everywhere after.
        """
        return []

    def check_chunk(self, chunk):
        """Problems found against the rest of the file or the register (first pass only)."""
        return []

    def apply_chunk(self, chunk):
        """Compare the rows with the register and write the differences (unless dry run)."""
        raise NotImplementedError

    def write_file(self, path, facts, progress, total, stage):
        """The whole second pass at once, where a kind has a faster way (persons on PostgreSQL); False if not."""
        return False

    def check_file(self, path, facts, progress, stage):
        """The whole first pass at once, where a kind has a faster way: (Report, rows); None if not."""
        return None

    def close(self):
        """Let go of what the passes kept (check_file)."""


def run_import(
    importer_class,
    path,
    municipality,
    *,
    dry_run=False,
    user=None,
    progress=None,
    file_name=None,
    job=None,
    extracted_on=None,
    allow_older=False,
    correction_reason="",
):
    """Import one file and return its ImportBatch (status done, dry_run, rejected or failed).

    `extracted_on`: when the register extracted the file (default: the date in its name, if any).
    `allow_older`: import a file extracted before the last one imported (refused otherwise).
    `correction_reason`: why this file may undo deaths (refused otherwise)."""
    file_name = file_name or os.path.basename(path)
    batch = ImportBatch.objects.create(
        job=job,
        extracted_on=extracted_on or extraction_date(file_name),
        correction_reason=" ".join(correction_reason.split())[:300],
        municipality=municipality,
        kind=importer_class.kind,
        file_name=file_name[:255],
        dry_run=dry_run,
        status=ImportStatus.RUNNING,
        started_by=user,
    )
    importer = importer_class(batch, user)
    importer.allow_older = allow_older
    try:
        _run(importer, path, progress or NoProgress())
    except Exception:
        _finish(batch, ImportStatus.FAILED)
        raise
    finally:
        importer.close()
    return batch


def _run(importer, path, progress):
    batch = importer.batch
    try:
        facts = inspect(path)
        batch.sha256 = facts.sha256
        report, rows = _check(importer, path, facts, progress)
    except FileRejected as exc:
        report, rows = Report(), 0
        report.extend(exc.problems)
    batch.rows = rows
    if not report and _newer_import(batch) is not None and not importer.allow_older:
        report.add(Problem(1, "", OLDER_FILE))
        report.extend(_what_would_go_back(importer, path, facts, progress, rows))
    if report:
        batch.errors = report.as_json()
        batch.bad_rows = len(report.bad_lines)
        _finish(batch, ImportStatus.REJECTED)
        return
    with transaction.atomic():
        _wait_for_other_imports(batch, progress)
        _write(importer, path, facts, progress, rows)
        # The second pass trusted what the first one checked: make sure it read the same file, and that the
        # file imported is the one whose hash is recorded.
        if sha256(path) != facts.sha256:
            raise RuntimeError("the file changed while it was being imported")
    for name, value in importer.counts.items():
        setattr(batch, name, value)
    _finish(batch, ImportStatus.DRY_RUN if batch.dry_run else ImportStatus.DONE)
    if not batch.dry_run:
        register_imported.send(sender=ImportBatch, batch=batch)


def extraction_date(file_name):
    """The date in the file's name (the extraction date, docs/register-format.md), or None."""
    for match in DATE_IN_NAME.finditer(file_name):
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            continue
    return None


def _newer_import(batch):
    """The last import of this register extracted after this file, if any (only dated files compare)."""
    if batch.extracted_on is None:
        return None
    q = ImportBatch.objects.filter(
        municipality=batch.municipality, kind=batch.kind, status=ImportStatus.DONE, extracted_on__gt=batch.extracted_on
    )
    return q.order_by("-extracted_on").first()


def _what_would_go_back(importer, path, facts, progress, rows):
    """Compare the older file with the register (a dry run): a Problem per field it would change back."""
    importer.dry_run, importer.going_back = True, []
    with transaction.atomic():
        _write(importer, path, facts, progress, rows)
    return importer.going_back


def _wait_for_other_imports(batch, progress):
    """Imports of one register (kind and municipality) write one after another, never at once.

    On PostgreSQL a transaction-level advisory lock named by the kind and municipality. The second
    import waits, saying which import it waits for (job, file, who started it and when), and
    writes after the first committed, comparing with what it wrote. The import holding the lock
    also holds a lock named by its batch, so a waiter can find it in pg_locks.
    (SQLite lets one transaction write at a time anyway.)"""
    if connection.vendor != "postgresql":
        return
    register = (_lock_class(f"trappa-import:{batch.kind}"), batch.municipality_id)
    said = None
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", register)
            if cursor.fetchone()[0]:
                break
            stage, params = _waiting_for(cursor, register)
            if (stage, params) != said:
                progress.update(0, 0, stage, params)
                said = (stage, params)
            time.sleep(WAIT_POLL_SECONDS)
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_lock_class(BATCH_LOCK), batch.pk])


BATCH_LOCK = "trappa-import-batch"


def _lock_class(name):
    """A stable positive 32-bit number for a lock name (the first key of a two-key advisory lock)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def _waiting_for(cursor, register):
    """(message, values) naming the import that holds the register's lock; the general message
    if it cannot be told (it has not yet named itself, or it ended a moment ago)."""
    cursor.execute(
        """SELECT mine.objid::bigint FROM pg_locks held JOIN pg_locks mine ON mine.pid = held.pid
           WHERE held.locktype = 'advisory' AND held.granted AND held.objsubid = 2
             AND held.classid::bigint = %s AND held.objid::bigint = %s
             AND mine.locktype = 'advisory' AND mine.granted AND mine.objsubid = 2 AND mine.classid::bigint = %s
             AND held.database = (SELECT oid FROM pg_database WHERE datname = current_database())""",
        [*register, _lock_class(BATCH_LOCK)],
    )
    found = cursor.fetchone()
    holder = found and ImportBatch.objects.select_related("started_by", "job__started_by").filter(pk=found[0]).first()
    if not holder:
        return WAITING, {}
    user = holder.started_by or (holder.job.started_by if holder.job else None)
    params = {
        "file": holder.file_name,
        "by": (user.get_full_name() or user.username) if user else "-",
        "since": timezone.localtime(holder.started_at).strftime("%Y-%m-%d %H:%M"),
    }
    if holder.job_id:
        return WAITING_FOR_JOB, {"job": holder.job_id, **params}
    return WAITING_FOR_COMMAND, {"batch": holder.pk, **params}


def _check(importer, path, facts, progress):
    """First pass: every problem in the file, and the number of rows."""
    checked = importer.check_file(path, facts, progress, CHECKING)
    if checked is not None:
        return checked
    report, rows = Report(), 0
    csv_rows = CsvRows(path, facts, importer.column_requirements)
    for chunk in _chunks(csv_rows):
        for item in chunk.problems:
            report.add(item)
        good = []
        for line, row in chunk.rows:
            values, problems = importer.clean(line, row)
            report.extend(problems)
            if not problems:
                good.append((line, values))
        report.extend(importer.check_chunk(good))
        rows += chunk.count
        progress.update(csv_rows.bytes_read, facts.size, CHECKING)
    return report, rows


def _write(importer, path, facts, progress, total):
    """Second pass over a file known to be good."""
    stage = COMPARING if importer.dry_run else WRITING
    if importer.write_file(path, facts, progress, total, stage):
        return
    done = 0
    progress.update(done, total, stage)
    for chunk in _chunks(CsvRows(path, facts, importer.column_requirements)):
        cleaned = [(line, importer.clean(line, row, trusted=True)) for line, row in chunk.rows]
        if chunk.problems or any(problems for _line, (_values, problems) in cleaned):
            # Only possible if the file changed between the passes.
            raise RuntimeError("the file changed while it was being imported")
        importer.apply_chunk([(line, values) for line, (values, _problems) in cleaned])
        done += chunk.count
        progress.update(done, total, stage)


class _Chunk:
    def __init__(self):
        self.rows, self.problems, self.count = [], [], 0


def _chunks(csv_rows):
    chunk = _Chunk()
    for line, item in csv_rows:
        chunk.count += 1
        if isinstance(item, Problem):
            chunk.problems.append(item)
        else:
            chunk.rows.append((line, item))
        if chunk.count >= CHUNK_ROWS:
            yield chunk
            chunk = _Chunk()
    if chunk.count:
        yield chunk


def _finish(batch, status):
    batch.status = status
    batch.finished_at = timezone.now()
    batch.save()


def person_ids(municipality, numbers):
    """{national_id: person id} for the numbers that are in the municipality's register."""
    q = Person.objects.filter(municipality=municipality, national_id__in=list(set(numbers)))
    return dict(q.values_list("national_id", "id"))
