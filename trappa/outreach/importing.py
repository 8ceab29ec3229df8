"""Imports of the lists the outreach rules read: hospital discharge notices and
disability benefit recipients (docs/outreach-formats.md).

They use the register importer's two passes (trappa/people/importing/engine.py):
a file with any bad row is rejected whole and nothing is written.
"""

from django.utils.translation import gettext_noop

from trappa.outreach.models import DisabilityBenefit, DischargeNotice
from trappa.people.importing import fields as f
from trappa.people.importing.engine import Importer, person_ids, run_import
from trappa.people.importing.report import Problem

DISCHARGES = "discharges"
DISABILITY_BENEFIT = "disability_benefit"

UNKNOWN_PERSON = gettext_noop("No person with this national identity number in the register.")
DUPLICATE = gettext_noop("The same row is on an earlier line.")
IN_THE_FUTURE = gettext_noop("The date is in the future.")


class _ListImporter(Importer):
    """Rows keyed by national ID; every ID must be in the register, and no row may repeat."""

    def __init__(self, batch, user=None):
        super().__init__(batch, user)
        self.seen = set()

    def check_row(self, line, values):
        if values.get("national_id"):
            values["national_id"] = values["national_id"].number
        return []

    def key(self, values):
        return values["national_id"]

    def check_chunk(self, chunk):
        known = person_ids(self.municipality, [values["national_id"] for _line, values in chunk])
        problems = []
        for line, values in chunk:
            if values["national_id"] not in known:
                problems.append(Problem(line, "national_id", UNKNOWN_PERSON))
            elif self.key(values) in self.seen:
                problems.append(Problem(line, "national_id", DUPLICATE))
            self.seen.add(self.key(values))
        return problems


class DischargeImporter(_ListImporter):
    kind = DISCHARGES

    def build_columns(self):
        return {
            "national_id": (True, f.national_id_number(self.allow_synthetic)),
            "discharged_on": (True, f.date(required=True)),
        }

    def check_row(self, line, values):
        problems = super().check_row(line, values)
        if values.get("discharged_on") and values["discharged_on"] > self.now.date():
            problems.append(Problem(line, "discharged_on", IN_THE_FUTURE))
        return problems

    def key(self, values):
        return (values["national_id"], values["discharged_on"])

    def apply_chunk(self, chunk):
        ids = person_ids(self.municipality, [values["national_id"] for _line, values in chunk])
        wanted = {(ids[v["national_id"]], v["discharged_on"]) for _line, v in chunk}
        q = DischargeNotice.objects.filter(person_id__in={pid for pid, _day in wanted})
        known = set(q.values_list("person_id", "discharged_on"))
        new = wanted - known
        self.counts["created"] += len(new)
        self.counts["unchanged"] += len(wanted & known)
        if not self.dry_run:
            notices = [DischargeNotice(person_id=pid, discharged_on=day, batch=self.batch) for pid, day in new]
            DischargeNotice.objects.bulk_create(notices)


class DisabilityBenefitImporter(_ListImporter):
    """The file is the whole current list: people not in it are taken off the list."""

    kind = DISABILITY_BENEFIT

    def __init__(self, batch, user=None):
        super().__init__(batch, user)
        self.previous = None

    def build_columns(self):
        return {"national_id": (True, f.national_id_number(self.allow_synthetic))}

    def apply_chunk(self, chunk):
        if self.previous is None:
            self.previous = self._take_previous_list()
        ids = person_ids(self.municipality, [values["national_id"] for _line, values in chunk])
        wanted = {ids[values["national_id"]] for _line, values in chunk}
        self.counts["created"] += len(wanted - self.previous)
        self.counts["unchanged"] += len(wanted & self.previous)
        if not self.dry_run:
            rows = [DisabilityBenefit(person_id=pid, batch=self.batch) for pid in wanted]
            DisabilityBenefit.objects.bulk_create(rows)

    def _take_previous_list(self):
        q = DisabilityBenefit.objects.filter(person__municipality=self.municipality)
        previous = set(q.values_list("person_id", flat=True))
        if not self.dry_run:
            # Inside the import's transaction: a failure later puts the old list back.
            q.delete()
        return previous


IMPORTERS = {DISCHARGES: DischargeImporter, DISABILITY_BENEFIT: DisabilityBenefitImporter}


def import_list(kind, path, municipality, **options):
    return run_import(IMPORTERS[kind], path, municipality, **options)
