"""Building the worklist: entries with reasons and priority, and the care relationships that follow."""

import datetime
from io import StringIO
from unittest import skipUnless

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from trappa.accounts.models import Municipality, Unit
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.outreach import engine, rules
from trappa.outreach.models import Contact, WorklistEntry
from trappa.outreach.worklist import WorklistError, build
from trappa.people.models import Person, ServiceDecision

from .base import OutreachTestCase


class BuildWorklistTestCase(OutreachTestCase):
    def test_it_puts_everyone_the_rules_find_on_the_list_with_their_reasons(self):
        build(self.vefsn)
        reasons = dict(WorklistEntry.objects.values_list("person__given_name", "reasons"))
        self.assertEqual(reasons["Anna"], ["klassefest"])
        self.assertEqual(reasons["Berit"], ["home_visit_age"])
        self.assertEqual(reasons["Cecilie"], ["bereaved"])
        self.assertNotIn("Dag", reasons)

    def test_risk_triggers_come_before_plain_cohorts(self):
        build(self.vefsn)
        order = list(WorklistEntry.objects.order_by("priority").values_list("person__given_name", flat=True))
        self.assertLess(order.index("Cecilie"), order.index("Berit"))
        self.assertLess(order.index("Berit"), order.index("Anna"))

    def test_the_health_station_unit_holds_a_worklist_relationship_for_each_person(self):
        build(self.vefsn)
        held = CareRelationship.objects.current().filter(unit=self.health, source="worklist")
        self.assertEqual(
            set(held.values_list("person_id", flat=True)),
            set(WorklistEntry.objects.values_list("person_id", flat=True)),
        )
        self.assertTrue(all(r.kind == CareRelationshipKind.WORKLIST for r in held))

    def test_building_twice_changes_nothing(self):
        first = build(self.vefsn)
        second = build(self.vefsn)
        self.assertEqual((second.added, second.changed, second.removed), (0, 0, 0))
        self.assertEqual(second.on_list, first.on_list)
        self.assertEqual(CareRelationship.objects.filter(source="worklist").count(), first.on_list)

    def test_a_person_who_died_leaves_the_list_and_the_access_ends(self):
        build(self.vefsn)
        self.turning_80.date_of_death = timezone.localdate()
        self.turning_80.save(update_fields=["date_of_death"])
        summary = build(self.vefsn)
        self.assertEqual(summary.removed, 1)
        self.assertFalse(WorklistEntry.objects.filter(person=self.turning_80).exists())
        self.assertFalse(CareRelationship.objects.current().filter(person=self.turning_80).exists())

    def test_a_person_who_asked_not_to_be_contacted_leaves_the_list(self):
        build(self.vefsn)
        Contact.objects.create(
            municipality=self.vefsn, person=self.turning_75, channel="phone", outcome="declined", do_not_contact=True
        )
        build(self.vefsn)
        self.assertFalse(WorklistEntry.objects.filter(person=self.turning_75).exists())

    def test_a_person_contacted_with_a_letter_stays_on_the_list(self):
        build(self.vefsn)
        Contact.objects.create(municipality=self.vefsn, person=self.turning_75, channel="letter", outcome="sent")
        build(self.vefsn)
        self.assertTrue(WorklistEntry.objects.filter(person=self.turning_75).exists())

    def test_a_new_reason_updates_the_entry_and_its_priority(self):
        build(self.vefsn)
        self.turning_80.marital_status, self.turning_80.marital_status_date = "widowed", timezone.localdate()
        self.turning_80.save(update_fields=["marital_status", "marital_status_date"])
        summary = build(self.vefsn)
        entry = WorklistEntry.objects.get(person=self.turning_80)
        self.assertEqual(summary.changed, 1)
        self.assertEqual(entry.reasons, ["home_visit_age", "bereaved"])
        self.assertEqual(entry.priority, 1)

    def test_it_leaves_other_care_relationships_alone(self):
        build(self.vefsn)
        self.olga.date_of_death = timezone.localdate() - datetime.timedelta(days=1)
        self.olga.save(update_fields=["date_of_death"])
        build(self.vefsn)
        self.assertEqual(CareRelationship.objects.current().filter(person=self.olga, source="test").count(), 2)

    def test_a_municipality_without_a_rule_file_gets_a_clear_error(self):
        # Nord-Aurdal has its own rule file now (#16); a third municipality has none.
        other = Municipality.objects.create(number="1826", name="Hattfjelldal", slug="hattfjelldal")
        with self.assertRaisesMessage(WorklistError, "no rule file"):
            build(other)

    def test_nord_aurdal_builds_its_list_from_its_own_rules(self):
        Unit.objects.create(
            municipality=self.nord_aurdal, code="omsorg-rehabilitering", name="Omsorg og rehabilitering"
        )
        person = self.make_person(
            "05054400000", "Lars", "Aurdal", datetime.date(1944, 5, 5), "M", municipality=self.nord_aurdal
        )
        today = timezone.localdate()
        ServiceDecision.objects.create(person=person, decision_id="NA-1", service="home_nursing", start_date=today)
        build(self.nord_aurdal)
        self.assertEqual(WorklistEntry.objects.get(person=person).reasons, ["first_contact_mapping"])

    def test_the_command_builds_the_list_and_says_how_many(self):
        out = StringIO()
        with translation.override("en"):
            call_command("build_worklist", "--municipality", "1824", stdout=out)
        self.assertIn(f"{WorklistEntry.objects.count()} on the worklist", out.getvalue())

    def test_the_command_names_an_unknown_municipality(self):
        with self.assertRaisesMessage(CommandError, "9999"):
            with translation.override("en"):
                call_command("build_worklist", "--municipality", "9999", stdout=StringIO())


