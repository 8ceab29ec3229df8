"""The register through the API: the file import's checks, history and all-or-nothing behaviour, idempotent."""

from tests.api.support import ApiTestCase
from trappa.people.models import ImportBatch, ImportStatus, Person, PersonFieldChange

NEW_ID = "24907010062"  # synthetic, born 1970-10-24

ROW = {
    "national_id": NEW_ID,
    "given_name": "Nina",
    "family_name": "Ny",
    "birth_date": "1970-10-24",
    "sex": "F",
    "municipality_number": "1824",
}


class RegisterImportTests(ApiTestCase):
    def test_it_creates_then_leaves_unchanged_then_updates_with_history(self):
        client, token = self.api_client_with("write:register")
        first = self.post_api("/api/register/persons/", token, {"rows": [ROW]})
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual((first.json()["status"], first.json()["created"]), (ImportStatus.DONE, 1))
        again = self.post_api("/api/register/persons/", token, {"rows": [ROW]})
        self.assertEqual((again.json()["created"], again.json()["unchanged"]), (0, 1))
        moved = self.post_api("/api/register/persons/", token, {"rows": [{**ROW, "street_address": "Storgata 1"}]})
        self.assertEqual(moved.json()["updated"], 1)
        person = Person.objects.get(national_id=NEW_ID)
        self.assertEqual(person.street_address, "Storgata 1")
        self.assertTrue(PersonFieldChange.objects.filter(person=person, field="street_address").exists())
        batch = ImportBatch.objects.get(pk=moved.json()["id"])
        self.assertEqual(batch.started_by, client.user)

    def test_one_bad_row_rejects_them_all(self):
        _client, token = self.api_client_with("write:register")
        bad = {**ROW, "national_id": "24907010063", "given_name": "Feil"}
        response = self.post_api("/api/register/persons/", token, {"rows": [ROW, bad]})
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(body["status"], ImportStatus.REJECTED)
        self.assertEqual([(p["row"], p["column"]) for p in body["problems"]], [(1, "national_id")])
        self.assertFalse(Person.objects.filter(national_id=NEW_ID).exists())

    def test_a_dry_run_writes_nothing(self):
        _client, token = self.api_client_with("write:register")
        response = self.post_api("/api/register/persons/", token, {"rows": [ROW], "dry_run": True})
        self.assertEqual((response.json()["status"], response.json()["created"]), (ImportStatus.DRY_RUN, 1))
        self.assertFalse(Person.objects.filter(national_id=NEW_ID).exists())

    def test_an_unknown_column_is_a_problem_of_the_header(self):
        _client, token = self.api_client_with("write:register")
        response = self.post_api("/api/register/persons/", token, {"rows": [{**ROW, "shoe_size": "42"}]})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["problems"][0]["row"], None)

    def test_it_needs_the_write_register_scope_and_a_known_kind(self):
        _client, token = self.api_client_with("read:persons")
        self.assertEqual(self.post_api("/api/register/persons/", token, {"rows": [ROW]}).status_code, 403)
        _client, token = self.api_client_with("write:register", name="Register")
        self.assertEqual(self.post_api("/api/register/pets/", token, {"rows": [ROW]}).status_code, 400)
        self.assertFalse(Person.objects.filter(national_id=NEW_ID).exists())

    def test_rows_go_to_the_clients_own_municipality(self):
        _client, token = self.api_client_with("write:register")
        self.post_api("/api/register/persons/", token, {"rows": [ROW]})
        self.assertEqual(Person.objects.get(national_id=NEW_ID).municipality, self.vefsn)
