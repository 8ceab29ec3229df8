"""Relations and decisions on PostgreSQL: the staged, set-based passes (staging.py) find the same problems
and write the same rows, with the same counts, as the row-by-row passes SQLite uses, for the same files."""

import datetime
import tempfile
from pathlib import Path
from unittest import mock, skipUnless

from django.db import connection, transaction
from django.utils import timezone

from tests.people.import_helpers import ImportTestCase, csv_text
from trappa.accounts.models import Unit
from trappa.demo.generator import generate
from trappa.lib.national_id import make_synthetic
from trappa.people.importing import engine, report, staging
from trappa.people.importing.decisions import DecisionImporter
from trappa.people.importing.persons import PersonImporter
from trappa.people.importing.relations import RelationImporter
from trappa.people.models import PersonRelation, ServiceDecision
from trappa.test import OLGA_ID, PER_ID

UNKNOWN = make_synthetic(datetime.date(1950, 1, 1), "F", 3)


def relation(national_id=PER_ID, related=OLGA_ID, kind="caregiver", nearest="ja"):
    return {"national_id": national_id, "related_national_id": related, "relation": kind, "nearest_relative": nearest}


def decision(national_id=OLGA_ID, decision_id="V-1", service="safety_alarm", start="2024-03-01", **fields):
    row = {"national_id": national_id, "decision_id": decision_id, "service": service, "start_date": start}
    return row | {"end_date": "", "unit_code": "helsetjenesten"} | fields


def relations():
    q = PersonRelation.objects.values_list(
        "from_person__national_id", "to_person__national_id", "kind", "nearest_relative", "valid_from"
    )
    return sorted(q)


