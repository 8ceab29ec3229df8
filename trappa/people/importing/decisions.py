"""The decisions file: the municipal services each person already receives."""

from django.utils.translation import gettext_noop

from trappa.accounts.models import Unit
from trappa.people.models import ImportKind, ServiceDecision, ServiceKind

from . import fields as f
from .engine import Importer, person_ids
from .report import Problem

UNKNOWN_PERSON = gettext_noop("No person with this national identity number in the register.")
UNKNOWN_UNIT = gettext_noop("No unit with this code in the municipality.")
END_BEFORE_START = gettext_noop("The end date is before the start date.")
DUPLICATE = gettext_noop("The same decision for the same person is on an earlier line.")

SERVICES = {value: value for value in ServiceKind.values}
COMPARED = ("service", "start_date", "end_date", "unit_id")


class DecisionImporter(Importer):
    kind = ImportKind.DECISIONS

    def __init__(self, batch, user=None):
        super().__init__(batch, user)
        self.seen = set()

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
