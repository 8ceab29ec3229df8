"""Building the health station's worklist from the rules, and assigning it.

The worklist is how the health station comes to see people: building it
creates a care relationship (kind WORKLIST) held by the unit for each person on
it, and assigning a person to a nurse creates one held by the nurse. When a
person leaves the list (they were visited, declined, died, moved or no longer
match), those relationships end, so access ends with the reason for it.
"""

import logging
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from trappa.accounts.models import Role, Unit, User
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.outreach import engine, rules, sql_build
from trappa.outreach.models import WorklistCounts, WorklistEntry
from trappa.people.models import Person

UNIT_SOURCE = "worklist"
ASSIGNED_SOURCE = "worklist:assigned"
BATCH = 5000
# Rows added or removed in one build after which the planner statistics are refreshed, or a tenth of
# the list when that is at least ANALYZE_AT_LEAST (a small list is read quickly whatever the plan).
ANALYZE_AFTER = 10_000
ANALYZE_AT_LEAST = 1_000

logger = logging.getLogger(__name__)


class WorklistError(ValueError):
    """The worklist cannot be built (no rule file, unknown unit ...): the message says why."""


@dataclass
class BuildSummary:
    on_list: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    # Nothing the list is built from changed since the last build, which therefore stopped at once.
    unchanged: bool = False


def ruleset_for(municipality):
    try:
        return rules.load(municipality.slug)
    except rules.RuleFileError as exc:
        raise WorklistError(str(exc)) from None


def holding_unit(municipality, ruleset):
    try:
        return Unit.objects.get(municipality=municipality, code=ruleset.unit)
    except Unit.DoesNotExist:
        message = f"{municipality.slug}: the rule file names the unit {ruleset.unit}, which does not exist"
        raise WorklistError(message) from None


def build(municipality, today=None, force=False):
    """Evaluate every rule and bring the worklist and its care relationships up to date.

    On PostgreSQL the whole build is set-based SQL (trappa/outreach/sql_build.py): no person id
    passes through Python, and a build whose inputs are those of the last one (sql_build.inputs)
    stops at once unless `force`d. On SQLite the rules' matches are read and merged here, in batches.
    """
    today = today or timezone.localdate()
    ruleset = ruleset_for(municipality)
    unit = holding_unit(municipality, ruleset)
    if connection.vendor == "postgresql":
        # Read before the build's first query, outside its transaction: see sql_build.inputs.
        inputs = sql_build.inputs(municipality, unit, ruleset, today)
        last = WorklistCounts.objects.filter(municipality=municipality).first()
        if inputs and last and last.inputs == inputs and not force:
            logger.info(
                "%s: the worklist's inputs are unchanged since %s, not rebuilt", municipality.slug, last.built_at
            )
            return BuildSummary(on_list=last.total, unchanged=True)
        with transaction.atomic():
            counts = sql_build.apply(
                municipality, unit, ruleset, today, timezone.now(), UNIT_SOURCE, (UNIT_SOURCE, ASSIGNED_SOURCE)
            )
            # Someone found but still on another municipality's list joins this one when that list drops
            # them, which no input of this build records: the next build must run in full.
            inputs = "" if counts.pop("waiting") else inputs
            summary = BuildSummary(**counts)
            _count(municipality, unit, inputs)
    else:
        found = engine.evaluate(municipality, ruleset, today)
        priorities = {r.id: r.priority for r in ruleset.rules}
        with transaction.atomic():
            summary = _apply(municipality, unit, found, priorities)
            summary.on_list = len(found)
            _count(municipality, unit)
    changes = summary.added + summary.removed
    # Large absolutely, or against the list: a new list of 8,000 entries was still planned as empty, and
    # its first page sorted every entry instead of reading 100 from the index (benchmarks/outreach.py).
    if changes >= ANALYZE_AFTER or (changes >= ANALYZE_AT_LEAST and changes * 10 >= summary.on_list):
        _analyze()
    return summary


def _count(municipality, unit, inputs=""):
    """Keep the counts the worklist page and the start page show (WorklistCounts): one row per municipality."""
    entries = WorklistEntry.objects.in_municipality(municipality)
    grouped = entries.order_by().values_list
    if connection.vendor == "postgresql":
        by_reason = sql_build.reason_counts(municipality)
    else:
        by_reason = Counter(r for reasons in entries.values_list("reasons", flat=True) for r in reasons)
    WorklistCounts.objects.update_or_create(
        municipality=municipality,
        defaults={
            "unit": unit,
            "built_at": timezone.now(),
            "total": entries.count(),
            "assigned": entries.filter(assigned_to__isnull=False).count(),
            "by_priority": {str(p): n for p, n in grouped("priority").annotate(n=Count("pk"))},
            "by_area": {a: n for a, n in grouped("area").annotate(n=Count("pk")) if a},
            "by_reason": dict(by_reason),
            "inputs": inputs,
        },
    )


