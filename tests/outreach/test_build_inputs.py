"""A build whose inputs did not change stops at once; any change to them makes the next one build (#17).

PostgreSQL only: there the writes to every table the rules read are counted by triggers
(migration outreach 0005); SQLite always builds in full.
"""

import datetime
import re
import threading
import uuid
from io import StringIO
from unittest import mock, skipUnless

from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from trappa.accounts.models import Municipality, Unit
from trappa.assessments.models import HomeVisit
from trappa.outreach import engine, rules, worklist
from trappa.outreach.models import Contact, WorklistCounts, WorklistEntry
from trappa.people.models import Person, PersonRelation, RelationKind, ServiceDecision

from .base import OutreachTestCase

ON_POSTGRESQL = skipUnless(connection.vendor == "postgresql", "the inputs are counted on PostgreSQL only")
# What the build writes: its own output, whose changes by anyone else do not change what it finds.
OUTPUT = {"outreach_worklistentry", "outreach_worklistcounts", "audit_carerelationship"}
# A value for each setting a rule kind needs, so that one rule of every kind can be built.
SAMPLE = {
    "ages": [75],
    "months": 12,
    "after_months": 6,
    "services": ["safety_alarm"],
    "technologies": ["gps"],
    "min_medicines": 5,
    "min_diagnoses": 2,
    "instrument": "fall-risk",
    "bands": ["high"],
    "items": ["falls"],
    "min_points": 1,
}
LABEL = {"nb": "Regel", "nn": "Regel", "en": "Rule"}


def every_kind():
    """A rule set with one rule of every kind there is, each excluding a service."""
    rule = [
        {"id": kind, "type": "trigger", "kind": kind, "label": LABEL, "exclude_services": ["home_nursing"]}
        | {name: SAMPLE[name] for name in rules.KINDS[kind]}
        for kind in rules.KINDS
    ]
    return rules.parse("vefsn", {"unit": "helsetjenesten", "recent_contact_days": 90, "rule": rule})


