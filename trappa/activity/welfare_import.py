"""The welfare-technology file: the technology each person has from a decision (docs/register-format.md).

One row per technology a person has or has had: the safety alarm, GPS, medicine dispenser,
electronic door lock or digital supervision of seed 004 §5.3, with the date it was installed
and, when it was taken back, the date it ended. It goes through the register import's engine
(trappa/people/importing): checked whole first, written only if every row is good. A row is
the same technology of the same person from the same date: a later file may end it or link it
to its decision. The outreach trigger "new welfare technology" reads what this writes.
"""

from django.utils.translation import gettext_noop

from trappa.people.importing import fields as f
from trappa.people.importing.engine import Importer, person_ids, run_import
from trappa.people.importing.report import Problem
from trappa.people.models import ServiceDecision, WelfareTechnology, WelfareTechnologyKind

# ImportBatch.kind of these files. The people app's ImportKind names the register's own files.
KIND = "welfare_technology"

UNKNOWN_PERSON = gettext_noop("No person with this national identity number in the register.")
UNTIL_BEFORE_SINCE = gettext_noop("The end date is before the date the technology was installed.")
DUPLICATE = gettext_noop("The same technology for the same person from the same date is on an earlier line.")
UNKNOWN_DECISION = gettext_noop("The person has no decision with this reference in the register.")

TECHNOLOGIES = {value: value for value in WelfareTechnologyKind.values}
COMPARED = ("until", "decision_id")


class WelfareTechnologyImporter(Importer):
    kind = KIND

    def __init__(self, batch, user=None):
        super().__init__(batch, user)
        self.seen = set()

    def build_columns(self):
        return {
            "national_id": (True, f.national_id_number(self.allow_synthetic)),
            "technology": (True, f.choice(TECHNOLOGIES, required=True)),
            "since": (True, f.date(required=True)),
            "until": (False, f.date()),
            "decision_id": (False, f.text(50)),
        }

    def check_row(self, line, values):
        since, until = values.get("since"), values.get("until")
        if since and until and until < since:
            return [Problem(line, "until", UNTIL_BEFORE_SINCE)]
        return []

    def check_chunk(self, chunk):
        known = person_ids(self.municipality, [values["national_id"] for _line, values in chunk])
        decisions = self._decisions(known.values(), chunk)
        problems = []
        for line, values in chunk:
            key = (values["national_id"], values["technology"], values["since"])
            person = known.get(values["national_id"])
            if person is None:
                problems.append(Problem(line, "national_id", UNKNOWN_PERSON))
            elif key in self.seen:
                problems.append(Problem(line, "technology", DUPLICATE))
            elif values.get("decision_id") and (person, values["decision_id"]) not in decisions:
                problems.append(Problem(line, "decision_id", UNKNOWN_DECISION))
            self.seen.add(key)
        return problems

    def _decisions(self, person_ids_, chunk):
        """{(person id, decision reference): decision id} for the references in the chunk."""
        references = {values["decision_id"] for _line, values in chunk if values.get("decision_id")}
        q = ServiceDecision.objects.filter(person_id__in=list(person_ids_), decision_id__in=references)
        return {(d.person_id, d.decision_id): d.pk for d in q.only("pk", "person_id", "decision_id")}

    def apply_chunk(self, chunk):
        ids = person_ids(self.municipality, [values["national_id"] for _line, values in chunk])
        decisions = self._decisions(ids.values(), chunk)
        rows = {}
        for _line, values in chunk:
            person = ids[values["national_id"]]
            fields = {}
            if "until" in values:
                fields["until"] = values["until"]
            if "decision_id" in values:
                fields["decision_id"] = decisions.get((person, values["decision_id"]))
            rows[person, values["technology"], values["since"]] = fields
        q = WelfareTechnology.objects.filter(person_id__in={p for p, _k, _s in rows})
        existing = {(t.person_id, t.kind, t.since): t for t in q}
        new, changed = [], []
        for (person, kind, since), fields in rows.items():
            technology = existing.get((person, kind, since))
            if technology is None:
                new.append(WelfareTechnology(person_id=person, kind=kind, since=since, **fields))
            elif _update(technology, fields):
                changed.append(technology)
        self.counts["created"] += len(new)
        self.counts["updated"] += len(changed)
        self.counts["unchanged"] += len(rows) - len(new) - len(changed)
        if not self.dry_run:
            WelfareTechnology.objects.bulk_create(new, batch_size=1000)
            WelfareTechnology.objects.bulk_update(changed, list(COMPARED), batch_size=500)


def _update(technology, fields):
    changed = False
    for name in COMPARED:
        if name in fields and getattr(technology, name) != fields[name]:
            setattr(technology, name, fields[name])
            changed = True
    return changed


def import_welfare_technology(path, municipality, **options):
    """Import the file at `path`; the options are the register import's (engine.run_import)."""
    return run_import(WelfareTechnologyImporter, path, municipality, **options)
