"""Every public offering page says whom to contact; the footer names the municipality's contact
and statements; the staff catalogue lists the offerings whose data has no phone or e-mail."""

import io

from django.core.management import call_command
from django.test import override_settings

from trappa.test import BaseTestCase


@override_settings(LANGUAGE_CODE="nb")
class PublicContactTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", stdout=io.StringIO())

    def test_an_offering_without_a_phone_says_whom_to_ask_and_where_to_find_the_contact(self):
        page = self.client.get("/offerings/vefsn/offering/avlastning/")
        self.assertContains(page, 'id="contact"')
        self.assertContains(page, "Spør Tjenestekontoret i kommunen")
        self.assertContains(page, "har ennå ikke oppgitt telefonnummer")
        self.assertContains(page, 'href="https://www.vefsn.kommune.no/"')

    def test_an_offering_with_a_phone_shows_it(self):
        offering = self.vefsn.offerings.get(code="avlastning")
        offering.contact_phone, offering.contact_email = "75 00 00 00", "avlastning@example.no"
        offering.save(update_fields=["contact_phone", "contact_email"])
        page = self.client.get("/offerings/vefsn/offering/avlastning/")
        self.assertContains(page, 'href="tel:75000000"')
        self.assertContains(page, 'href="mailto:avlastning@example.no"')

    def test_every_page_of_a_municipality_has_its_contact_footer(self):
        for url in ["/offerings/vefsn/", "/offerings/vefsn/for/caregiver/"]:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Nettstedet til Vefsn kommune")

    def test_the_staff_catalogue_lists_offerings_missing_a_contact(self):
        self.login(self.unit_leader)
        page = self.client.get("/offerings/manage/")
        self.assertContains(page, "mangler telefon og e-post")
        self.assertContains(page, 'href="/offerings/manage/offering/avlastning/"')
