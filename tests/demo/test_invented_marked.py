"""Issue #16: everything in the demo that is invented is marked as such where it is shown. With
TRAPPA_DEMO on, each page showing invented demo records carries its note; outside the demo none."""

from django.test import override_settings
from django.urls import reverse

from tests.caregivers.route_kwargs import make_link_id
from tests.daycare.base import day_care_offering, make_place
from tests.referrals.base import ReferralTestCase, make_group, make_offering
from tests.referrals.test_first_contact_mapping import ANSWERS
from tests.respite.route_kwargs import make_bed
from trappa.referrals import mapping, services
from trappa.referrals.models import Pathway, Source
from trappa.test import BaseTestCase


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


GROUPS = "the groups, waitlists and referrals loaded with the demo are invented"
CAREGIVERS = "the caregivers, their follow-up, mappings, agreements and dates loaded with the demo are invented"
RESPITE = "the respite decisions, stays and plan loaded with the demo are invented"


@override_settings(LANGUAGE_CODE="en")
class GroupsCaregiversAndRespiteMarkedTest(BaseTestCase):
    """The groups and their waitlists, the caregivers, and the respite decisions and plan."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = make_group(make_offering(cls.vefsn, cls.health, "sterk-og-stodig", "Sterk og stødig"))
        cls.link_id = make_link_id(cls, cls.olga)
        cls.bed_id = make_bed(cls, cls.olga)

    def pages(self):
        self.login(self.alice)
        yield "groups", reverse("referrals:groups"), GROUPS
        yield "group", reverse("referrals:group", args=[self.group.pk]), GROUPS
        yield "waitlists", reverse("referrals:waitlists"), GROUPS
        yield "caregivers", reverse("caregivers:worklist"), CAREGIVERS
        yield "caregivers of a person", reverse("caregivers:recipient", args=[self.olga.pk]), CAREGIVERS
        yield "a caregiver", reverse("caregivers:link", args=[self.link_id]), CAREGIVERS
        yield "caregiver contacts", reverse("caregivers:contacts"), CAREGIVERS
        yield "respite plan", reverse("respite:plan"), RESPITE
        yield "respite of a person", reverse("respite:person", args=[self.olga.pk]), RESPITE
        yield "a bed", reverse("respite:bed", args=[self.bed_id]), RESPITE

    @override_settings(DEMO=True)
    def test_in_the_demo_each_page_says_its_dates_and_numbers_are_invented(self):
        for name, url, note in self.pages():
            with self.subTest(page=name):
                self.assertContains(self.client.get(url), note)

    def test_outside_the_demo_no_page_says_so(self):
        for name, url, note in self.pages():
            with self.subTest(page=name):
                page = self.client.get(url)
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, note)
