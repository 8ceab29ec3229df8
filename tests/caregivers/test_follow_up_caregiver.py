import datetime

from django.urls import reverse

from tests.caregivers.base import make_caregiver, make_link
from tests.instrument_files import edited_instrument_file
from trappa.assessments.instruments import get
from trappa.audit.models import AccessLogEntry, CareRelationship, CareRelationshipKind
from trappa.caregivers.models import Agreement, CaregiverContact, CaregiverLink, Mapping, MappingPrompt, MappingReason
from trappa.test import BaseTestCase

ITEMS = [item.id for item in get("caregiver_strain_index").items]


class MappingTests(BaseTestCase):
    def setUp(self):
        self.link = make_link(self, self.olga, unit=self.health)
        self.login(self.alice)

    def post(self, yes=0, **fields):
        data = {"situation": "Cares every day", "what_matters": "Sleeping through the night"}
        data.update({f"strain_{item}": "yes" if i < yes else "no" for i, item in enumerate(ITEMS)}, **fields)
        return self.client.post(reverse("caregivers:add_mapping", args=[self.link.pk]), data)

    def test_it_scores_the_strain_index_and_closes_the_prompt(self):
        MappingPrompt.objects.create(link=self.link, reason=MappingReason.MANUAL, due=datetime.date(2026, 1, 1))
        self.assertEqual(self.post(yes=8).status_code, 302)
        mapping = Mapping.objects.get()
        self.assertEqual((mapping.strain_total, mapping.high_strain), (8, True))
        self.assertIsNotNone(MappingPrompt.objects.get().done_at)

    def test_high_strain_is_the_band_of_the_instrument_file(self):
        mapping = Mapping(link=self.link, strain_total=7)
        self.assertTrue(mapping.high_strain)
        high_from_8 = {
            'id = "lower_strain"\nmin = 0\nmax = 6': 'id = "lower_strain"\nmin = 0\nmax = 7',
            'id = "high_strain"\nmin = 7': 'id = "high_strain"\nmin = 8',
        }
        with edited_instrument_file("caregiver_strain_index", high_from_8):
            self.assertFalse(mapping.high_strain)
            self.assertTrue(Mapping(link=self.link, strain_total=8).high_strain)

    def test_it_rejects_a_mapping_with_an_unanswered_strain_item(self):
        data_missing = {f"strain_{ITEMS[0]}": ""}
        response = self.post(yes=2, **data_missing)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Mapping.objects.exists())


class AgreementTests(BaseTestCase):
    def setUp(self):
        self.link = make_link(self, self.olga, unit=self.health)
        self.login(self.alice)

    def post(self, text):
        return self.client.post(
            reverse("caregivers:add_agreement", args=[self.link.pk]),
            {"caregiver_does": text, "service_does": "Home nursing twice a day", "review_date": "2027-05-01"},
        )

    def test_a_changed_agreement_is_a_new_version_and_the_old_one_is_kept(self):
        self.post("Dinner on weekdays")
        self.post("Dinner on weekdays and shopping")
        versions = list(Agreement.objects.order_by("version").values_list("version", "caregiver_does"))
        self.assertEqual(versions, [(1, "Dinner on weekdays"), (2, "Dinner on weekdays and shopping")])

    def test_it_prints_the_agreement_for_signature_and_logs_it(self):
        self.post("Dinner")
        agreement = Agreement.objects.get()
        response = self.client.get(reverse("caregivers:agreement_pdf", args=[agreement.pk]))
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertTrue(AccessLogEntry.objects.filter(person=self.link.caregiver, action="export").exists())


class WorklistTests(BaseTestCase):
    def test_it_lists_child_caregivers_high_strain_and_overdue_mappings_the_user_follows(self):
        child = make_link(self, self.olga, unit=self.health, given="Barn", birth=datetime.date(2012, 1, 1))
        overdue = make_link(self, self.olga, unit=self.health, given="Sen")
        MappingPrompt.objects.create(link=overdue, reason=MappingReason.TRANSITION, due=datetime.date(2025, 1, 1))
        make_link(self, self.olga, unit=self.health, given="Rolig")
        make_link(self, self.per, given="Skjult", birth=datetime.date(2012, 1, 1))
        self.login(self.alice)
        response = self.client.get(reverse("caregivers:worklist"))
        self.assertContains(response, "Child caregiver")
        self.assertContains(response, "Mapping overdue")
        self.assertContains(response, child.caregiver.full_name)
        self.assertNotContains(response, "Rolig")
        self.assertNotContains(response, "Skjult")


EN = {"Accept-Language": "en"}


class LinkTests(BaseTestCase):
    def test_a_caregiver_without_a_grant_is_offered_without_a_name_and_logged(self):
        # Issue 12, finding 1: the page named the caregiver, unlogged, to anyone with the recipient.
        caregiver, relation = make_caregiver(self, self.olga, given="Elin")
        self.login(self.alice)
        response = self.client.get(reverse("caregivers:recipient", args=[self.olga.pk]), headers=EN)
        self.assertNotContains(response, caregiver.full_name)
        self.assertNotContains(response, caregiver.national_id)
        self.assertContains(response, "A registered caregiver, the nearest relative")
        entry = AccessLogEntry.objects.get(person=caregiver, user=self.alice)
        self.assertIn("mentioned without a name", entry.what)

    def test_a_followed_up_caregiver_is_named_only_to_those_who_may_see_them(self):
        link = make_link(self, self.olga, given="Elin")  # followed up by nobody the caseworker knows
        CareRelationship.objects.create(person=self.olga, user=self.caseworker, kind=CareRelationshipKind.CASE)
        self.login(self.caseworker)
        response = self.client.get(reverse("caregivers:recipient", args=[self.olga.pk]), headers=EN)
        self.assertNotContains(response, link.caregiver.full_name)
        self.assertContains(response, "One more caregiver is followed up")
        CareRelationship.objects.create(person=link.caregiver, user=self.caseworker, kind=CareRelationshipKind.CASE)
        response = self.client.get(reverse("caregivers:recipient", args=[self.olga.pk]), headers=EN)
        self.assertContains(response, link.caregiver.full_name)
        self.assertTrue(AccessLogEntry.objects.filter(person=link.caregiver, user=self.caseworker).exists())

    def test_following_up_a_caregiver_gives_the_coordinators_access(self):
        caregiver, relation = make_caregiver(self, self.olga)
        self.login(self.alice)
        response = self.client.post(
            reverse("caregivers:recipient", args=[self.olga.pk]),
            {"relation": relation.pk, "relationship": "daughter", "hours_per_week": 12},
        )
        link = CaregiverLink.objects.get()
        self.assertRedirects(response, reverse("caregivers:link", args=[link.pk]))
        self.login(self.coordinator)
        self.assertEqual(self.client.get(reverse("caregivers:link", args=[link.pk])).status_code, 200)


class ContactTests(BaseTestCase):
    def test_a_unit_leader_names_the_caregiver_contact_of_a_department(self):
        self.login(self.unit_leader)
        url = reverse("caregivers:contacts")
        response = self.client.post(url, {"department": self.health_station.pk, "user": self.bob.pk})
        self.assertRedirects(response, url)
        self.assertContains(self.client.get(url), "Bob")

    def test_a_nurse_sees_the_contacts_but_cannot_name_one(self):
        self.login(self.alice)
        self.client.post(reverse("caregivers:contacts"), {"department": self.health_station.pk, "user": self.bob.pk})
        self.assertFalse(CaregiverContact.objects.exists())
        self.assertContains(self.client.get(reverse("caregivers:contacts")), "Cora")
