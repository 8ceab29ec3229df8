import datetime

from tests.people.import_helpers import ImportTestCase, csv_text
from trappa.people.models import ImportBatch, ServiceDecision
from trappa.test import OLGA_ID, PER_ID


def decision(**fields):
    row = {
        "national_id": OLGA_ID,
        "decision_id": "V-2024-001",
        "service": "safety_alarm",
        "start_date": "2024-03-01",
        "end_date": "",
        "unit_code": "helsetjenesten",
    }
    row.update(fields)
    return row


class ImportDecisionsTest(ImportTestCase):
    def test_it_imports_decisions_for_persons_in_the_register(self):
        rows = [
            decision(),
            decision(
                national_id=PER_ID, decision_id="V-7", service="home_nursing", end_date="2024-12-31", unit_code=""
            ),
        ]
        out = self.run_import("import_decisions", csv_text(rows))
        self.assertIn("2 created", out)
        alarm = ServiceDecision.objects.get(person=self.olga)
        self.assertEqual((alarm.service, alarm.start_date), ("safety_alarm", datetime.date(2024, 3, 1)))
        self.assertIsNone(alarm.end_date)
        self.assertEqual(alarm.unit, self.health)
        nursing = ServiceDecision.objects.get(person=self.per)
        self.assertEqual((nursing.end_date, nursing.unit), (datetime.date(2024, 12, 31), None))

    def test_it_changes_nothing_when_the_same_file_is_imported_again(self):
        content = csv_text([decision()])
        self.run_import("import_decisions", content)
        updated_at = ServiceDecision.objects.get().updated_at
        out = self.run_import("import_decisions", content)
        self.assertIn("0 created, 0 updated, 1 unchanged", out)
        self.assertEqual(ServiceDecision.objects.get().updated_at, updated_at)

    def test_it_updates_a_decision_that_has_ended(self):
        self.run_import("import_decisions", csv_text([decision()]))
        self.run_import("import_decisions", csv_text([decision(end_date="2026-06-30")]))
        self.assertEqual(ServiceDecision.objects.get().end_date, datetime.date(2026, 6, 30))
        self.assertEqual(ImportBatch.objects.latest("id").updated, 1)

    def test_a_dry_run_writes_nothing(self):
        out = self.run_import("import_decisions", csv_text([decision()]), "--dry-run")
        self.assertIn("1 created", out)
        self.assertFalse(ServiceDecision.objects.exists())

    def test_it_rejects_a_decision_for_a_person_not_in_the_register(self):
        content = csv_text([decision(), decision(national_id="01814000008", decision_id="V-2")])
        self.assertRejectedFor("import_decisions", content, 3, "national_id", "No person")
        self.assertFalse(ServiceDecision.objects.exists())

    def test_it_rejects_a_person_of_another_municipality(self):
        self.make_person("02894900035", "Nina", "Aurdal", datetime.date(1949, 9, 2), "F", municipality=self.nord_aurdal)
        self.assertRejectedFor(
            "import_decisions", csv_text([decision(national_id="02894900035")]), 2, "national_id", "No person"
        )

    def test_it_rejects_an_unknown_service(self):
        self.assertRejectedFor("import_decisions", csv_text([decision(service="massage")]), 2, "service", "Not one of")

    def test_it_rejects_an_unknown_unit(self):
        self.assertRejectedFor("import_decisions", csv_text([decision(unit_code="helse")]), 2, "unit_code", "No unit")

    def test_it_rejects_an_end_before_the_start(self):
        content = csv_text([decision(end_date="2024-02-01")])
        self.assertRejectedFor("import_decisions", content, 2, "end_date", "before the start")

    def test_it_rejects_a_missing_start_date(self):
        self.assertRejectedFor("import_decisions", csv_text([decision(start_date="")]), 2, "start_date", "required")

    def test_it_rejects_the_same_decision_twice_in_a_file(self):
        content = csv_text([decision(), decision(service="day_care")])
        self.assertRejectedFor("import_decisions", content, 3, "decision_id", "earlier line")
