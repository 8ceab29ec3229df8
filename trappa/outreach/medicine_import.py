"""The medicine lists from the GP or the home service: how many regular medicines and diagnoses a person has.

Counts only (trappa/outreach/models.py MedicineList): the many-medicines risk group of seed 000
§2.4 reads the latest list (data/outreach/*/rules.toml, kind `many_medicines`), and multimorbidity
its count of chronic conditions (kind `multimorbidity`, WHO: two or more). On the register
importer's two passes: a file with any bad row is rejected whole. Format: docs/register-format.md.
"""

import re

from django.utils.translation import gettext_noop

from trappa.outreach.importing import IN_THE_FUTURE, _ListImporter
from trappa.outreach.models import MedicineList
from trappa.people.importing import fields as f
from trappa.people.importing.engine import person_ids, run_import
from trappa.people.importing.report import Problem

MEDICINE_LISTS = "medicine_lists"
MAX_COUNT = 99
NOT_A_COUNT = gettext_noop("Not a whole number from 0 to 99.")
DIGITS = re.compile(r"\d{1,2}")


def count(required=False):
    def parse(value):
        if not value:
            if required:
                raise f.BadValue(f.REQUIRED)
            return None
        if not DIGITS.fullmatch(value):
            raise f.BadValue(NOT_A_COUNT)
        return int(value)

    return parse


class MedicineListImporter(_ListImporter):
    """A row is one list: the person, the day it was reported and who sent it. A later file may correct its counts."""

    kind = MEDICINE_LISTS

    def build_columns(self):
        return {
            "national_id": (True, f.national_id_number(self.allow_synthetic)),
            "reported_on": (True, f.date(required=True)),
            "medicines": (True, count(required=True)),
            "diagnoses": (False, count()),
            "source": (False, f.text(100)),
        }

    def check_row(self, line, values):
        problems = super().check_row(line, values)
        if values.get("reported_on") and values["reported_on"] > self.now.date():
            problems.append(Problem(line, "reported_on", IN_THE_FUTURE))
        return problems

    def key(self, values):
        return (values["national_id"], values["reported_on"], values.get("source", ""))

    def apply_chunk(self, chunk):
        ids = person_ids(self.municipality, [values["national_id"] for _line, values in chunk])
        rows = {(ids[v["national_id"]], v["reported_on"], v.get("source", "")): v for _line, v in chunk}
        q = MedicineList.objects.filter(person_id__in={pid for pid, _day, _source in rows})
        existing = {(m.person_id, m.reported_on, m.source): m for m in q}
        new, changed = [], []
        for (pid, day, source), values in rows.items():
            counts = {"medicines": values["medicines"]}
            if "diagnoses" in values:
                counts["diagnoses"] = values["diagnoses"]
            known = existing.get((pid, day, source))
            if known is None:
                new.append(MedicineList(person_id=pid, reported_on=day, source=source, **counts))
            elif any(getattr(known, name) != value for name, value in counts.items()):
                for name, value in counts.items():
                    setattr(known, name, value)
                changed.append(known)
        self.counts["created"] += len(new)
        self.counts["updated"] += len(changed)
        self.counts["unchanged"] += len(rows) - len(new) - len(changed)
        if not self.dry_run:
            MedicineList.objects.bulk_create(new)
            MedicineList.objects.bulk_update(changed, ["medicines", "diagnoses"])


def import_medicine_lists(path, municipality, **options):
    return run_import(MedicineListImporter, path, municipality, **options)
