"""Reading persons through the API: the same grants as the pages, every read logged with the client as actor."""

from tests.api.support import ApiTestCase
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.test import OLGA_ID, PER_ID


class PersonReadTests(ApiTestCase):
    def test_it_shows_a_person_the_clients_unit_cares_for_and_logs_it(self):
        client, token = self.api_client_with("read:persons")
        response = self.get_api(f"/api/persons/{self.olga.pk}/", token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["national_id"], OLGA_ID)
        entry = AccessLogEntry.objects.get(person=self.olga, user=client.user)
        self.assertEqual(entry.action, AccessAction.VIEW)
        self.assertEqual(entry.username, client.user.username)
        self.assertIn("Journal", entry.username)
        self.assertIn("API (Journal)", entry.what)
        self.assertEqual(entry.path, f"/api/persons/{self.olga.pk}/")

    def test_it_refuses_a_person_without_a_care_relationship_and_logs_nothing(self):
        client, token = self.api_client_with("read:persons")
        response = self.get_api(f"/api/persons/{self.per.pk}/", token)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(PER_ID, response.content.decode())
        self.assertFalse(AccessLogEntry.objects.filter(user=client.user).exists())

    def test_another_municipalitys_person_is_a_404(self):
        other = self.make_person("01015000000", "Ola", "Annen", self.olga.birth_date, "M", self.nord_aurdal)
        _client, token = self.api_client_with("read:persons")
        self.assertEqual(self.get_api(f"/api/persons/{other.pk}/", token).status_code, 404)

    def test_search_by_national_id_shows_only_visible_persons_and_logs_each(self):
        client, token = self.api_client_with("read:persons")
        found = self.get_api("/api/persons/", token, national_id=OLGA_ID).json()
        self.assertEqual([p["national_id"] for p in found], [OLGA_ID])
        self.assertEqual(self.get_api("/api/persons/", token, national_id=PER_ID).json(), [])
        entries = AccessLogEntry.objects.filter(user=client.user)
        self.assertEqual([(e.person_id, e.action) for e in entries], [(self.olga.pk, AccessAction.LIST)])

    def test_it_needs_the_read_persons_scope(self):
        client, token = self.api_client_with("write:register")
        for url in ("/api/persons/", f"/api/persons/{self.olga.pk}/"):
            self.assertEqual(self.get_api(url, token).status_code, 403)
        self.assertFalse(AccessLogEntry.objects.filter(user=client.user).exists())

    def test_a_planner_client_sees_no_person(self):
        client, token = self.api_client_with("read:persons", role="planner", unit=self.health)
        self.assertEqual(self.get_api(f"/api/persons/{self.olga.pk}/", token).status_code, 403)
        self.assertEqual(self.get_api("/api/persons/", token).json(), [])

    def test_without_a_token_or_with_a_staff_session_it_answers_401(self):
        self.login(self.alice)
        for url in ("/api/persons/", f"/api/persons/{self.olga.pk}/"):
            self.assertEqual(self.client.get(url).status_code, 401)
            self.assertEqual(self.client.get(url, HTTP_AUTHORIZATION="Bearer nonsense").status_code, 401)
        self.assertFalse(AccessLogEntry.objects.exists())

    def test_a_token_request_is_not_sent_to_the_second_factor(self):
        # The service user's role needs two factors at a login; a token request has no login.
        client, token = self.api_client_with("read:persons")
        self.assertTrue(client.user.needs_two_factor)
        with self.settings(REQUIRE_TWO_FACTOR=True):
            self.assertEqual(self.get_api(f"/api/persons/{self.olga.pk}/", token).status_code, 200)


class PersonSearchInputTests(ApiTestCase):
    def test_a_national_id_that_is_not_11_digits_finds_nobody_and_the_next_request_still_works(self):
        # On PostgreSQL a NUL in the query broke the request's transaction (a 500, and every later query failed).
        _client, token = self.api_client_with("read:persons")
        for weird in ("\x00", "1388410000\x00", "١٣٨٨٤١٠٠٠٠٨", OLGA_ID + " "):
            with self.subTest(weird=weird):
                response = self.get_api("/api/persons/", token, national_id=weird)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json(), [])
        self.assertEqual(self.get_api(f"/api/persons/{self.olga.pk}/", token).status_code, 200)
