import datetime

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.people.import_helpers import (
    ASTRID_ID,
    PERSON_COLUMNS,
    ImportTestCase,
    csv_text,
    olga_row,
    per_row,
    person_row,
)
from trappa.audit.models import CareRelationship
from trappa.lib.national_id import make_synthetic
from trappa.people.models import ImportBatch, MaritalStatus, Person, PersonFieldChange
from trappa.people.signals import follow_up_ended


class ImportPersonsTest(ImportTestCase):
    def test_it_imports_a_new_person_with_every_field(self):
        out = self.run_import("import_persons", csv_text([person_row(marital_status_date="2020-05-17")]))
        astrid = Person.objects.get(national_id=ASTRID_ID)
        self.assertEqual((astrid.given_name, astrid.family_name), ("Astrid", "Løvås"))
        self.assertEqual(astrid.birth_date, datetime.date(1944, 2, 29))
        self.assertEqual((astrid.sex, astrid.municipality, astrid.municipality_number), ("F", self.vefsn, "1824"))
        address = (astrid.street_address, astrid.postal_code, astrid.postal_place)
        self.assertEqual(address, ("Storgata 1", "8656", "Mosjøen"))
        self.assertEqual((astrid.marital_status, astrid.marital_status_date), ("married", datetime.date(2020, 5, 17)))
        self.assertEqual((astrid.area, astrid.language, astrid.written_standard), ("Sentrum", "no", "nn"))
        self.assertFalse(astrid.living_alone or astrid.interpreter_needed)
        self.assertIn("1 created", out)

    def test_it_records_the_import_with_its_counts(self):
        self.run_import("import_persons", csv_text([person_row(), olga_row()]))
        batch = ImportBatch.objects.get()
        self.assertEqual((batch.kind, batch.status, batch.municipality), ("persons", "done", self.vefsn))
        self.assertEqual((batch.rows, batch.created, batch.updated, batch.unchanged), (2, 1, 0, 1))
        self.assertEqual(len(batch.sha256), 64)
        self.assertEqual(batch.file_name, "extract.csv")

    def test_it_imports_a_d_number(self):
        d_number = "41014910067"  # a D-number (day + 40) for 1949-01-01
        row = person_row(national_id=d_number, birth_date="1949-01-01")
        self.run_import("import_persons", csv_text([row]))
        self.assertEqual(Person.objects.get(national_id=d_number).birth_date, datetime.date(1949, 1, 1))

    def test_it_accepts_folkeregisteret_words_for_sex_and_every_marital_status(self):
        statuses = [
            "ugift",
            "gift",
            "enkeEllerEnkemann",
            "skilt",
            "separert",
            "registrertPartner",
            "separertPartner",
            "skiltPartner",
            "gjenlevendePartner",
            "uoppgitt",
            "",
        ]
        rows = [
            person_row(
                national_id=make_synthetic(datetime.date(1950, 1, 1 + i), "M", 0),
                birth_date=f"1950-01-{1 + i:02d}",
                sex="mann",
                marital_status=status,
            )
            for i, status in enumerate(statuses)
        ]
        self.run_import("import_persons", csv_text(rows))
        found = set(Person.objects.filter(birth_date__year=1950).values_list("marital_status", flat=True))
        self.assertEqual(found, set(MaritalStatus.values))
        self.assertEqual(set(Person.objects.filter(birth_date__year=1950).values_list("sex", flat=True)), {"M"})

    def test_it_changes_nothing_when_the_same_file_is_imported_again(self):
        content = csv_text([person_row(), olga_row()])
        self.run_import("import_persons", content)
        before = {p.pk: p.updated_at for p in Person.objects.all()}
        out = self.run_import("import_persons", content)
        self.assertIn("0 created, 0 updated, 2 unchanged", out)
        self.assertEqual({p.pk: p.updated_at for p in Person.objects.all()}, before)
        self.assertFalse(PersonFieldChange.objects.exists())
        self.assertEqual(Person.objects.count(), 3)

    def test_it_updates_a_changed_row_and_keeps_the_history_of_each_changed_field(self):
        self.olga.updated_at = before = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        self.olga.save(update_fields=["updated_at"])
        self.run_import("import_persons", csv_text([olga_row(area="Drevja", street_address="Fjellveien 2")]))
        self.olga.refresh_from_db()
        self.assertEqual((self.olga.area, self.olga.street_address), ("Drevja", "Fjellveien 2"))
        self.assertGreater(self.olga.updated_at, before)
        changes = {c.field: (c.old_value, c.new_value) for c in self.olga.changes.all()}
        self.assertEqual(changes, {"area": ("Elsfjord", "Drevja"), "street_address": ("", "Fjellveien 2")})
        batch = ImportBatch.objects.get()
        self.assertEqual(set(self.olga.changes.values_list("batch", flat=True)), {batch.pk})
        self.assertEqual((batch.updated, batch.unchanged), (1, 0))

    def test_it_leaves_a_field_alone_when_a_later_file_has_no_column_for_it(self):
        columns = [c for c in PERSON_COLUMNS if c not in ("area", "living_alone")]
        self.run_import("import_persons", csv_text([olga_row(area="", living_alone="nei")], columns))
        self.olga.refresh_from_db()
        self.assertEqual((self.olga.area, self.olga.living_alone), ("Elsfjord", True))
        self.assertFalse(PersonFieldChange.objects.exists())

    def test_it_keeps_a_person_missing_from_a_later_file(self):
        self.run_import("import_persons", csv_text([person_row()]))
        self.assertTrue(Person.objects.filter(pk=self.per.pk).exists())

    def test_a_dry_run_reports_what_would_change_and_writes_nothing(self):
        content = csv_text([person_row(), olga_row(area="Drevja", date_of_death="2026-10-01")])
        out = self.run_import("import_persons", content, "--dry-run")
        self.assertIn("Dry run", out)
        self.assertIn("1 created, 1 updated, 0 unchanged, 1 ended follow-up", out)
        self.assertFalse(Person.objects.filter(national_id=ASTRID_ID).exists())
        self.olga.refresh_from_db()
        self.assertEqual((self.olga.area, self.olga.date_of_death), ("Elsfjord", None))
        self.assertFalse(PersonFieldChange.objects.exists())
        self.assertEqual(ImportBatch.objects.get().status, "dry_run")


