"""Medicine lists from the GP or home service: imported all or nothing, read by the many-medicines rule."""

import datetime
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone, translation

from trappa.outreach import engine, rules
from trappa.outreach.medicine_import import import_medicine_lists
from trappa.outreach.models import MedicineList
from trappa.people.models import ImportStatus

from .base import OutreachTestCase

HEADER = "national_id;reported_on;medicines;diagnoses;source\n"


@override_settings(ALLOW_SYNTHETIC_NATIONAL_IDS=True)
class ImportMedicineListsTest(OutreachTestCase):
    def write(self, text):
        path = Path(tempfile.mkdtemp()) / "legemiddellister.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def days_ago(self, days):
        return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()

    def test_it_imports_the_counts_and_corrects_them_from_a_later_file(self):
        path = self.write(HEADER + f"{self.olga.national_id};2026-01-15;6;3;fastlege\n")
        batch = import_medicine_lists(path, self.vefsn)
        self.assertEqual((batch.status, batch.created), (ImportStatus.DONE, 1))
        listed = MedicineList.objects.get()
        self.assertEqual((listed.medicines, listed.diagnoses, listed.source), (6, 3, "fastlege"))
        self.assertEqual(import_medicine_lists(path, self.vefsn).unchanged, 1)
        corrected = self.write(HEADER + f"{self.olga.national_id};2026-01-15;7;3;fastlege\n")
        self.assertEqual(import_medicine_lists(corrected, self.vefsn).updated, 1)
        self.assertEqual(MedicineList.objects.get().medicines, 7)

    def test_a_file_with_a_bad_row_is_rejected_whole(self):
        future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        rows = [
            f"{self.olga.national_id};2026-01-15;6;;hjemmetjenesten",
            f"{self.olga.national_id};2026-01-16;many;;",
            f"{self.olga.national_id};{future};4;;",
            f"{self.olga.national_id};2026-01-15;6;;hjemmetjenesten",
        ]
        batch = import_medicine_lists(self.write(HEADER + "\n".join(rows) + "\n"), self.vefsn)
        self.assertEqual(batch.status, ImportStatus.REJECTED)
        found = {(p["line"], p["column"]) for p in batch.errors}
        self.assertEqual(found, {(3, "medicines"), (4, "reported_on"), (5, "national_id")})
        self.assertFalse(MedicineList.objects.exists())

    def test_the_imported_list_puts_the_person_in_the_many_medicines_risk_group(self):
        rule = next(r for r in rules.load("vefsn").rules if r.id == "many_medicines")
        path = self.write(
            HEADER
            + f"{self.olga.national_id};{self.days_ago(40)};{rule.get('min_medicines')};2;fastlege\n"
            + f"{self.per.national_id};{self.days_ago(40)};{rule.get('min_medicines') - 1};;fastlege\n"
        )
        batch = import_medicine_lists(path, self.vefsn)
        self.assertEqual(batch.status, ImportStatus.DONE, batch.errors)
        found = set(engine.residents(self.vefsn).filter(engine.rule_filter(rule, timezone.localdate())))
        self.assertIn(self.olga, found)
        self.assertNotIn(self.per, found)

    def test_the_command_prints_the_counts_and_refuses_a_bad_file(self):
        path = self.write(HEADER + f"{self.olga.national_id};2026-01-15;6;;\n")
        out = StringIO()
        with translation.override("en"):
            call_command("import_medicine_lists", path, "--municipality", "1824", stdout=out)
        self.assertIn("1 new", out.getvalue())
        bad = self.write(HEADER + f"{self.olga.national_id};2026-01-15;;;\n")
        with self.assertRaises(CommandError), translation.override("en"):
            call_command("import_medicine_lists", bad, "--municipality", "1824", stdout=StringIO(), stderr=StringIO())
