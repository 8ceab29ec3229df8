"""Register files never go backwards: an older extract, an undone death, moves (#13 findings 9 and 11)."""

import datetime
import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from tests.people.import_helpers import ASTRID_ID, ImportTestCase, csv_text, olga_row, person_row
from trappa.audit.models import CareRelationship
from trappa.people.importing.engine import GOES_BACK, OLDER_FILE, extraction_date
from trappa.people.importing.persons import DEATH_UNDONE, MOVE_WITHOUT_DATE
from trappa.people.models import ImportBatch, Person


class ImportGoesForwardTest(ImportTestCase):
    def import_named(self, name, rows, *options):
        path = self.write(csv_text(rows), name=name)
        with translation.override("en"):
            call_command(
                "import_persons",
                str(path),
                "--municipality",
                "1824",
                *options,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
        return ImportBatch.objects.latest("id")

    def refused(self, name, rows, *options):
        with self.assertRaises(CommandError):
            self.import_named(name, rows, *options)
        batch = ImportBatch.objects.latest("id")
        self.assertEqual(batch.status, "rejected")
        return [(p["line"], p["column"], p["reason"]) for p in batch.errors]

    def test_the_extraction_date_is_read_from_the_file_name(self):
        self.assertEqual(extraction_date("personer_2026-11-30.csv"), datetime.date(2026, 11, 30))
        self.assertEqual(extraction_date("personer-20261130.csv"), datetime.date(2026, 11, 30))
        self.assertIsNone(extraction_date("personer.csv"))
        batch = self.import_named("personer_2026-11-30.csv", [person_row()])
        self.assertEqual(batch.extracted_on, datetime.date(2026, 11, 30))

    def test_an_older_file_is_refused_listing_what_would_go_back(self):
        self.import_named("personer_2026-11-02.csv", [person_row(street_address="Nygata 2", living_alone="ja")])
        problems = self.refused("personer_2026-10-01.csv", [person_row(street_address="Storgata 1")])
        self.assertEqual(
            problems, [(1, "", OLDER_FILE), (2, "living_alone", GOES_BACK), (2, "street_address", GOES_BACK)]
        )
        self.assertEqual(Person.objects.get(national_id=ASTRID_ID).street_address, "Nygata 2")

    def test_an_older_file_allowed_still_cannot_undo_a_death(self):
        self.import_named("personer_2026-11-02.csv", [person_row(date_of_death="2026-11-01")])
        problems = self.refused("personer_2026-10-01.csv", [person_row()], "--allow-older")
        self.assertEqual(problems, [(2, "date_of_death", DEATH_UNDONE)])
        astrid = Person.objects.get(national_id=ASTRID_ID)
        self.assertEqual(astrid.date_of_death, datetime.date(2026, 11, 1))
        self.assertFalse(astrid.is_active)

    def test_an_older_file_is_imported_when_allowed_and_a_death_undone_only_with_a_reason(self):
        self.import_named("personer_2026-11-02.csv", [person_row(date_of_death="2026-11-01")])
        reason = "Folkeregisteret corrected a wrongly registered death"
        self.import_named("personer_2026-10-01.csv", [person_row()], "--allow-older", "--correct-deaths", reason)
        self.assertIsNone(Person.objects.get(national_id=ASTRID_ID).date_of_death)
        self.assertEqual(ImportBatch.objects.latest("id").correction_reason, reason)

    def test_an_undated_file_never_undoes_a_death_either(self):
        self.import_named("personer.csv", [person_row(date_of_death="2026-11-01")])
        self.assertEqual(self.refused("personer.csv", [person_row()]), [(2, "date_of_death", DEATH_UNDONE)])

    def test_a_newer_file_goes_in(self):
        self.import_named("personer_2026-10-01.csv", [person_row()])
        self.import_named("personer_2026-11-02.csv", [person_row(street_address="Nygata 2")])
        self.assertEqual(Person.objects.get(national_id=ASTRID_ID).street_address, "Nygata 2")


class MovesTest(ImportTestCase):
    def setUp(self):
        super().setUp()
        CareRelationship.objects.create(person=self.olga, user=self.alice, kind="worklist", source="test")

    def test_a_move_dated_in_the_future_ends_follow_up_on_its_date_not_at_the_import(self):
        later = timezone.localdate() + datetime.timedelta(days=30)
        self.run_import("import_persons", csv_text([olga_row(date_moved_out=str(later), municipality_number="1833")]))
        self.olga.refresh_from_db()
        self.assertTrue(self.olga.is_active)
        self.assertTrue(Person.objects.active().filter(pk=self.olga.pk).exists())
        self.assertTrue(CareRelationship.objects.current().filter(person=self.olga).exists())
        call_command("end_follow_up_for_moves", "--municipality", "1824", stdout=io.StringIO())
        self.assertTrue(CareRelationship.objects.current().filter(person=self.olga).exists())
        # The day comes: the nightly run ends follow-up.
        Person.objects.filter(pk=self.olga.pk).update(date_moved_out=timezone.localdate())
        out = io.StringIO()
        call_command("end_follow_up_for_moves", "--municipality", "1824", stdout=out)
        self.assertFalse(CareRelationship.objects.current().filter(person=self.olga).exists())
        self.assertIn("1 person(s)", out.getvalue())

    def test_a_move_to_another_municipality_needs_its_date(self):
        problems, _printed = self.rejection("import_persons", csv_text([olga_row(municipality_number="1833")]))
        self.assertEqual(problems, [(2, "date_moved_out", MOVE_WITHOUT_DATE)])
        self.assertTrue(CareRelationship.objects.current().filter(person=self.olga).exists())