def _analyze():
    """Fresh planner statistics after a large change: without them PostgreSQL plans the worklist
    page as if the tables were still small, and takes minutes instead of a second (benchmarks/outreach.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE outreach_worklistentry, audit_carerelationship")


def _apply(municipality, unit, found, priorities):
    now = timezone.now()
    entries = WorklistEntry.objects.in_municipality(municipality)
    existing = {e.person_id: e for e in entries.only("pk", "person_id", "reasons", "priority", *KEYS)}
    removed = [pid for pid in existing if pid not in found]
    _end_relationships(removed, now, "no longer on the worklist")
    _delete(removed)
    changed = _update(existing, found, priorities, now)
    added = [pid for pid in found if pid not in existing]
    _create(municipality, unit, added, found, priorities, now)
    return BuildSummary(added=len(added), changed=changed, removed=len(removed))


def _delete(person_ids):
    for start in range(0, len(person_ids), BATCH):
        WorklistEntry.objects.filter(person_id__in=person_ids[start : start + BATCH]).delete()


def _update(existing, found, priorities, now):
    changed, refreshed = [], []
    keys = _keys([pid for pid in existing if pid in found])
    for pid, entry in existing.items():
        if pid not in found:
            continue
        if entry.reasons != found[pid] or entry.priority != _priority(found[pid], priorities):
            entry.reasons, entry.priority, entry.updated_at = found[pid], _priority(found[pid], priorities), now
            changed.append(entry)
        if any(getattr(entry, k) != v for k, v in keys.get(pid, {}).items()):
            for k, v in keys[pid].items():
                setattr(entry, k, v)
            refreshed.append(entry)
    WorklistEntry.objects.bulk_update(changed, ["reasons", "priority", "updated_at"], batch_size=BATCH)
    WorklistEntry.objects.bulk_update(refreshed, list(KEYS), batch_size=BATCH)
    return len(changed)


KEYS = ("birth_date", "family_name", "given_name", "area")


def _keys(person_ids):
    """{person id: the person's sort and filter keys}, which the entries copy."""
    keys = {}
    for start in range(0, len(person_ids), BATCH):
        for row in Person.objects.filter(pk__in=person_ids[start : start + BATCH]).values("pk", *KEYS):
            keys[row.pop("pk")] = row
    return keys


def _create(municipality, unit, added, found, priorities, now):
    keys = _keys(added)
    entries = [
        WorklistEntry(
            municipality=municipality,
            person_id=pid,
            reasons=found[pid],
            priority=_priority(found[pid], priorities),
            added_at=now,
            updated_at=now,
            **keys.get(pid, {}),
        )
        for pid in added
    ]
    WorklistEntry.objects.bulk_create(entries, batch_size=BATCH)
    relationships = [
        CareRelationship(
            person_id=pid, unit=unit, kind=CareRelationshipKind.WORKLIST, source=UNIT_SOURCE, started_at=now
        )
        for pid in added
    ]
    CareRelationship.objects.bulk_create(relationships, batch_size=BATCH)


def _priority(reasons, priorities):
    return min(priorities[r] for r in reasons)


def _end_relationships(person_ids, now, reason, sources=(UNIT_SOURCE, ASSIGNED_SOURCE)):
    for start in range(0, len(person_ids), BATCH):
        q = CareRelationship.objects.filter(
            person_id__in=person_ids[start : start + BATCH],
            kind=CareRelationshipKind.WORKLIST,
            source__in=sources,
            ended_at__isnull=True,
        )
        q.update(ended_at=now, end_reason=reason)


def nurses_for(municipality, unit):
    """Who a worklist entry may be assigned to: the active nurses of the holding unit."""
    return User.objects.filter(municipality=municipality, unit=unit, role=Role.NURSE, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def assign(entry, nurse):
    """Give the entry to `nurse` (or to nobody): the nurse's own care relationship follows it."""
    now = timezone.now()
    with transaction.atomic():
        _end_relationships([entry.person_id], now, "assigned to someone else", sources=(ASSIGNED_SOURCE,))
        if nurse is not None:
            CareRelationship.objects.create(
                person_id=entry.person_id,
                user=nurse,
                kind=CareRelationshipKind.WORKLIST,
                source=ASSIGNED_SOURCE,
                started_at=now,
            )
        step = (nurse is not None) - (entry.assigned_to_id is not None)
        entry.assigned_to, entry.updated_at = nurse, now
        entry.save(update_fields=["assigned_to", "updated_at"])
        if step:  # the build's count of assigned entries follows each assignment
            WorklistCounts.objects.filter(municipality_id=entry.municipality_id).update(assigned=F("assigned") + step)