def tables_mentioned(queries):
    """The database's own tables that any of the statements names."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
    text = "\n".join(q["sql"] for q in queries)
    return {t for t in tables if re.search(rf"\b{t}\b", text)}


def counted_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'outreach_worklist_inputs' AND NOT t.tgisinternal"
        )
        return {name for (name,) in cursor.fetchall()}


@ON_POSTGRESQL
class InputsTestCase(OutreachTestCase):
    def assert_built_right(self, summary, today=None):
        """The build ran, and the list is what the rules engine finds today."""
        today = today or timezone.localdate()
        self.assertFalse(summary.unchanged)
        found = engine.evaluate(self.vefsn, rules.load("vefsn"), today)
        self.assertEqual(dict(WorklistEntry.objects.values_list("person_id", "reasons")), found)

    def test_every_table_a_build_reads_counts_its_writes(self):
        # A rule reading a new table fails here until migration outreach 0005's list has it.
        with mock.patch.object(worklist, "ruleset_for", return_value=every_kind()):
            with CaptureQueriesContext(connection) as queries:
                worklist.build(self.vefsn, force=True)
        read = tables_mentioned(queries) - OUTPUT
        self.assertTrue({"people_person", "people_personrelation", "outreach_contact"} <= read)
        self.assertEqual(read - counted_tables(), set())

    def test_a_build_with_nothing_changed_stops_at_once_and_says_so(self):
        first = worklist.build(self.vefsn)
        with CaptureQueriesContext(connection) as queries:
            again = worklist.build(self.vefsn)
        self.assertFalse(first.unchanged)
        self.assertTrue(again.unchanged)
        self.assertEqual(again.on_list, first.on_list)
        self.assertLessEqual(len(queries), 4)
        self.assertFalse([q for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE|CREATE)", q["sql"])])

    def test_the_command_says_nothing_changed(self):
        call_command("build_worklist", "--municipality", "1824", stdout=StringIO())
        out = StringIO()
        with translation.override("en"):
            call_command("build_worklist", "--municipality", "1824", stdout=out)
        self.assertIn("on the worklist: nothing it is built from changed since the last build", out.getvalue())

    def test_forced_it_builds_anyway(self):
        worklist.build(self.vefsn)
        self.assert_built_right(worklist.build(self.vefsn, force=True))

    def test_a_changed_person_is_built_again(self):
        worklist.build(self.vefsn)
        Person.objects.filter(pk=self.turning_80.pk).update(
            marital_status="widowed", marital_status_date=timezone.localdate()
        )
        self.assert_built_right(worklist.build(self.vefsn))
        self.assertEqual(WorklistEntry.objects.get(person=self.turning_80).reasons, ["home_visit_age", "bereaved"])

    def test_a_new_relation_is_built_again(self):
        worklist.build(self.vefsn)
        PersonRelation.objects.create(from_person=self.turning_75, to_person=self.olga, kind=RelationKind.CAREGIVER)
        self.assert_built_right(worklist.build(self.vefsn))
        self.assertEqual(WorklistEntry.objects.get(person=self.turning_75).reasons, ["klassefest", "caregiver"])

    def test_a_new_decision_is_built_again(self):
        worklist.build(self.vefsn)
        ServiceDecision.objects.create(
            person=self.turning_80, decision_id="V-1", service="home_nursing", start_date=timezone.localdate()
        )
        self.assert_built_right(worklist.build(self.vefsn))
        self.assertFalse(WorklistEntry.objects.filter(person=self.turning_80).exists())

    def test_a_contact_is_built_again(self):
        worklist.build(self.vefsn)
        Contact.objects.create(
            municipality=self.vefsn, person=self.turning_75, channel="phone", outcome="declined", do_not_contact=True
        )
        self.assert_built_right(worklist.build(self.vefsn))
        self.assertFalse(WorklistEntry.objects.filter(person=self.turning_75).exists())

    def test_a_home_visit_is_built_again(self):
        worklist.build(self.vefsn)
        HomeVisit.objects.create(
            municipality=self.vefsn,
            person=self.turning_75,
            visited_on=timezone.localdate(),
            visited_by=self.alice,
            idempotency_key=uuid.uuid4(),
        )
        self.assert_built_right(worklist.build(self.vefsn))
        self.assertFalse(WorklistEntry.objects.filter(person=self.turning_75).exists())

    def test_a_deleted_contact_is_built_again(self):
        contact = Contact.objects.create(
            municipality=self.vefsn, person=self.turning_75, channel="phone", outcome="declined", do_not_contact=True
        )
        worklist.build(self.vefsn)
        contact.delete()
        self.assert_built_right(worklist.build(self.vefsn))
        self.assertTrue(WorklistEntry.objects.filter(person=self.turning_75).exists())

    def test_changed_rules_are_built_again(self):
        worklist.build(self.vefsn)
        ruleset = rules.load("vefsn")
        fewer = rules.RuleSet(ruleset.slug, ruleset.unit, ruleset.recent_contact_days, ruleset.rules[1:], ())
        with mock.patch.object(worklist, "ruleset_for", return_value=fewer):
            summary = worklist.build(self.vefsn)
        self.assertFalse(summary.unchanged)
        self.assertFalse(WorklistEntry.objects.filter(person=self.turning_75).exists())  # klassefest was first
        self.assertFalse(worklist.build(self.vefsn).unchanged)  # and back

    def test_another_day_is_built_again(self):
        today = timezone.localdate()
        worklist.build(self.vefsn, today)
        next_year = today + datetime.timedelta(days=366)
        self.assert_built_right(worklist.build(self.vefsn, next_year), next_year)
        self.assertTrue(worklist.build(self.vefsn, next_year).unchanged)

    def test_another_holding_unit_is_built_again(self):
        worklist.build(self.vefsn)
        Unit.objects.filter(pk=self.health.pk).update(code="old")
        Unit.objects.create(municipality=self.vefsn, code="helsetjenesten", name="Ny helsetjeneste")
        self.assertFalse(worklist.build(self.vefsn).unchanged)


@ON_POSTGRESQL
class WriteUnderWayTestCase(TransactionTestCase):
    """Real transactions: a write another transaction has made but not committed when the build starts."""

    def setUp(self):
        self.vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        Unit.objects.create(municipality=self.vefsn, code="helsetjenesten", name="Helsetjenesten")
        year = timezone.localdate().year
        self.anna = Person.objects.create(
            municipality=self.vefsn,
            national_id="01017500000",
            given_name="Anna",
            family_name="Syttifem",
            birth_date=datetime.date(year - 75, 1, 2),
            sex="F",
            municipality_number="1824",
        )

    def test_a_write_not_yet_committed_makes_the_next_build_run_in_full(self):
        worklist.build(self.vefsn)
        written, go_on, errors = threading.Event(), threading.Event(), []

        def writer():
            try:
                with transaction.atomic():
                    Contact.objects.create(
                        municipality=self.vefsn, person=self.anna, channel="phone", outcome="declined"
                    )
                    written.set()
                    go_on.wait(10)
            except Exception as error:  # noqa: BLE001 - asserted below
                errors.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=writer)
        thread.start()
        written.wait(10)
        during = worklist.build(self.vefsn)  # does not see the contact yet, and cannot tell whether it will come
        go_on.set()
        thread.join()
        self.assertEqual(errors, [])
        self.assertFalse(during.unchanged)
        self.assertEqual(WorklistCounts.objects.get().inputs, "")
        self.assertTrue(WorklistEntry.objects.filter(person=self.anna).exists())
        after = worklist.build(self.vefsn)
        self.assertFalse(after.unchanged)
        self.assertFalse(WorklistEntry.objects.filter(person=self.anna).exists())
        self.assertTrue(worklist.build(self.vefsn).unchanged)
