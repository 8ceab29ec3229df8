"""Administrators manage API clients on pages, with the separation of duties of clients.py."""

from tests.api.support import ApiTestCase
from trappa.api.models import Client


class ClientPageTests(ApiTestCase):
    def register(self):
        self.login(self.administrator)
        data = {"name": "Gerica", "scopes": ["read:persons", "write:register"], "unit": self.health.pk, "role": "nurse"}
        return self.client.post("/api/clients/", data)

    def test_registering_shows_the_secret_once_and_the_client_waits_for_another_administrator(self):
        response = self.register()
        self.assertEqual(response.status_code, 200)
        client = Client.objects.get(name="Gerica")
        secret = response.context["secret"]
        self.assertContains(response, secret)
        self.assertTrue(client.check_secret(secret))
        self.assertIsNone(client.approved_by)
        listing = self.client.get("/api/clients/")
        self.assertNotContains(listing, secret)
        self.assertNotContains(listing, 'value="approve"')  # not for the one who registered it
        self.client.post(f"/api/clients/{client.pk}/", {"action": "approve"})
        client.refresh_from_db()
        self.assertIsNone(client.approved_by)
        self.client.logout()
        self.login(self.approver)
        self.assertContains(self.client.get("/api/clients/"), 'value="approve"')
        self.client.post(f"/api/clients/{client.pk}/", {"action": "approve"})
        client.refresh_from_db()
        self.assertEqual(client.approved_by, self.approver)
        self.token_for(client, secret)

    def test_a_new_secret_replaces_the_old_and_deactivating_stops_tokens(self):
        self.register()
        client = Client.objects.get(name="Gerica")
        old = self.client.post("/api/clients/", {}).context  # a bad form: no change
        self.assertIsNotNone(old)
        response = self.client.post(f"/api/clients/{client.pk}/", {"action": "secret"})
        client.refresh_from_db()
        self.assertTrue(client.check_secret(response.context["secret"]))
        self.client.post(f"/api/clients/{client.pk}/", {"action": "deactivate"})
        client.refresh_from_db()
        self.assertFalse(client.active)

    def test_only_administrators_of_the_municipality(self):
        self.register()
        client = Client.objects.get(name="Gerica")
        self.client.logout()
        self.login(self.alice)
        self.assertEqual(self.client.get("/api/clients/").status_code, 403)
        self.assertEqual(self.client.post(f"/api/clients/{client.pk}/", {"action": "deactivate"}).status_code, 403)
        client.refresh_from_db()
        self.assertTrue(client.active)
