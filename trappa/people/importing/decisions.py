"""The decisions file: the municipal services each person already receives."""

from django.utils.translation import gettext_noop

from trappa.accounts.models import Unit
from trappa.people.models import ImportKind, Person, ServiceDecision, ServiceKind

from . import fields as f
from . import staging
from .engine import Importer, person_ids
from .report import Problem

UNKNOWN_PERSON = gettext_noop("No person with this national identity number in the register.")
UNKNOWN_UNIT = gettext_noop("No unit with this code in the municipality.")
END_BEFORE_START = gettext_noop("The end date is before the start date.")
DUPLICATE = gettext_noop("The same decision for the same person is on an earlier line.")

SERVICES = {value: value for value in ServiceKind.values}
COMPARED = ("service", "start_date", "end_date", "unit_id")
MATCHED = "import_decisions_matched"
# The staged columns (staging.py) and the decision's columns they are written to.
WRITTEN = {"service": "service", "start_date": "start_date", "end_date": "end_date", "unit_code": "unit_id"}


class DecisionImporter(staging.StagedImporter, Importer):
    kind = ImportKind.DECISIONS

    # The staged columns' types; a unit is staged as its id (self._unit).
    staged_types = {
        "national_id": "varchar(11)",
        "decision_id": "varchar(50)",
        "service": "varchar(30)",
        "start_date": "date",
        "end_date": "date",
        "unit_code": "integer",
    }

    def build_columns(self):
        self.units = dict(Unit.objects.filter(municipality=self.municipality).values_list("code", "id"))
        return {
            "national_id": (True, f.national_id_number(self.allow_synthetic)),
            "decision_id": (True, f.text(50, required=True)),
            "service": (True, f.choice(SERVICES, required=True)),
            "start_date": (True, f.date(required=True)),
            "end_date": (False, f.date()),
            "unit_code": (False, self._unit),
        }

    def _unit(self, code):
        if not code:
            return None
        try:
            return self.units[code]
        except KeyError:
            raise f.BadValue(UNKNOWN_UNIT) from None

    def check_row(self, line, values):
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            return [Problem(line, "end_date", END_BEFORE_START)]
        return []

    def check_columns(self, cleaned, bad):
        """check_row a column at a time (staging.py): [(index, column, reason)]."""
        if "end_date" not in cleaned:
            return []
        pairs = enumerate(zip(cleaned["start_date"], cleaned["end_date"], strict=True))
        return [(i, "end_date", END_BEFORE_START) for i, (start, end) in pairs if start and end and end < start]

    def staged_problems(self, cursor):
        """check_chunk over the staged rows: [(chunk, order, Problem)] for the unknown persons and the
        decisions repeated from an earlier line (whether or not that line's person is known)."""
        cursor.execute(
            f"""SELECT s.chunk, s.line, p.id IS NULL, s.repeated FROM (
                SELECT chunk, line, national_id,
                    row_number() OVER (PARTITION BY national_id, decision_id ORDER BY line) > 1 AS repeated
                FROM {staging.STAGE}) s
            LEFT JOIN {Person._meta.db_table} p ON p.municipality_id = %s AND p.national_id = s.national_id
            WHERE p.id IS NULL OR s.repeated""",  # noqa: S608 (names only)
            [self.municipality.pk],
        )
        return [
            (chunk, 0, Problem(line, "national_id", UNKNOWN_PERSON))
            if unknown
            else (chunk, 0, Problem(line, "decision_id", DUPLICATE))
            for chunk, line, unknown, _repeated in cursor.fetchall()
        ]

    def merge(self, cursor):
        """apply_chunk for the whole file: count, then (unless a dry run) update the decisions that differ in
        the file's columns and add the new ones."""
        person, decision = Person._meta.db_table, ServiceDecision._meta.db_table
        staged = [name for name in WRITTEN if name in self.staged.columns]
        new = ", ".join(f"s.{name} AS {WRITTEN[name]}" for name in staged)
        old = f"ROW({', '.join(f'd.{WRITTEN[name]}' for name in staged)})"
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {MATCHED} ON COMMIT DROP AS
            SELECT s.line, p.id AS person_id, s.decision_id, {new}, d.id AS existing_id,
                ROW({", ".join(f"s.{name}" for name in staged)}) IS DISTINCT FROM {old} AS differs
            FROM {staging.STAGE} s
            JOIN {person} p ON p.municipality_id = %s AND p.national_id = s.national_id
            LEFT JOIN {decision} d ON d.person_id = p.id AND d.decision_id = s.decision_id""",  # noqa: S608 (names only)
            [self.municipality.pk],
        )
        cursor.execute(
            f"""SELECT count(*) FILTER (WHERE existing_id IS NULL), count(*) FILTER (WHERE existing_id IS NOT NULL
                AND differs), count(*) FILTER (WHERE existing_id IS NOT NULL AND NOT differs) FROM {MATCHED}"""  # noqa: S608
        )
        staging.counted(self, cursor)
        if not self.dry_run:
            columns = [WRITTEN[name] for name in staged]
            assignments = ", ".join(f"{name} = m.{name}" for name in columns)
            cursor.execute(
                f"""UPDATE {decision} d SET {assignments}, updated_at = %s FROM {MATCHED} m
                WHERE d.id = m.existing_id AND m.differs""",  # noqa: S608 (names only)
                [self.now],
            )
            cursor.execute(
                f"""INSERT INTO {decision} (person_id, decision_id, {", ".join(columns)}, created_at, updated_at)
                SELECT m.person_id, m.decision_id, {", ".join(f"m.{name}" for name in columns)}, %s, %s
                FROM {MATCHED} m WHERE m.existing_id IS NULL ORDER BY m.line""",  # noqa: S608 (names only)
                [self.now, self.now],
            )
        cursor.execute(f"DROP TABLE {MATCHED}")

    def check_chunk(self, chunk):
        known = person_ids(self.municipality, [values["national_id"] for _line, values in chunk])
        problems = []
        for line, values in chunk:
            key = (values["national_id"], values["decision_id"])
            if key[0] not in known:
                problems.append(Problem(line, "national_id", UNKNOWN_PERSON))
            elif key in self.seen:
                problems.append(Problem(line, "decision_id", DUPLICATE))
            self.seen.add(key)
        return problems

    def apply_chunk(self, chunk):
        ids = person_ids(self.municipality, [values["national_id"] for _line, values in chunk])
        rows = {(ids[values.pop("national_id")], values.pop("decision_id")): values for _line, values in chunk}
        for values in rows.values():
            if "unit_code" in values:
                values["unit_id"] = values.pop("unit_code")
        q = ServiceDecision.objects.filter(person_id__in={p for p, _d in rows}, decision_id__in={d for _p, d in rows})
        existing = {(d.person_id, d.decision_id): d for d in q}
        new, changed = [], []
        for (person_id, decision_id), values in rows.items():
            decision = existing.get((person_id, decision_id))
            if decision is None:
                new.append(self._new(person_id, decision_id, values))
            elif _update(decision, values, self.now):
                changed.append(decision)
        self.counts["created"] += len(new)
        self.counts["updated"] += len(changed)
        self.counts["unchanged"] += len(rows) - len(new) - len(changed)
        if not self.dry_run:
            ServiceDecision.objects.bulk_create(new, batch_size=1000)
            ServiceDecision.objects.bulk_update(changed, [*COMPARED, "updated_at"], batch_size=500)

    def _new(self, person_id, decision_id, values):
        return ServiceDecision(
            person_id=person_id, decision_id=decision_id, created_at=self.now, updated_at=self.now, **values
        )


def _update(decision, values, now):
    """Set what changed on `decision`; True if anything did."""
    changed = False
    for name in COMPARED:
        if name in values and getattr(decision, name) != values[name]:
            setattr(decision, name, values[name])
            changed = True
    if changed:
        decision.updated_at = now
    return changed
