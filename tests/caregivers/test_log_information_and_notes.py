"""Entries on a caregiver's follow-up page (information, advance care notes; mappings, consent and agreements):
saved with the user as author and logged for both persons, or neither; a bad form writes nothing."""

from unittest import mock

from django.urls import reverse

from tests.caregivers.base import make_link
from trappa.assessments.instruments import get
from trappa.audit import access
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.caregivers.models import AdvanceCareNote, Agreement, Consent, ConsentTopic, InformationEntry, Mapping
from trappa.test import BaseTestCase

STRAIN_ITEMS = [item.id for item in get("caregiver_strain_index").items]


class InformationAndNoteTests(BaseTestCase):
    def setUp(self):
        self.link = make_link(self, self.olga, unit=self.health)
        self.login(self.alice)

    def post(self, name, **data):
        return self.client.post(reverse(f"caregivers:{name}", args=[self.link.pk]), data)

    def created(self, what):
        return AccessLogEntry.objects.filter(action=AccessAction.CREATE, what__startswith=what, user=self.alice)

    def test_it_logs_information_given_with_the_user_as_author(self):
        response = self.post(
            "add_information", direction="to_caregiver", summary="Told about respite", at="2026-05-01T10:00"
        )
        self.assertRedirects(response, reverse("caregivers:link", args=[self.link.pk]))
        entry = InformationEntry.objects.get()
        self.assertEqual((entry.link, entry.by, entry.summary), (self.link, self.alice, "Told about respite"))
        logged = set(self.created("caregiver information log").values_list("person", flat=True))
        self.assertEqual(logged, {self.olga.pk, self.link.caregiver_id})

    def test_information_without_a_summary_writes_nothing(self):
        response = self.post("add_information", direction="to_caregiver", summary="", at="2026-05-01T10:00")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(InformationEntry.objects.exists())
        self.assertFalse(self.created("caregiver information log").exists())

    def test_it_saves_an_advance_care_note_with_the_user_as_author(self):
        response = self.post("add_note", note="Wishes to stay at home", at="2026-05-01T10:00")
        self.assertRedirects(response, reverse("caregivers:link", args=[self.link.pk]))
        note = AdvanceCareNote.objects.get()
        self.assertEqual((note.link, note.by, note.note), (self.link, self.alice, "Wishes to stay at home"))
        self.assertEqual(self.created("advance care conversation").count(), 2)

    def test_a_note_without_text_writes_nothing(self):
        self.assertEqual(self.post("add_note", note="", at="2026-05-01T10:00").status_code, 200)
        self.assertFalse(AdvanceCareNote.objects.exists())
        self.assertFalse(self.created("advance care conversation").exists())

    def post_with_a_failing_log(self, name, action=AccessAction.CREATE, **data):
        """Post while the log entry for the caregiver (the second of the two) cannot be written."""
        real = access.log_access
        failing_action = action

        def failing(request, person, grant, what, action=AccessAction.VIEW):
            if action == failing_action and person.pk == self.link.caregiver_id:
                raise RuntimeError("the access log is unavailable")
            return real(request, person, grant, what, action)

        with mock.patch("trappa.caregivers.access.log_access", side_effect=failing):
            with self.assertRaises(RuntimeError):
                self.post(name, **data)

    def test_information_is_not_stored_if_its_log_entry_cannot_be_written(self):
        self.post_with_a_failing_log(
            "add_information", direction="to_caregiver", summary="Told about respite", at="2026-05-01T10:00"
        )
        self.assertFalse(InformationEntry.objects.exists())
        self.assertFalse(self.created("caregiver information log").exists())

    def test_a_note_is_not_stored_if_its_log_entry_cannot_be_written(self):
        self.post_with_a_failing_log("add_note", note="Wishes to stay at home", at="2026-05-01T10:00")
        self.assertFalse(AdvanceCareNote.objects.exists())
        self.assertFalse(self.created("advance care conversation").exists())

    def test_a_mapping_is_not_stored_if_its_log_entry_cannot_be_written(self):
        strain = {f"strain_{item}": "no" for item in STRAIN_ITEMS}
        self.post_with_a_failing_log("add_mapping", situation="Cares every day", **strain)
        self.assertFalse(Mapping.objects.exists())

    def test_an_agreement_is_not_stored_if_its_log_entry_cannot_be_written(self):
        self.post_with_a_failing_log(
            "add_agreement", caregiver_does="Dinner", service_does="Home nursing", review_date="2027-05-01"
        )
        self.assertFalse(Agreement.objects.exists())

    def test_a_consent_is_not_stored_if_its_log_entry_cannot_be_written(self):
        self.post_with_a_failing_log("consent", AccessAction.CHANGE, topics=[ConsentTopic.RESPITE])
        self.assertFalse(Consent.objects.exists())
