"""Before a batch of letters, the nurse sees how many letters it makes and confirms."""

from django.test import override_settings
from django.urls import reverse

from trappa.jobs.models import Job
from trappa.outreach.worklist import build

from .base import OutreachTestCase


class LettersConfirmationTest(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)

    def test_the_worklist_asks_for_confirmation_rather_than_starting_the_batch(self):
        page = self.client.get(reverse("outreach:worklist"), {"area": "Drevja"})
        self.assertContains(page, f'action="{reverse("outreach:confirm_letters")}"')
        self.assertNotContains(page, f'action="{reverse("outreach:start_letters")}"')

    def test_the_confirmation_names_the_count_and_starts_nothing(self):
        page = self.client.get(reverse("outreach:confirm_letters"), {"area": "Drevja"})
        self.assertContains(page, "Make 2 letters")
        self.assertContains(page, f'action="{reverse("outreach:start_letters")}"')
        self.assertContains(page, 'name="area" value="Drevja"')
        self.assertFalse(Job.objects.filter(kind="letters").exists())

    def test_the_confirmation_shows_no_names(self):
        page = self.client.get(reverse("outreach:confirm_letters"), {"area": "Drevja"})
        self.assertNotContains(page, "Anna")

    @override_settings(LETTERS_BATCH_MAX=1)
    def test_a_batch_too_large_offers_no_start_button(self):
        page = self.client.get(reverse("outreach:confirm_letters"), {"area": "Drevja"})
        self.assertNotContains(page, f'action="{reverse("outreach:start_letters")}"')

    def test_an_unknown_filter_goes_back_to_the_worklist(self):
        response = self.client.get(reverse("outreach:confirm_letters"), {"area": "Nowhere"})
        self.assertRedirects(response, reverse("outreach:worklist"))
