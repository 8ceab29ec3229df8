"""The welfare-technology file from decisions, and recording it by hand: what the trigger and statistics read."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.people.import_helpers import ImportTestCase, csv_text
from trappa.audit.models import AccessLogEntry
from trappa.outreach import engine, rules
from trappa.people.models import ImportBatch, ServiceDecision, WelfareTechnology
from trappa.test import OLGA_ID, PER_ID, BaseTestCase

COMMAND = "import_welfare_technology"


def row(**fields):
    values = {
        "national_id": OLGA_ID,
        "technology": "safety_alarm",
        "since": "2026-03-01",
        "until": "",
        "decision_id": "",
    }
    values.update(fields)
    return values


class ImportWelfareTechnologyTest(ImportTestCase):
    def test_it_imports_each_technology_with_its_decision(self):
        ServiceDecision.objects.create(
            person=self.olga, decision_id="V-1", service="safety_alarm", start_date=datetime.date(2026, 3, 1)
        )
        rows = [row(decision_id="V-1"), row(national_id=PER_ID, technology="GPS", until="2026-05-01")]
        out = self.run_import(COMMAND, csv_text(rows))
        self.assertIn("2 created", out)
        alarm = WelfareTechnology.objects.get(person=self.olga)
        self.assertEqual(
            (alarm.kind, alarm.since, alarm.decision.decision_id), ("safety_alarm", datetime.date(2026, 3, 1), "V-1")
        )
        gps = WelfareTechnology.objects.get(person=self.per)
        self.assertEqual((gps.kind, gps.until), ("gps", datetime.date(2026, 5, 1)))
        self.assertEqual(ImportBatch.objects.latest("id").kind, "welfare_technology")

    def test_a_later_file_ends_the_technology_and_the_same_file_changes_nothing(self):
        self.run_import(COMMAND, csv_text([row()]))
        self.assertIn("1 unchanged", self.run_import(COMMAND, csv_text([row()])))
        self.assertIn("1 updated", self.run_import(COMMAND, csv_text([row(until="2026-09-30")])))
        self.assertEqual(WelfareTechnology.objects.get().until, datetime.date(2026, 9, 30))

    def test_an_optional_column_left_out_leaves_the_field_alone(self):
        self.run_import(COMMAND, csv_text([row(until="2026-09-30")]))
        self.run_import(COMMAND, csv_text([row()], columns=["national_id", "technology", "since"]))
        self.assertEqual(WelfareTechnology.objects.get().until, datetime.date(2026, 9, 30))

    def test_a_file_with_a_bad_row_is_rejected_whole(self):
        rows = [
            row(),
            row(technology="robot"),
            row(national_id="01017012345"),
            row(since="2026-03-01", until="2026-01-01", technology="gps"),
            row(),
            row(technology="gps", since="2026-04-01", decision_id="NO-SUCH"),
        ]
        problems, _report = self.rejection(COMMAND, csv_text(rows))
        columns = {(line, column) for line, column, _reason in problems}
        self.assertTrue(
            {(3, "technology"), (4, "national_id"), (5, "until"), (6, "technology"), (7, "decision_id")} <= columns
        )
        self.assertFalse(WelfareTechnology.objects.exists())

    def test_an_imported_safety_alarm_puts_the_person_on_the_worklist_trigger(self):
        today = timezone.localdate()
        since = (today - datetime.timedelta(days=30)).isoformat()
        self.run_import(COMMAND, csv_text([row(since=since)]))
        rule = next(r for r in rules.load("vefsn").rules if r.id == "new_welfare_technology")
        found = engine.residents(self.vefsn).filter(engine.rule_filter(rule, today))
        self.assertIn(self.olga, found)


class RecordWelfareTechnologyTest(BaseTestCase):
    def test_a_nurse_records_a_technology_and_the_write_is_logged(self):
        self.login(self.alice)
        url = reverse("activity:add_welfare_technology", args=[self.olga.pk])
        response = self.client.post(url, {"kind": "medicine_dispenser", "since": "2026-02-01"})
        self.assertRedirects(response, reverse("activity:welfare_technology", args=[self.olga.pk]))
        technology = WelfareTechnology.objects.get(person=self.olga)
        self.assertEqual(technology.kind, "medicine_dispenser")
        self.assertTrue(
            AccessLogEntry.objects.filter(person=self.olga, what=f"welfare technology {technology.pk}").exists()
        )

    def test_the_same_technology_from_the_same_date_is_refused(self):
        WelfareTechnology.objects.create(person=self.olga, kind="gps", since=datetime.date(2026, 2, 1))
        self.login(self.alice)
        url = reverse("activity:add_welfare_technology", args=[self.olga.pk])
        response = self.client.post(url, {"kind": "gps", "since": "2026-02-01"})
        self.assertContains(response, "The person already has this technology from this date.")
        self.assertEqual(WelfareTechnology.objects.count(), 1)

    def test_a_technology_is_ended_not_before_it_began(self):
        technology = WelfareTechnology.objects.create(person=self.olga, kind="gps", since=datetime.date(2026, 2, 1))
        self.login(self.alice)
        url = reverse("activity:end_welfare_technology", args=[technology.pk])
        self.client.post(url, {"until": "2026-01-01"})
        technology.refresh_from_db()
        self.assertIsNone(technology.until)
        self.client.post(url, {"until": "2026-06-01"})
        technology.refresh_from_db()
        self.assertEqual(technology.until, datetime.date(2026, 6, 1))

    def test_the_person_page_links_to_it_and_an_outsider_is_refused(self):
        self.login(self.alice)
        page = self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.assertContains(page, reverse("activity:welfare_technology", args=[self.olga.pk]))
        response = self.client.get(reverse("activity:welfare_technology", args=[self.per.pk]))
        self.assertEqual(response.status_code, 403)
        self.login(self.planner)
        self.assertEqual(self.client.get(reverse("activity:welfare_technology", args=[self.olga.pk])).status_code, 403)