class DeathsAndMovesTest(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.sent = []
        follow_up_ended.connect(self.receive)
        self.addCleanup(follow_up_ended.disconnect, self.receive)

    def receive(self, sender, person, reason, date, **kwargs):
        self.sent.append((sender, person.national_id, reason, date))

    def test_a_death_sends_the_signal_and_is_counted(self):
        self.run_import("import_persons", csv_text([olga_row(date_of_death="2026-10-01")]))
        self.assertEqual(self.sent, [(Person, self.olga.national_id, "died", datetime.date(2026, 10, 1))])
        self.assertEqual(ImportBatch.objects.get().ended_follow_up, 1)
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.date_of_death, datetime.date(2026, 10, 1))

    def test_a_move_sends_the_signal_and_is_counted(self):
        self.run_import("import_persons", csv_text([olga_row(date_moved_out="2026-09-15", municipality_number="1833")]))
        self.assertEqual(self.sent, [(Person, self.olga.national_id, "moved", datetime.date(2026, 9, 15))])
        self.assertEqual(ImportBatch.objects.get().ended_follow_up, 1)

    def test_a_death_ends_the_care_relationships_and_deletes_nothing(self):
        self.run_import("import_persons", csv_text([olga_row(date_of_death="2026-10-01")]))
        relationships = CareRelationship.objects.filter(person=self.olga)
        self.assertEqual(relationships.count(), 2)
        self.assertFalse(relationships.filter(ended_at__isnull=True).exists())
        self.assertTrue(Person.objects.filter(pk=self.olga.pk).exists())

    def test_it_sends_nothing_when_the_same_death_is_imported_again(self):
        content = csv_text([olga_row(date_of_death="2026-10-01")])
        self.run_import("import_persons", content)
        self.sent.clear()
        self.run_import("import_persons", content)
        self.assertEqual(self.sent, [])
        self.assertEqual(ImportBatch.objects.latest("id").ended_follow_up, 0)

    def test_it_sends_nothing_for_a_new_person_who_has_already_died(self):
        self.run_import("import_persons", csv_text([person_row(date_of_death="2026-01-05")]))
        self.assertEqual(self.sent, [])

    def test_a_dry_run_counts_the_death_but_sends_nothing(self):
        self.run_import("import_persons", csv_text([olga_row(date_of_death="2026-10-01")]), "--dry-run")
        self.assertEqual(self.sent, [])
        self.assertEqual(ImportBatch.objects.get().ended_follow_up, 1)