def decisions(since):
    q = ServiceDecision.objects.order_by("person__national_id", "decision_id")
    return [
        (d.person.national_id, d.decision_id, d.service, d.start_date, d.end_date, d.unit_id, d.updated_at >= since)
        for d in q.select_related("person")
    ]


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has only the row-by-row path")
class StagedAgreesWithRowByRowTest(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        born = datetime.date(1945, 5, 17)
        cls.others = [make_synthetic(born, "F", n) for n in range(6)]
        for n, number in enumerate(cls.others):
            cls.make_person(number, "Test", f"Person{n}", born, "F")

    def outcomes(self, importer_class, files, snapshot, *, staged):
        """Each file's batch (status, rows, counts, problems) and the table after it, on one path; undone after."""
        results, since = [], timezone.now()
        point = transaction.savepoint()
        with mock.patch.object(staging, "handles", return_value=staged):
            for content, dry_run in files:
                path = self.write(content)
                batch = engine.run_import(importer_class, str(path), self.vefsn, dry_run=dry_run)
                counts = (batch.created, batch.updated, batch.unchanged, batch.ended_follow_up)
                results.append((batch.status, batch.rows, batch.bad_rows, counts, batch.errors, snapshot(since)))
        transaction.savepoint_rollback(point)
        return results

    def assertSameOutcomes(self, importer_class, files, snapshot):
        staged = self.outcomes(importer_class, files, snapshot, staged=True)
        row_by_row = self.outcomes(importer_class, files, snapshot, staged=False)
        self.assertEqual(staged, row_by_row)
        return staged

    def test_relations_imported_changed_and_imported_again(self):
        a, b, c, d = self.others[:4]
        first = [relation(), relation(kind="spouse", nearest=""), relation(a, b), relation(b, a, "parent", "nei")]
        changed = [relation(nearest="nei"), relation(kind="spouse", nearest="ja"), relation(a, b), relation(c, d)]
        files = [(csv_text(first), False), (csv_text(changed), True), (csv_text(changed), False)]
        files += [(csv_text(changed), False), (csv_text([relation(c, d, "parent")], list(first[0])[:3]), False)]
        outcomes = self.assertSameOutcomes(RelationImporter, files, lambda since: relations())
        self.assertEqual([o[3][:3] for o in outcomes], [(4, 0, 0), (1, 2, 1), (1, 2, 1), (0, 0, 4), (1, 0, 0)])

    def test_a_relations_file_with_problems(self):
        a, b = self.others[:2]
        rows = [relation(), relation(UNKNOWN, UNKNOWN), relation(a, a), relation(), relation(a, "123", "cousin")]
        rows += [relation(UNKNOWN, b), relation(UNKNOWN, b), relation(a, b, nearest="kanskje"), relation(b, a)]
        rows += [relation(f"{PER_ID[:6]} {PER_ID[6:]}"), relation(f"{a[:6]} {a[6:]}", b, "spouse")]
        content = csv_text(rows) + "too,few\n\n" + csv_text([relation(a, UNKNOWN)]).split("\n", 1)[1]
        outcomes = self.assertSameOutcomes(RelationImporter, [(content, False)], lambda since: relations())
        self.assertEqual(outcomes[0][0], "rejected")
        self.assertEqual(outcomes[0][2], 10)

    def test_decisions_imported_changed_and_imported_again(self):
        a, b = self.others[:2]
        first = [decision(), decision(PER_ID, "V-7", "home_nursing", end_date="2024-12-31", unit_code=""), decision(a)]
        changed = [decision(end_date="2025-01-31"), first[1], decision(a, unit_code=""), decision(b, "V-9")]
        without_end = [
            {name: row[name] for name in ("national_id", "decision_id", "service", "start_date")} for row in changed
        ]
        files = [(csv_text(first), False), (csv_text(changed), True), (csv_text(changed), False)]
        files += [(csv_text(changed), False), (csv_text(without_end), False)]
        outcomes = self.assertSameOutcomes(DecisionImporter, files, decisions)
        self.assertEqual([o[3][:3] for o in outcomes], [(3, 0, 0), (1, 2, 1), (1, 2, 1), (0, 0, 4), (0, 0, 4)])

    def test_a_decisions_file_with_problems(self):
        a = self.others[0]
        rows = [decision(), decision(UNKNOWN), decision(a, end_date="2020-01-01"), decision(), decision(a, "V-2")]
        rows += [decision(UNKNOWN), decision(a, "V-3", "cleaning", unit_code="nowhere"), decision(a, "V-4", start="")]
        outcomes = self.assertSameOutcomes(DecisionImporter, [(csv_text(rows), False)], decisions)
        self.assertEqual(outcomes[0][0], "rejected")
        self.assertEqual(outcomes[0][2], 6)

    def test_a_file_with_more_problems_than_reported_keeps_the_same_ones(self):
        a, b = self.others[:2]
        rows = [relation(UNKNOWN, a) if n % 3 else relation(a, a) for n in range(40)] + [relation(a, b)] * 5
        with (
            mock.patch.object(engine, "CHUNK_ROWS", 7),
            mock.patch.object(staging, "CHUNK_ROWS", 7),
            mock.patch.object(report, "MAX_REPORTED", 20),
        ):
            outcomes = self.assertSameOutcomes(RelationImporter, [(csv_text(rows), False)], lambda since: relations())
        self.assertEqual(len(outcomes[0][4]), 20)


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has only the row-by-row path")
class StagedDemoTest(ImportTestCase):
    def test_the_demo_files_give_the_same_counts_and_rows_on_both_paths(self):
        population = generate(600, 0, "1824", timezone.localdate())
        for code in set(population.decisions["unit_code"].tolist()) - {"", self.health.code}:
            Unit.objects.get_or_create(municipality=self.vefsn, code=code, defaults={"name": code})
        with tempfile.TemporaryDirectory() as folder:
            paths = population.write(Path(folder))
            engine.run_import(PersonImporter, str(paths["persons"]), self.vefsn)
            results = {}
            for staged in (True, False):
                point = transaction.savepoint()
                with mock.patch.object(staging, "handles", return_value=staged):
                    batches = [
                        engine.run_import(importer, str(paths[kind]), self.vefsn)
                        for kind, importer in (("decisions", DecisionImporter), ("relations", RelationImporter))
                    ]
                results[staged] = (
                    [(b.status, b.rows, b.created, b.updated, b.unchanged) for b in batches],
                    decisions(timezone.now()),
                    relations(),
                )
                transaction.savepoint_rollback(point)
        self.assertEqual(results[True], results[False])
        (decided, related), _decisions, _relations = results[True]
        self.assertEqual((decided[0], related[0]), ("done", "done"))
        self.assertGreater(decided[2], 0)
        self.assertGreater(related[2], 0)
