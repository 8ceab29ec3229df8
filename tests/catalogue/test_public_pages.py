import io

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from trappa.catalogue import urls_for_accessibility_tests
from trappa.catalogue.models import Offering
from trappa.test import BaseTestCase


# These pages show the municipality's own texts (rules, plans, offerings) in bokmål.
@override_settings(LANGUAGE_CODE="nb")
class PublicPagesTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", stdout=io.StringIO())

    def choose_language(self, code):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    def test_the_front_page_lists_both_municipalities_and_their_steps(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="/offerings/vefsn/"')
        self.assertContains(response, 'href="/offerings/nord-aurdal/"')
        self.assertContains(response, "Forebygging og mestring")

    def test_the_staircase_shows_each_step_with_its_offerings_cost_and_access(self):
        response = self.client.get("/offerings/vefsn/")
        with translation.override("nb"):
            self.assertContains(response, gettext("Step %(n)s") % {"n": 1})
        self.assertContains(response, "Sterk og stødig – trening for balanse og styrke")
        self.assertContains(response, 'href="/offerings/vefsn/offering/takk-bare-bra/"')
        self.assertContains(response, "300 kr")
        self.assertContains(response, 'href="/offerings/vefsn/for/caregiver/"')

    def test_nord_aurdal_shows_its_own_staircase_in_nynorsk_by_default(self):
        response = self.client.get("/offerings/nord-aurdal/")
        self.assertContains(response, '<html lang="nn">')
        self.assertContains(response, "Kvardagsrehabilitering")
        self.assertNotContains(response, "Klassefest")

    def test_a_chosen_language_wins_over_the_municipality_default(self):
        self.choose_language("en")
        response = self.client.get("/offerings/nord-aurdal/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Everyday rehabilitation")

    def test_the_offering_page_has_all_practical_information(self):
        self.choose_language("en")
        response = self.client.get("/offerings/vefsn/offering/takk-bare-bra/")
        self.assertContains(response, "Every spring and autumn: 8 weekly sessions and 2 follow-up days.")
        self.assertContains(response, "300 kr")
        self.assertContains(response, "Covers the workbook.")
        self.assertContains(response, "up to 12 in each")
        self.assertContains(response, "Byparken seniorsenter")
        self.assertContains(response, 'id="sign-up"')

    def test_the_offering_page_explains_the_eligibility_rules_in_the_reader_language(self):
        self.choose_language("nn")
        response = self.client.get("/offerings/vefsn/offering/sterk-og-stodig/")
        self.assertContains(response, "Du går inne utan hjelpemiddel")
        self.assertContains(response, "Byparken seniorsenter")
        # The villages are a goal in 000 §3.3.6, not places where groups are held (#16).
        self.assertNotContains(response, "Herringen bygdehus")

    def test_the_caregiver_entry_shows_rights_coordinator_and_respite(self):
        response = self.client.get("/offerings/vefsn/for/caregiver/")
        self.assertContains(response, "Pårørendekoordinator")
        self.assertContains(response, "omsorgsstønad")
        self.assertContains(response, "Rulleringsopphold og avlastning på sykehjem")
        self.assertNotContains(response, "Sterk og stødig")

    def test_the_outside_centre_entry_shows_village_and_home_offerings(self):
        response = self.client.get("/offerings/vefsn/for/outside-centre/")
        # Sterk og stødig is held at Byparken only until the villages get groups (000 §3.3.6).
        self.assertNotContains(response, "Sterk og stødig")
        self.assertContains(response, "Forebyggende hjemmebesøk")
        self.assertNotContains(response, "Klassefest")

    def test_the_bereaved_entry_shows_takk_bare_bra(self):
        self.assertContains(self.client.get("/offerings/vefsn/for/bereaved/"), "Takk, bare bra")

    def test_an_unknown_entry_municipality_or_offering_is_not_found(self):
        for url in ["/offerings/vefsn/for/nothing/", "/offerings/oslo/", "/offerings/vefsn/offering/nope/"]:
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_unpublished_offering_is_hidden(self):
        Offering.objects.filter(code="klassefest").update(published=False)
        self.assertEqual(self.client.get("/offerings/vefsn/offering/klassefest/").status_code, 404)
        self.assertNotContains(self.client.get("/offerings/vefsn/"), "Klassefest")

    def test_every_url_for_the_accessibility_test_answers_200(self):
        urls = urls_for_accessibility_tests()
        self.assertIn("/offerings/vefsn/for/caregiver/", urls)
        self.assertEqual(len(urls), 1 + 2 * (2 + 6))
        for url in urls:
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 200)
