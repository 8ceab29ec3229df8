"""The worklist page: who the nurse sees, why, in which order, filtered, and logged."""

import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.outreach.models import Contact
from trappa.outreach.worklist import build

from .base import OutreachTestCase, ui


# These pages show the municipality's own texts (rules, plans, offerings) in bokmål.
@override_settings(LANGUAGE_CODE="nb")
class WorklistPageTestCase(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)

    def names(self, response):
        return [p.given_name for p, _entry, _reasons in response.context["rows"]]

    def test_it_lists_each_person_with_every_reason(self):
        self.login(self.alice)
        response = self.client.get(reverse("outreach:worklist"))
        self.assertContains(response, "Fyller 78 eller 80 år i år: forebyggende hjemmebesøk")
        self.assertContains(response, "Har mistet ektefelle eller partner siste 12 måneder")
        self.assertContains(response, "Fyller 75 år i år: invitasjon til Klassefest")

    def test_risk_triggers_are_listed_first(self):
        self.login(self.alice)
        names = self.names(self.client.get(reverse("outreach:worklist")))
        self.assertLess(names.index("Cecilie"), names.index("Berit"))
        self.assertLess(names.index("Berit"), names.index("Anna"))

    def test_a_nurse_in_the_same_unit_sees_the_list_through_the_unit(self):
        self.login(self.bob)
        self.assertIn("Berit", self.names(self.client.get(reverse("outreach:worklist"))))

    def test_every_person_shown_is_logged_as_listed(self):
        self.login(self.alice)
        response = self.client.get(reverse("outreach:worklist"))
        logged = AccessLogEntry.objects.filter(user=self.alice, action=AccessAction.LIST, what="outreach worklist")
        self.assertEqual(logged.count(), len(response.context["rows"]))

    def test_a_nurse_of_another_municipality_sees_nobody(self):
        self.login(self.charlie)
        response = self.client.get(reverse("outreach:worklist"))
        self.assertEqual(response.context["rows"], [])
        self.assertNotContains(response, "Berit")

    def test_planners_are_refused(self):
        self.login(self.planner)
        self.assertEqual(self.client.get(reverse("outreach:worklist")).status_code, 403)

    def test_it_filters_by_area(self):
        self.login(self.alice)
        names = self.names(self.client.get(reverse("outreach:worklist"), {"area": "Drevja"}))
        self.assertEqual(sorted(names), ["Anna", "Cecilie"])

    def test_it_filters_by_reason(self):
        self.login(self.alice)
        names = self.names(self.client.get(reverse("outreach:worklist"), {"reason": "klassefest"}))
        self.assertEqual(names, ["Anna"])

    def test_it_filters_by_assignment(self):
        self.turning_80.worklist_entry.assigned_to = self.alice
        self.turning_80.worklist_entry.save(update_fields=["assigned_to"])
        self.login(self.alice)
        self.assertEqual(self.names(self.client.get(reverse("outreach:worklist"), {"assigned": "mine"})), ["Berit"])
        self.assertNotIn("Berit", self.names(self.client.get(reverse("outreach:worklist"), {"assigned": "nobody"})))

    def test_it_filters_those_with_a_reminder_due(self):
        today = timezone.localdate()
        Contact.objects.create(
            municipality=self.vefsn, person=self.turning_80, channel="letter", outcome="sent", remind_on=today
        )
        Contact.objects.create(
            municipality=self.vefsn,
            person=self.turning_75,
            channel="letter",
            outcome="sent",
            remind_on=today + datetime.timedelta(days=7),
        )
        self.login(self.alice)
        self.assertEqual(self.names(self.client.get(reverse("outreach:worklist"), {"due": "on"})), ["Berit"])

    def test_an_unknown_filter_value_is_ignored_not_an_error(self):
        self.login(self.alice)
        response = self.client.get(reverse("outreach:worklist"), {"reason": "nonsense", "page": "x"})
        self.assertEqual(response.status_code, 200)

    def test_it_shows_the_contact_status_and_a_due_reminder(self):
        Contact.objects.create(
            municipality=self.vefsn,
            person=self.turning_80,
            channel="letter",
            outcome="sent",
            remind_on=timezone.localdate(),
        )
        self.login(self.alice)
        response = self.client.get(reverse("outreach:worklist"))
        self.assertContains(response, ui("Sent, waiting for an answer"))
        self.assertContains(response, ui("Reminder due"))

    def test_someone_no_rule_finds_is_not_on_the_list(self):
        self.login(self.alice)
        response = self.client.get(reverse("outreach:worklist"))
        self.assertNotIn("Dag", self.names(response))
        self.assertNotContains(response, "Ung")
