"""Checking, sealing and trimming the access log's hash chain.

- `verify(using)` walks the chain from its anchor (the genesis hash, or the
  last retention summary) and compares it with the sealed digests in
  LOG_DIGEST_DIR; it returns a Report naming the first problem found.
- `write_digest()` seals today's digest (last place, last hash, count) into
  LOG_DIGEST_DIR, outside the database: a truncated or rewritten log then no
  longer matches it.
- `apply_retention()` removes the entries older than the retention period,
  the only way entries ever leave the log, and records a sealed summary of
  what it removed, in the database and in LOG_DIGEST_DIR.

The management commands verify_access_log, seal_access_log and
apply_log_retention are thin wrappers around these.
"""

import json
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from trappa.audit import chain
from trappa.audit.models import AccessLogEntry, AccessLogRetention

DIGEST_PREFIX = "access-log-digest-"
RETENTION_PREFIX = "access-log-retention-"
FIELDS = ["id", *chain.FIELDS, "chain_hash"]


@dataclass
class Report:
    problems: list = field(default_factory=list)
    entries: int = 0
    first_seq: int | None = None
    last_seq: int = 0
    last_hash: str = chain.GENESIS
    digests: int = 0

    @property
    def intact(self):
        return not self.problems


def verify(using="default"):
    """Check the whole chain and the digests; the report's first problem is the first broken or missing entry."""
    report = Report()
    try:
        anchor_seq, anchor_hash = _anchor(using, report)
        _walk(using, report, anchor_seq, anchor_hash)
    except DatabaseError as error:
        report.problems.append(f"The access log cannot be read ({error.__class__.__name__}: {str(error).strip()}).")
    _check_digests(report, using)
    return report


def _anchor(using, report):
    """Where the chain starts: after the last sealed retention summary, or at the beginning."""
    seq, previous = 0, chain.GENESIS
    for retention in AccessLogRetention.objects.using(using).order_by("last_seq"):
        if chain.unseal({**retention.summary(), "seal": retention.seal}) is None:
            report.problems.append(f"The retention summary up to entry {retention.last_seq} is not sealed by this key.")
        seq, previous = retention.last_seq, retention.last_hash
    return seq, previous


def _walk(using, report, seq, previous):
    rows = AccessLogEntry.objects.using(using).order_by("seq").values(*FIELDS)
    for row in rows.iterator(chunk_size=2000):
        if report.first_seq is None:
            report.first_seq = row["seq"]
        if row["seq"] != seq + 1:
            missing = f"{seq + 1}" if row["seq"] == seq + 2 else f"{seq + 1} to {row['seq'] - 1}"
            report.problems.append(f"Entry {missing} is missing: the chain jumps from {seq} to {row['seq']}.")
            return
        if row["chain_hash"] != chain.entry_hash(row, previous):
            report.problems.append(
                f"Entry {row['seq']} (id {row['id']}) is broken: its content or its place was changed, "
                "or it was written without the key."
            )
            return
        seq, previous = row["seq"], row["chain_hash"]
        report.entries += 1
    report.last_seq, report.last_hash = seq, previous


def _check_digests(report, using):
    """Each sealed digest names an entry and its hash: it must still be there, unchanged."""
    if report.problems:
        return  # the walk stopped early: the digests cannot be compared
    for path in sorted(_folder().glob(f"{DIGEST_PREFIX}*.json")):
        digest = _read_sealed(path, report)
        if digest is None:
            return
        report.digests += 1
        last_seq = digest["last_seq"]
        if last_seq > report.last_seq:
            report.problems.append(
                f"Entry {report.last_seq + 1} is missing: the digest {path.name} counted entries up to "
                f"{last_seq}, the log ends at {report.last_seq} (truncated?)."
            )
            return
        if last_seq >= (report.first_seq or last_seq + 1) and not _hash_matches(digest, report, using):
            report.problems.append(
                f"Entry {last_seq} is broken: it no longer has the hash the digest {path.name} sealed."
            )
            return


def _hash_matches(digest, report, using):
    if digest["last_seq"] == report.last_seq:
        return digest["last_hash"] == report.last_hash
    row = (
        AccessLogEntry.objects.using(using).filter(seq=digest["last_seq"]).values_list("chain_hash", flat=True).first()
    )
    return row == digest["last_hash"]


def _read_sealed(path, report):
    try:
        document = chain.unseal(json.loads(path.read_text()))
    except (OSError, ValueError) as error:
        report.problems.append(f"The digest {path.name} cannot be read: {error}.")
        return None
    if document is None:
        report.problems.append(f"The digest {path.name} is not sealed by this key (changed or forged).")
    return document


def _folder():
    return Path(settings.LOG_DIGEST_DIR)


def _write_sealed(name, document):
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(chain.seal(document), indent=2, ensure_ascii=False) + "\n")
    os.chmod(temporary, 0o640)
    temporary.replace(path)
    return path


def write_digest(report, using="default"):
    """Seal today's digest of a verified log into LOG_DIGEST_DIR; returns the file's path."""
    assert report.intact, "only a verified log is sealed"
    now = timezone.now()
    document = {
        "kind": "access-log-digest",
        "sealed_at": chain.canonical(now),
        "database": connections[using].settings_dict.get("NAME"),
        "count": report.entries,
        "first_seq": report.first_seq,
        "last_seq": report.last_seq,
        "last_hash": report.last_hash,
    }
    return _write_sealed(f"{DIGEST_PREFIX}{timezone.localdate(now).isoformat()}.json", document)


def apply_retention(days=None, using="default", dry_run=False):
    """Remove the entries logged more than `days` ago (ACCESS_LOG_RETENTION_DAYS) and seal a summary.

    The oldest entries go first and the chain is cut only at an entry, so what
    stays still verifies from the summary's last hash. Returns the
    AccessLogRetention (unsaved on a dry run), or None if nothing is due.
    """
    cutoff = timezone.now() - timedelta(days=days or settings.ACCESS_LOG_RETENTION_DAYS)
    with transaction.atomic(using=using):
        due = AccessLogEntry.objects.using(using).filter(at__lt=cutoff).order_by("seq")
        # The removal stops before the first entry that is still kept, even if a later one is older.
        kept = AccessLogEntry.objects.using(using).filter(at__gte=cutoff).order_by("seq").values("seq").first()
        if kept is not None:
            due = due.filter(seq__lt=kept["seq"])
        first, last = due.first(), due.last()
        if first is None:
            return None
        retention = AccessLogRetention(
            cutoff=cutoff,
            first_seq=first.seq,
            last_seq=last.seq,
            count=due.count(),
            first_at=first.at,
            last_at=last.at,
            last_hash=last.chain_hash,
        )
        retention.seal = chain.seal(retention.summary())["seal"]
        if dry_run:
            return retention
        _delete_through(using, last.seq)
        retention.save(using=using)
    _write_sealed(f"{RETENTION_PREFIX}{retention.last_seq}.json", retention.summary())
    return retention


def _delete_through(using, last_seq):
    table = AccessLogEntry._meta.db_table
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Owner rights: the append-only trigger is lifted for this transaction only.
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER trappa_access_log_append_only")
        cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [last_seq])  # noqa: S608 (the model's table name)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER trappa_access_log_append_only")
