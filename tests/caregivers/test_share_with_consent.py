import datetime

from django.urls import reverse

from tests.caregivers.base import make_link
from tests.respite.base import plan_with
from trappa.caregivers.models import Consent, ConsentTopic
from trappa.people.models import ServiceDecision, ServiceKind
from trappa.test import BaseTestCase


class ShareWithConsentTests(BaseTestCase):
    def setUp(self):
        self.link = make_link(self, self.olga, unit=self.health)
        ServiceDecision.objects.create(person=self.olga, decision_id="V-9", service=ServiceKind.HOME_NURSING,
                                       start_date=datetime.date(2026, 1, 5))  # fmt: skip
        plan_with(self.olga, self.vefsn)
        self.login(self.alice)
        self.url = reverse("caregivers:shared", args=[self.link.pk])

    def consent(self, *topics):
        self.client.post(reverse("caregivers:consent", args=[self.link.pk]), {"topics": list(topics)})

    def test_it_shows_nothing_without_consent(self):
        response = self.client.get(self.url)
        self.assertContains(response, "has not agreed to share anything")
        self.assertNotContains(response, "Home nursing")
        self.assertNotContains(response, "Solina")

    def test_it_shows_only_the_topics_consented_to(self):
        self.consent(ConsentTopic.RESPITE)
        response = self.client.get(self.url)
        self.assertContains(response, "Solina")
        self.assertNotContains(response, "Home nursing")

    def test_a_withdrawn_consent_stops_sharing_and_is_kept(self):
        self.consent(ConsentTopic.RESPITE, ConsentTopic.SERVICES)
        self.assertContains(self.client.get(self.url), "Home nursing")
        self.consent(ConsentTopic.RESPITE)
        self.assertNotContains(self.client.get(self.url), "Home nursing")
        withdrawn = Consent.objects.get(topic=ConsentTopic.SERVICES)
        self.assertIsNotNone(withdrawn.withdrawn_at)

    def test_it_refuses_a_user_who_does_not_follow_the_recipient(self):
        self.login(self.caseworker)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_a_respite_letter_to_the_caregiver_needs_consent_to_share_the_stays(self):
        url = reverse("caregivers:respite_letter", args=[self.link.pk])
        self.consent(ConsentTopic.SERVICES)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.consent(ConsentTopic.RESPITE)
        response = self.client.get(url)
        self.assertTrue(response.content.startswith(b"%PDF"))
