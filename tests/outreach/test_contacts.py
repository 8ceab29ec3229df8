"""The contact log: letters, calls and visits with outcomes and reminders, and the acceptance rate."""

import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trappa.outreach.models import Contact
from trappa.outreach.worklist import build

from .base import OutreachTestCase, ui


# These pages show the municipality's own texts (rules, plans, offerings) in bokmål.
@override_settings(LANGUAGE_CODE="nb")
class ContactTestCase(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)

    def post(self, person, **fields):
        data = {"channel": "phone", "outcome": "accepted", "on": timezone.localdate().isoformat(), **fields}
        return self.client.post(reverse("outreach:add_contact", args=[person.pk]), data)

    def test_it_records_a_contact_with_the_reasons_of_the_day(self):
        response = self.post(self.turning_80, note="Ringer tilbake", remind_on="")
        self.assertRedirects(response, reverse("outreach:person", args=[self.turning_80.pk]))
        contact = Contact.objects.get()
        self.assertEqual((contact.outcome, contact.by, contact.reasons), ("accepted", self.alice, ["home_visit_age"]))

    def test_it_records_a_reminder(self):
        remind = timezone.localdate() + datetime.timedelta(days=14)
        self.post(self.turning_80, channel="letter", outcome="sent", remind_on=remind.isoformat())
        self.assertEqual(Contact.objects.get().remind_on, remind)

    def test_a_reminder_before_the_contact_is_refused(self):
        response = self.post(self.turning_80, remind_on=(timezone.localdate() - datetime.timedelta(days=1)).isoformat())
        self.assertContains(response, ui("The reminder must come after the contact."))
        self.assertFalse(Contact.objects.exists())

    def test_a_contact_in_the_future_is_refused(self):
        response = self.post(self.turning_80, on=(timezone.localdate() + datetime.timedelta(days=1)).isoformat())
        self.assertContains(response, ui("A contact cannot be in the future."))
        self.assertFalse(Contact.objects.exists())

    def test_an_unknown_outcome_is_refused(self):
        response = self.post(self.turning_80, outcome="maybe")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Contact.objects.exists())

    def test_someone_not_on_the_worklist_cannot_be_given_a_contact(self):
        self.assertEqual(self.post(self.young).status_code, 403)
        self.assertFalse(Contact.objects.exists())

    def test_the_person_page_shows_the_contacts_and_the_reasons(self):
        self.post(self.turning_80, outcome="no_answer", note="Prøv igjen torsdag")
        response = self.client.get(reverse("outreach:person", args=[self.turning_80.pk]))
        self.assertContains(response, "Prøv igjen torsdag")
        self.assertContains(response, ui("No answer"))
        self.assertContains(response, "Fyller 78 eller 80 år i år")


# These pages show the municipality's own texts (rules, plans, offerings) in bokmål.
@override_settings(LANGUAGE_CODE="nb")
class AcceptanceRateTestCase(OutreachTestCase):
    def contact(self, person, outcome, reasons, year=None):
        at = timezone.now() if year is None else timezone.make_aware(datetime.datetime(year, 5, 1, 12))
        Contact.objects.create(
            municipality=self.vefsn, person=person, channel="phone", outcome=outcome, reasons=reasons, at=at
        )

    # Counting, with no small counts hidden (tests/outreach/test_hide_small_counts.py hides them).
    @override_settings(SMALL_COUNT_THRESHOLD=1)
    def test_it_shows_the_share_who_accepted_per_cohort_and_year(self):
        this_year = timezone.localdate().year
        self.contact(self.turning_80, "sent", ["home_visit_age"])
        self.contact(self.turning_80, "accepted", ["home_visit_age"])
        self.contact(self.widowed_90, "declined", ["home_visit_age", "bereaved"])
        self.contact(self.turning_75, "accepted", ["klassefest"], year=this_year - 1)
        self.login(self.planner)
        response = self.client.get(reverse("outreach:acceptance"))
        rows = {(r["year"], r["reason"]): r for r in response.context["rows"]}
        visits = rows[(this_year, "home_visit_age")]
        self.assertEqual((visits["invited"], visits["accepted"], visits["declined"], visits["rate"]), (2, 1, 1, 50))
        self.assertEqual(rows[(this_year, "bereaved")]["rate"], 0)
        self.assertEqual(rows[(this_year - 1, "klassefest")]["rate"], 100)
        self.assertContains(response, "Fyller 78 eller 80 år i år")

    def test_it_shows_no_names(self):
        self.contact(self.turning_80, "accepted", ["home_visit_age"])
        self.login(self.planner)
        self.assertNotContains(self.client.get(reverse("outreach:acceptance")), "Berit")

    def test_another_municipalitys_contacts_are_not_counted(self):
        self.contact(self.turning_80, "accepted", ["home_visit_age"])
        self.login(self.charlie)
        self.assertEqual(self.client.get(reverse("outreach:acceptance")).context["rows"], [])
