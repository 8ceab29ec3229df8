import datetime

from tests.people.import_helpers import ImportTestCase, csv_text
from trappa.people.models import ImportBatch, PersonRelation
from trappa.test import OLGA_ID, PER_ID


def relation(**fields):
    row = {"national_id": PER_ID, "related_national_id": OLGA_ID, "relation": "caregiver", "nearest_relative": "ja"}
    row.update(fields)
    return row


class ImportRelationsTest(ImportTestCase):
    def test_it_imports_relations_between_persons_in_the_register(self):
        rows = [relation(), relation(relation="spouse", nearest_relative="")]
        out = self.run_import("import_relations", csv_text(rows))
        self.assertIn("2 created", out)
        caregiver = PersonRelation.objects.get(kind="caregiver")
        self.assertEqual((caregiver.from_person, caregiver.to_person), (self.per, self.olga))
        self.assertTrue(caregiver.nearest_relative)
        self.assertFalse(PersonRelation.objects.get(kind="spouse").nearest_relative)

    def test_it_imports_a_caregiver_who_lives_in_another_municipality(self):
        daughter = self.make_person("02894900035", "Nina", "Nordmann", datetime.date(1949, 9, 2), "F")
        daughter.municipality_number = "0301"
        daughter.save(update_fields=["municipality_number"])
        self.run_import("import_relations", csv_text([relation(national_id="02894900035")]))
        self.assertEqual(PersonRelation.objects.get().from_person, daughter)

    def test_it_changes_nothing_when_the_same_file_is_imported_again(self):
        content = csv_text([relation()])
        self.run_import("import_relations", content)
        out = self.run_import("import_relations", content)
        self.assertIn("0 created, 0 updated, 1 unchanged", out)
        self.assertEqual(PersonRelation.objects.count(), 1)

    def test_it_updates_the_nearest_relative_flag(self):
        self.run_import("import_relations", csv_text([relation()]))
        self.run_import("import_relations", csv_text([relation(nearest_relative="nei")]))
        self.assertFalse(PersonRelation.objects.get().nearest_relative)
        self.assertEqual(ImportBatch.objects.latest("id").updated, 1)

    def test_a_dry_run_writes_nothing(self):
        self.run_import("import_relations", csv_text([relation()]), "--dry-run")
        self.assertFalse(PersonRelation.objects.exists())

    def test_it_rejects_a_relation_to_oneself(self):
        content = csv_text([relation(related_national_id=PER_ID)])
        self.assertRejectedFor("import_relations", content, 2, "related_national_id", "themselves")

    def test_it_rejects_a_person_not_in_the_register(self):
        content = csv_text([relation(), relation(related_national_id="01814000008", relation="parent")])
        self.assertRejectedFor("import_relations", content, 3, "related_national_id", "No person")
        self.assertFalse(PersonRelation.objects.exists())

    def test_it_rejects_an_unknown_relation(self):
        self.assertRejectedFor("import_relations", csv_text([relation(relation="cousin")]), 2, "relation", "Not one of")

    def test_it_rejects_the_same_relation_twice_in_a_file(self):
        content = csv_text([relation(), relation(nearest_relative="nei")])
        self.assertRejectedFor("import_relations", content, 3, "relation", "earlier line")
