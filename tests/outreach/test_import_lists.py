"""Importing discharge notices and the disability benefit list: all or nothing."""

import datetime
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone, translation

from trappa.lib.national_id import make_synthetic
from trappa.outreach.importing import DISABILITY_BENEFIT, DISCHARGES, import_list
from trappa.outreach.models import DisabilityBenefit, DischargeNotice
from trappa.people.models import ImportStatus

from .base import OutreachTestCase


@override_settings(ALLOW_SYNTHETIC_NATIONAL_IDS=True)
class ImportListTestCase(OutreachTestCase):
    def write(self, text):
        folder = tempfile.mkdtemp()
        path = Path(folder) / "list.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def test_it_imports_discharge_notices(self):
        path = self.write(f"national_id;discharged_on\n{self.olga.national_id};2026-01-10\n")
        batch = import_list(DISCHARGES, path, self.vefsn)
        self.assertEqual((batch.status, batch.created), (ImportStatus.DONE, 1))
        self.assertEqual(DischargeNotice.objects.get().discharged_on, datetime.date(2026, 1, 10))

    def test_importing_the_same_notices_again_adds_nothing(self):
        path = self.write(f"national_id;discharged_on\n{self.olga.national_id};2026-01-10\n")
        import_list(DISCHARGES, path, self.vefsn)
        batch = import_list(DISCHARGES, path, self.vefsn)
        self.assertEqual((batch.created, batch.unchanged), (0, 1))
        self.assertEqual(DischargeNotice.objects.count(), 1)

    def test_a_file_with_one_bad_row_is_rejected_whole(self):
        rows = [f"{self.olga.national_id};2026-01-10", f"{self.per.national_id};10.01.2026"]
        batch = import_list(DISCHARGES, self.write("national_id;discharged_on\n" + "\n".join(rows) + "\n"), self.vefsn)
        self.assertEqual(batch.status, ImportStatus.REJECTED)
        problem = {"line": 3, "column": "discharged_on", "reason": "Not a date in the form YYYY-MM-DD."}
        self.assertEqual(batch.errors, [problem])
        self.assertFalse(DischargeNotice.objects.exists())

    def test_a_discharge_in_the_future_is_refused(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        path = self.write(f"national_id;discharged_on\n{self.olga.national_id};{tomorrow.isoformat()}\n")
        self.assertEqual(import_list(DISCHARGES, path, self.vefsn).status, ImportStatus.REJECTED)

    def test_a_person_not_in_the_register_is_refused(self):
        unknown = make_synthetic(datetime.date(1944, 2, 2), "F", 7)
        batch = import_list(DISCHARGES, self.write(f"national_id;discharged_on\n{unknown};2026-01-10\n"), self.vefsn)
        self.assertEqual(batch.status, ImportStatus.REJECTED)
        self.assertEqual(batch.errors[0]["reason"], "No person with this national identity number in the register.")

    def test_another_municipalitys_person_is_not_in_this_register(self):
        lars = self.make_person(
            "05054400000", "Lars", "Aurdal", datetime.date(1944, 5, 5), "M", municipality=self.nord_aurdal
        )
        path = self.write(f"national_id;discharged_on\n{lars.national_id};2026-01-10\n")
        self.assertEqual(import_list(DISCHARGES, path, self.vefsn).status, ImportStatus.REJECTED)

    def test_the_disability_benefit_list_replaces_the_previous_list(self):
        import_list(DISABILITY_BENEFIT, self.write(f"national_id\n{self.olga.national_id}\n"), self.vefsn)
        batch = import_list(DISABILITY_BENEFIT, self.write(f"national_id\n{self.per.national_id}\n"), self.vefsn)
        self.assertEqual(batch.status, ImportStatus.DONE)
        self.assertEqual(list(DisabilityBenefit.objects.values_list("person", flat=True)), [self.per.pk])

    def test_a_repeated_person_is_refused(self):
        path = self.write(f"national_id\n{self.olga.national_id}\n{self.olga.national_id}\n")
        batch = import_list(DISABILITY_BENEFIT, path, self.vefsn)
        self.assertEqual(batch.status, ImportStatus.REJECTED)
        self.assertEqual(batch.errors[0]["reason"], "The same row is on an earlier line.")

    def test_a_rejected_list_keeps_the_previous_list(self):
        import_list(DISABILITY_BENEFIT, self.write(f"national_id\n{self.olga.national_id}\n"), self.vefsn)
        import_list(DISABILITY_BENEFIT, self.write("national_id\n12345678901\n"), self.vefsn)
        self.assertEqual(list(DisabilityBenefit.objects.values_list("person", flat=True)), [self.olga.pk])

    def test_a_dry_run_writes_nothing(self):
        batch = import_list(
            DISABILITY_BENEFIT, self.write(f"national_id\n{self.olga.national_id}\n"), self.vefsn, dry_run=True
        )
        self.assertEqual((batch.status, batch.created), (ImportStatus.DRY_RUN, 1))
        self.assertFalse(DisabilityBenefit.objects.exists())

    def test_the_command_reports_the_problems_and_fails(self):
        path = self.write("national_id;discharged_on\n12345678901;2026-01-10\n")
        err = StringIO()
        with self.assertRaisesMessage(CommandError, "rejected"), translation.override("en"):
            call_command(
                "import_outreach_list", "discharges", path, "--municipality", "1824", stderr=err, stdout=StringIO()
            )
        self.assertIn("line 2, column national_id", err.getvalue())

    def test_the_command_imports_a_good_file(self):
        out = StringIO()
        path = self.write(f"national_id\n{self.olga.national_id}\n")
        with translation.override("en"):
            call_command("import_outreach_list", "disability_benefit", path, "--municipality", "1824", stdout=out)
        self.assertIn("1 rows: 1 new", out.getvalue())
