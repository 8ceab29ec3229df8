"""The relations file: spouses, parents and caregivers."""

from django.utils.translation import gettext_noop

from trappa.people.models import ImportKind, Person, PersonRelation, RelationKind

from . import fields as f
from . import staging
from .engine import Importer, person_ids
from .report import Problem

UNKNOWN_PERSON = gettext_noop("No person with this national identity number in the register.")
SELF = gettext_noop("A person cannot be related to themselves.")
DUPLICATE = gettext_noop("The same relation is on an earlier line.")

MATCHED = "import_relations_matched"

KINDS = {value: value for value in RelationKind.values}


class RelationImporter(staging.StagedImporter, Importer):
    kind = ImportKind.RELATIONS

    # The staged columns' types: numbers as the register has them, the kind, the flag (none if empty).
    staged_types = {
        "national_id": "varchar(11)",
        "related_national_id": "varchar(11)",
        "relation": "varchar(20)",
        "nearest_relative": "boolean",
    }

    def build_columns(self):
        number = f.national_id_number(self.allow_synthetic)
        return {
            "national_id": (True, number),
            "related_national_id": (True, number),
            "relation": (True, f.choice(KINDS, required=True)),
            "nearest_relative": (False, f.boolean),
        }

    def check_row(self, line, values):
        number, related = values.get("national_id"), values.get("related_national_id")
        if number and related and number.number == related.number:
            return [Problem(line, "related_national_id", SELF)]
        return []

    def check_columns(self, cleaned, bad):
        """check_row a column at a time (staging.py): [(index, column, reason)]."""
        pairs = zip(cleaned["national_id"], cleaned["related_national_id"], strict=True)
        return [(i, "related_national_id", SELF) for i, (a, b) in enumerate(pairs) if a and a == b]

    def staged_problems(self, cursor):
        """check_chunk over the staged rows: [(chunk, order, Problem)] for the unknown persons and the
        relations repeated from an earlier line (whether or not that line's persons are known)."""
        cursor.execute(
            f"""SELECT s.chunk, s.line, a.id IS NULL, b.id IS NULL, s.repeated FROM (
                SELECT chunk, line, national_id, related_national_id, row_number() OVER (
                    PARTITION BY national_id, related_national_id, relation ORDER BY line) > 1 AS repeated
                FROM {staging.STAGE}) s
            LEFT JOIN {Person._meta.db_table} a ON a.municipality_id = %s AND a.national_id = s.national_id
            LEFT JOIN {Person._meta.db_table} b ON b.municipality_id = %s AND b.national_id = s.related_national_id
            WHERE a.id IS NULL OR b.id IS NULL OR s.repeated""",  # noqa: S608 (names only)
            [self.municipality.pk, self.municipality.pk],
        )
        problems = []
        for chunk, line, unknown, related_unknown, repeated in cursor.fetchall():
            if unknown:
                problems.append((chunk, 0, Problem(line, "national_id", UNKNOWN_PERSON)))
            if related_unknown:
                problems.append((chunk, 1, Problem(line, "related_national_id", UNKNOWN_PERSON)))
            if repeated and not (unknown or related_unknown):
                problems.append((chunk, 2, Problem(line, "relation", DUPLICATE)))
        return problems

    def merge(self, cursor):
        """apply_chunk for the whole file: count, then (unless a dry run) update the flags that differ and add
        the new relations. A row without the flag (the column left out or empty) leaves an existing one alone."""
        person, relation = Person._meta.db_table, PersonRelation._meta.db_table
        nearest = "s.nearest_relative" if "nearest_relative" in self.staged.columns else "NULL::boolean"
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {MATCHED} ON COMMIT DROP AS
            SELECT s.line, a.id AS from_id, b.id AS to_id, s.relation AS kind, {nearest} AS nearest,
                r.id AS relation_id, r.nearest_relative AS was_nearest
            FROM {staging.STAGE} s
            JOIN {person} a ON a.municipality_id = %s AND a.national_id = s.national_id
            JOIN {person} b ON b.municipality_id = %s AND b.national_id = s.related_national_id
            LEFT JOIN {relation} r ON r.from_person_id = a.id AND r.to_person_id = b.id AND r.kind = s.relation""",  # noqa: S608 (names only)
            [self.municipality.pk, self.municipality.pk],
        )
        differs = "m.relation_id IS NOT NULL AND m.nearest IS NOT NULL AND m.nearest <> m.was_nearest"
        cursor.execute(
            f"""SELECT count(*) FILTER (WHERE m.relation_id IS NULL), count(*) FILTER (WHERE {differs}),
                count(*) FILTER (WHERE m.relation_id IS NOT NULL AND NOT ({differs})) FROM {MATCHED} m"""  # noqa: S608
        )
        staging.counted(self, cursor)
        if not self.dry_run:
            cursor.execute(
                f"""UPDATE {relation} r SET nearest_relative = m.nearest FROM {MATCHED} m
                WHERE r.id = m.relation_id AND {differs}"""  # noqa: S608 (names only)
            )
            cursor.execute(
                f"""INSERT INTO {relation} (from_person_id, to_person_id, kind, nearest_relative)
                SELECT m.from_id, m.to_id, m.kind, COALESCE(m.nearest, false) FROM {MATCHED} m
                WHERE m.relation_id IS NULL ORDER BY m.line"""  # noqa: S608 (names only)
            )
        cursor.execute(f"DROP TABLE {MATCHED}")

    def check_chunk(self, chunk):
        known = person_ids(self.municipality, _numbers(chunk))
        problems = []
        for line, values in chunk:
            key = (values["national_id"], values["related_national_id"], values["relation"])
            unknown = [name for name in ("national_id", "related_national_id") if values[name] not in known]
            problems.extend(Problem(line, name, UNKNOWN_PERSON) for name in unknown)
            if not unknown and key in self.seen:
                problems.append(Problem(line, "relation", DUPLICATE))
            self.seen.add(key)
        return problems

    def apply_chunk(self, chunk):
        ids = person_ids(self.municipality, _numbers(chunk))
        rows = {
            (ids[values["national_id"]], ids[values["related_national_id"]], values["relation"]): values
            for _line, values in chunk
        }
        q = PersonRelation.objects.filter(from_person_id__in={key[0] for key in rows})
        q = q.filter(to_person_id__in={key[1] for key in rows})
        existing = {(r.from_person_id, r.to_person_id, r.kind): r for r in q}
        new, changed = [], []
        for key, values in rows.items():
            relation = existing.get(key)
            nearest = values.get("nearest_relative")
            if relation is None:
                new.append(
                    PersonRelation(
                        from_person_id=key[0], to_person_id=key[1], kind=key[2], nearest_relative=bool(nearest)
                    )
                )
            elif nearest is not None and relation.nearest_relative != nearest:
                relation.nearest_relative = nearest
                changed.append(relation)
        self.counts["created"] += len(new)
        self.counts["updated"] += len(changed)
        self.counts["unchanged"] += len(rows) - len(new) - len(changed)
        if not self.dry_run:
            PersonRelation.objects.bulk_create(new, batch_size=1000)
            PersonRelation.objects.bulk_update(changed, ["nearest_relative"], batch_size=500)


def _numbers(chunk):
    return [values[name] for _line, values in chunk for name in ("national_id", "related_national_id")]
