"""The relations file: spouses, parents and caregivers."""

from django.utils.translation import gettext_noop

from trappa.people.models import ImportKind, PersonRelation, RelationKind

from . import fields as f
from .engine import Importer, person_ids
from .report import Problem

UNKNOWN_PERSON = gettext_noop("No person with this national identity number in the register.")
SELF = gettext_noop("A person cannot be related to themselves.")
DUPLICATE = gettext_noop("The same relation is on an earlier line.")

KINDS = {value: value for value in RelationKind.values}


class RelationImporter(Importer):
    kind = ImportKind.RELATIONS

    def __init__(self, batch, user=None):
        super().__init__(batch, user)
        self.seen = set()

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
