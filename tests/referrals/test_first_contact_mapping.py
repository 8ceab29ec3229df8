"""The first-contact mapping (issue #16; seed 001 §5.1 hverdagsmestring, seed 004 §5.2 early
intervention): saved and logged, it ends in suggestions that become referrals in one click."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.referrals.base import ReferralTestCase, make_offering
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.catalogue.models import Theme
from trappa.referrals import mapping
from trappa.referrals.models import ContactKind, FirstContactMapping, Pathway, Referral, Source, Status

DAY = datetime.date(2026, 1, 5)
ANSWERS = {
    "kind": ContactKind.HOME_SERVICES_APPLICATION,
    "source": Source.HOME_SERVICES,
    "mapped_on": DAY,
    "what_matters": "Lage middag selv",
    "challenges": "Trappa opp til soverommet",
    "resources": "Sterk i armene, datteren bor nær",
    "can_train": "yes",
    "medical_conditions": "no",
    "surroundings": "",
    "welfare_technology": "",
}


class MappingTestCase(ReferralTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rehab.themes = [Theme.EXERCISE, Theme.HOME]
        cls.rehab.save(update_fields=["themes"])
        cls.strong.themes = [Theme.EXERCISE]
        # A rule on a fact the mapping does not ask: eligibility stays unknown.
        cls.strong.eligibility = [{"kind": "fact", "fact": "feels_unsteady", "explanation": {"en": "Feels unsteady?"}}]
        cls.strong.save(update_fields=["themes", "eligibility"])
        cls.everyday_coping = make_offering(cls.vefsn, cls.health, "hverdagsmestring", "Hverdagsmestring")
        cls.alarm = make_offering(cls.vefsn, cls.health, "trygghetsalarm", "Trygghetsalarm")
        cls.alarm.themes = [Theme.HOME]
        cls.alarm.save(update_fields=["themes"])


class MappingServicesTest(MappingTestCase):
    def test_training_and_the_first_application_point_to_their_offerings(self):
        saved = mapping.create(self.olga, self.alice, ANSWERS)
        got = {s.offering.code: s for s in mapping.suggest(saved)}
        self.assertEqual(set(got), {"hverdagsrehabilitering", "sterk-og-stodig", "hverdagsmestring"})
        self.assertIn("can train to become more independent", got["hverdagsrehabilitering"].reasons[0])
        self.assertIn("apply for home services for the first time", got["hverdagsmestring"].reasons[0])
        # Eligible first; the one with an unanswered rule last, with what to ask.
        self.assertEqual(got["sterk-og-stodig"].outcome, "unknown")
        self.assertEqual(mapping.suggest(saved)[-1].offering, self.strong)

    def test_the_surroundings_and_welfare_technology_point_to_help_at_home(self):
        answers = {**ANSWERS, "kind": ContactKind.FIRST_CONTACT, "can_train": "no", "welfare_technology": "yes"}
        codes = {s.offering.code for s in mapping.suggest(mapping.create(self.olga, self.alice, answers))}
        self.assertEqual(codes, {"hverdagsrehabilitering", "trygghetsalarm"})

    def test_no_answer_suggests_nothing(self):
        answers = {**ANSWERS, "kind": ContactKind.FIRST_CONTACT, "can_train": ""}
        self.assertEqual(mapping.suggest(mapping.create(self.olga, self.alice, answers)), [])

    def test_one_click_refers_with_the_persons_words_and_the_pathway(self):
        saved = mapping.create(self.olga, self.alice, ANSWERS)
        referral = mapping.refer(saved, self.rehab.pk, self.alice)
        self.assertEqual(
            (referral.pathway, referral.source, referral.goals, referral.reason, referral.mapping),
            (Pathway.EVERYDAY_REHABILITATION, Source.HOME_SERVICES, "Lage middag selv", ANSWERS["challenges"], saved),
        )
        self.assertEqual((referral.unit, referral.status), (self.physio, Status.REFERRED))
        with self.assertRaisesMessage(ValidationError, "already referred"):
            mapping.refer(saved, self.rehab.pk, self.alice)

    def test_an_offering_not_suggested_is_refused(self):
        saved = mapping.create(self.olga, self.alice, ANSWERS)
        with self.assertRaisesMessage(ValidationError, "Only a suggested offering"):
            mapping.refer(saved, self.alarm.pk, self.alice)
        self.assertFalse(Referral.objects.exists())


class MappingPagesTest(MappingTestCase):
    def post_mapping(self, person):
        answers = {**ANSWERS, "mapped_on": "2026-01-05"}
        return self.client.post(reverse("referrals:new_mapping", args=[person.pk]), answers)

    def test_the_nurse_maps_olga_sees_the_suggestions_and_refers_in_one_click(self):
        self.login(self.alice)
        response = self.post_mapping(self.olga)
        saved = FirstContactMapping.objects.get()
        self.assertRedirects(response, reverse("referrals:mapping", args=[saved.pk]))
        self.assertTrue(
            AccessLogEntry.objects.filter(
                person=self.olga, action=AccessAction.CREATE, what=f"first-contact mapping {saved.pk}"
            ).exists()
        )
        page = self.client.get(reverse("referrals:mapping", args=[saved.pk]))
        self.assertContains(page, "Hverdagsmestring")
        self.assertContains(page, "Trappa opp til soverommet")
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, action=AccessAction.VIEW).exists())
        response = self.client.post(
            reverse("referrals:refer_from_mapping", args=[saved.pk]), {"offering": self.everyday_coping.pk}
        )
        self.assertRedirects(response, reverse("referrals:mapping", args=[saved.pk]))
        referral = Referral.objects.get()
        self.assertEqual((referral.offering, referral.mapping), (self.everyday_coping, saved))
        self.assertContains(self.client.get(reverse("referrals:mapping", args=[saved.pk])), "Referred")

    def test_a_bad_click_shows_the_page_with_the_reason(self):
        saved = mapping.create(self.olga, self.alice, ANSWERS)
        self.login(self.alice)
        url = reverse("referrals:refer_from_mapping", args=[saved.pk])
        response = self.client.post(url, {"offering": "x"}, follow=True)
        self.assertContains(response, "Only a suggested offering")
        self.assertFalse(Referral.objects.exists())

    def test_an_offering_id_that_is_no_number_is_refused_not_a_server_error(self):
        saved = mapping.create(self.olga, self.alice, ANSWERS)
        self.login(self.alice)
        url = reverse("referrals:refer_from_mapping", args=[saved.pk])
        for raw in ("²", "-1", "", "x"):  # "²" is a digit to str.isdigit(), not to int()
            with self.subTest(raw=raw):
                response = self.client.post(url, {"offering": raw}, follow=True)
                self.assertContains(response, "Only a suggested offering")
        self.assertFalse(Referral.objects.exists())

    def test_a_future_date_is_refused(self):
        self.login(self.alice)
        answers = {**ANSWERS, "mapped_on": "2999-01-01"}
        response = self.client.post(reverse("referrals:new_mapping", args=[self.olga.pk]), answers)
        self.assertContains(response, "The date cannot be in the future.")
        self.assertFalse(FirstContactMapping.objects.exists())

    def test_per_cannot_be_mapped_nor_his_mapping_seen(self):
        self.login(self.alice)
        self.assertEqual(self.post_mapping(self.per).status_code, 403)
        theirs = mapping.create(self.per, self.bob, ANSWERS)
        self.assertEqual(self.client.get(reverse("referrals:mapping", args=[theirs.pk])).status_code, 403)
        response = self.client.post(
            reverse("referrals:refer_from_mapping", args=[theirs.pk]), {"offering": self.rehab.pk}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Referral.objects.exists())

    def test_the_person_page_links_to_the_mapping(self):
        saved = mapping.create(self.olga, self.alice, ANSWERS)
        self.login(self.alice)
        response = self.client.get(reverse("referrals:person", args=[self.olga.pk]))
        self.assertContains(response, reverse("referrals:mapping", args=[saved.pk]))
        self.assertContains(response, reverse("referrals:new_mapping", args=[self.olga.pk]))
