"""Issue #16: everything in the demo that is invented is marked as such where it is shown. With
TRAPPA_DEMO on, each page showing invented demo records carries its note; outside the demo none."""

from django.test import override_settings
from django.urls import reverse

from tests.daycare.base import day_care_offering, make_place
from tests.referrals.base import ReferralTestCase
from tests.referrals.test_first_contact_mapping import ANSWERS
from trappa.referrals import mapping, services
from trappa.referrals.models import Pathway, Source


@override_settings(LANGUAGE_CODE="en")
class InventedMarkedTest(ReferralTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_place(day_care_offering(cls.vefsn, cls.service_office))
        cls.stay = services.refer(
            cls.olga, None, Source.HOSPITAL, cls.therapist, "", unit=cls.physio, pathway=Pathway.REHABILITATION_STAY
        )
        cls.mapping = mapping.create(cls.olga, cls.alice, ANSWERS)

    def pages(self):
        self.login(self.caseworker)
        yield "day care", self.client.get(reverse("daycare:index")), "the places, weekdays and persons are invented"
        self.login(self.therapist)
        page = self.client.get(reverse("referrals:referral", args=[self.stay.pk]))
        yield "rehabilitation stay", page, "this referral and its sessions are invented"
        self.login(self.alice)
        page = self.client.get(reverse("referrals:mapping", args=[self.mapping.pk]))
        yield "first-contact mapping", page, "this mapping is invented"

    @override_settings(DEMO=True)
    def test_in_the_demo_each_page_of_invented_records_says_so(self):
        for name, page, note in self.pages():
            with self.subTest(page=name):
                self.assertContains(page, note)

    def test_outside_the_demo_no_page_says_so(self):
        for name, page, note in self.pages():
            with self.subTest(page=name):
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, note)
