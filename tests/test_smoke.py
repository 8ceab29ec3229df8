from trappa.test import BaseTestCase


class FrontPageTest(BaseTestCase):
    def test_it_shows_the_front_page_without_login(self):
        response = self.client.get("/")
        self.assertContains(response, "Trappa")

    def test_it_asks_a_logged_in_nurse_for_the_second_factor(self):
        self.client.force_login(self.alice)
        response = self.client.get("/")
        self.assertRedirects(response, "/accounts/two-factor/?next=/", fetch_redirect_response=False)

    def test_it_lets_a_verified_nurse_in(self):
        self.login(self.alice)
        response = self.client.get("/")
        self.assertContains(response, "Alice")