@skipUnless(connection.vendor == "postgresql", "the set-based build runs on PostgreSQL only")
class SetBasedBuildTestCase(OutreachTestCase):
    """On PostgreSQL the build is a fixed handful of SQL statements that agree with the rules engine."""

    def found(self):
        ruleset = rules.load(self.vefsn.slug)
        return engine.evaluate(self.vefsn, ruleset, timezone.localdate())

    def test_the_list_is_what_the_rules_engine_finds_in_rule_order(self):
        build(self.vefsn)
        entries = {e.person_id: (e.reasons, e.priority) for e in WorklistEntry.objects.all()}
        priorities = {r.id: r.priority for r in rules.load(self.vefsn.slug).rules}
        expected = {pid: (reasons, min(priorities[r] for r in reasons)) for pid, reasons in self.found().items()}
        self.assertEqual(entries, expected)

    def test_the_number_of_statements_does_not_grow_with_the_list(self):
        year = timezone.localdate().year
        build(self.vefsn)
        with CaptureQueriesContext(connection) as small:
            build(self.vefsn, force=True)  # a whole build, not one that stops because nothing changed
        for n in range(40):
            self.make_person(f"0201750{n:04d}", f"P{n}", "Mange", datetime.date(year - 75, 2, 1), "F")
        with CaptureQueriesContext(connection) as large:
            summary = build(self.vefsn)
        self.assertEqual(summary.added, 40)
        self.assertEqual(len(large.captured_queries), len(small.captured_queries))

    def written(self):
        """{table: (inserted, updated, deleted)} so far in this test's transaction, for the worklist's tables."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
                "WHERE relname IN ('outreach_worklistentry', 'audit_carerelationship')"
            )
            return {name: tuple(counts) for name, *counts in cursor.fetchall()}

    def test_an_unchanged_rebuild_writes_no_entry_and_no_relationship(self):
        build(self.vefsn)
        before = self.written()
        summary = build(self.vefsn, force=True)  # a whole build, not one that stops because nothing changed
        self.assertEqual((summary.added, summary.changed, summary.removed), (0, 0, 0))
        self.assertEqual(self.written(), before)

    def test_a_changed_name_rewrites_that_entry_only_and_is_no_change_of_reasons(self):
        build(self.vefsn)
        entry = WorklistEntry.objects.get(person=self.turning_80)
        updated_at = entry.updated_at
        Person.objects.filter(pk=self.turning_80.pk).update(family_name="Åttiåtte")
        before = self.written()
        summary = build(self.vefsn)
        after = self.written()
        self.assertEqual(summary.changed, 0)
        self.assertEqual(after["audit_carerelationship"], before["audit_carerelationship"])
        inserted, updated, deleted = (
            a - b for a, b in zip(after["outreach_worklistentry"], before["outreach_worklistentry"], strict=True)
        )
        self.assertEqual((inserted, updated, deleted), (0, 1, 0))
        entry.refresh_from_db()
        self.assertEqual(entry.family_name, "Åttiåtte")
        self.assertEqual(entry.updated_at, updated_at)

    def test_the_insert_of_new_entries_does_not_read_the_table_it_writes(self):
        # An anti-join against the entries inside the INSERT rescans every page inserted so far for each
        # new person when the list is new (planned as a nested loop on an empty table): quadratic.
        with CaptureQueriesContext(connection) as queries:
            build(self.vefsn)
        inserts = [q["sql"] for q in queries if "INSERT INTO outreach_worklistentry" in q["sql"]]
        self.assertEqual(len(inserts), 1)
        self.assertNotIn("FROM outreach_worklistentry", inserts[0])