class BadPersonRowsTest(ImportTestCase):
    def assertRowRejected(self, column, reason_part, **fields):
        content = csv_text([olga_row(), person_row(**fields)])
        problems = self.assertRejectedFor("import_persons", content, 3, column, reason_part)
        self.assertFalse(Person.objects.filter(national_id=ASTRID_ID).exists())
        return problems

    def test_it_rejects_wrong_check_digits(self):
        self.assertRowRejected("national_id", "check digits", national_id=ASTRID_ID[:9] + "00")

    def test_it_rejects_a_missing_national_id(self):
        self.assertRowRejected("national_id", "required", national_id="")

    def test_it_rejects_a_national_id_that_is_not_eleven_digits(self):
        self.assertRowRejected("national_id", "11 digits", national_id="1234567")

    def test_it_rejects_a_national_id_with_digits_other_than_0_to_9(self):
        # A superscript two is a digit to Python (and made the import fail); Arabic-Indic digits pass int().
        self.assertRowRejected("national_id", "11 digits", national_id=ASTRID_ID[:2] + "²" + ASTRID_ID[3:])
        arabic = ASTRID_ID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        self.assertRowRejected("national_id", "11 digits", national_id=arabic)

    @override_settings(ALLOW_SYNTHETIC_NATIONAL_IDS=False)
    def test_it_rejects_synthetic_numbers_unless_the_setting_allows_them(self):
        self.assertRowRejected("national_id", "synthetic", national_id=ASTRID_ID)

    def test_it_rejects_a_birth_date_that_disagrees_with_the_number(self):
        self.assertRowRejected("birth_date", "Does not agree", birth_date="1944-03-01")

    def test_it_rejects_a_date_that_does_not_exist(self):
        self.assertRowRejected("marital_status_date", "YYYY-MM-DD", marital_status_date="2023-02-30")

    def test_it_rejects_a_date_in_another_format(self):
        self.assertRowRejected("date_moved_out", "YYYY-MM-DD", date_moved_out="01.02.2024")

    def test_it_rejects_a_date_before_the_birth_date(self):
        self.assertRowRejected("date_moved_out", "before the birth date", date_moved_out="1940-01-01")

    def test_it_rejects_a_death_in_the_future(self):
        self.assertRowRejected("date_of_death", "future", date_of_death="2999-01-01")

    def test_it_rejects_an_unknown_marital_status(self):
        self.assertRowRejected("marital_status", "Not one of", marital_status="samboer")

    def test_it_rejects_an_unknown_sex(self):
        self.assertRowRejected("sex", "Not one of", sex="X")

    def test_it_rejects_a_boolean_it_does_not_know(self):
        self.assertRowRejected("living_alone", "true/false", living_alone="kanskje")

    def test_it_rejects_a_postal_code_that_is_not_four_digits(self):
        self.assertRowRejected("postal_code", "four digits", postal_code="865")

    def test_it_rejects_a_missing_name(self):
        self.assertRowRejected("family_name", "required", family_name="")

    def test_it_rejects_a_name_too_long_for_the_register(self):
        self.assertRowRejected("given_name", "too long", given_name="A" * 201)

    def test_it_rejects_an_unknown_written_standard(self):
        self.assertRowRejected("written_standard", "Not one of", written_standard="sami")

    def test_it_rejects_a_language_that_is_not_an_iso_code(self):
        self.assertRowRejected("language", "ISO 639-1", language="norsk")

    def test_it_rejects_the_same_national_id_twice_in_a_file(self):
        content = csv_text([person_row(), olga_row(), person_row(given_name="Astri")])
        self.assertRejectedFor("import_persons", content, 4, "national_id", "earlier line")

    def test_it_reports_every_bad_row_and_writes_nothing(self):
        rows = [person_row(sex="X"), olga_row(area="Drevja"), per_row(birth_date="1948-09-06", postal_code="1")]
        problems, printed = self.rejection("import_persons", csv_text(rows))
        self.assertEqual(
            [(line, column) for line, column, _reason in problems],
            [(2, "sex"), (4, "birth_date"), (4, "postal_code")],
        )
        self.assertIn("line 4, column postal_code: Must be four digits.", printed)
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.area, "Elsfjord")
        self.assertEqual(Person.objects.count(), 2)
        self.assertEqual(ImportBatch.objects.get().bad_rows, 2)

    def test_the_report_never_repeats_a_value(self):
        bad = person_row(national_id="13884100009", given_name="Ragnhild", birth_date="1941-13-13", sex="Kvinneaktig")
        problems, printed = self.rejection("import_persons", csv_text([bad]))
        self.assertEqual(len(problems), 3)
        for value in ("13884100009", "1941-13-13", "Kvinneaktig"):
            self.assertNotIn(value, printed)
            self.assertNotIn(value, str(problems))

    def test_it_rejects_an_unknown_municipality(self):
        path = self.write(csv_text([person_row()]))
        with self.assertRaisesMessage(CommandError, "No municipality"):
            call_command("import_persons", str(path), "--municipality", "9999")
        self.assertFalse(ImportBatch.objects.exists())
