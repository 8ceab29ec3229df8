"""National IDs never in URLs (issue 12, finding 7): the person search POSTs its query, no URL
pattern takes an identity number, and (tests/audit/test_leaks.py) no GET form on any page
has a free-text field."""

from django.urls import reverse

from tests.api.support import ApiTestCase
from tests.audit.test_routes import project_routes
from trappa.audit.models import AccessLogEntry
from trappa.test import OLGA_ID, BaseTestCase

ROW_IDS = ("int", "fhir_id")


class NoNationalIdInUrlsTest(BaseTestCase):
    def test_the_search_finds_a_national_id_posted_and_never_reads_one_from_the_url(self):
        self.login(self.alice)
        url = reverse("people:search")
        self.assertContains(self.client.post(url, {"q": OLGA_ID}), "Nordmann, Olga")
        self.assertNotContains(self.client.get(url, {"q": OLGA_ID}), "Nordmann, Olga")
        self.assertEqual(AccessLogEntry.objects.filter(what="person search").count(), 1)

    def test_the_search_form_posts(self):
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("people:search")), 'method="post"')

    def test_no_url_pattern_takes_an_identity_number(self):
        for route in project_routes():
            if route.is_admin:
                continue
            for converter, name in _kwargs(route.pattern):
                with self.subTest(route=route.name, kwarg=name):
                    self.assertNotIn("national", name)
                    if name.endswith("_id") or name == "person":
                        # A row id, or FHIR's logical id (trappa/api/fhir/urls.py), which the FHIR reader
                        # parses as a row id, a kind and a row id, or an instrument key: the test below.
                        self.assertIn(converter, ROW_IDS, f"{route.name}: <{converter}:{name}> is not a row id")


class FhirPathTest(ApiTestCase):
    """FHIR's logical ids are not row ids alone (trappa/api/fhir/urls.py): an identity number in one finds nobody."""

    def test_a_national_id_in_a_fhir_path_finds_nobody(self):
        client, token = self.api_client_with("read:persons")
        for path in (f"/fhir/Patient/{OLGA_ID}", f"/fhir/Patient/{OLGA_ID}/$everything"):
            with self.subTest(path=path):
                response = self.get_api(path, token)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Olga", response.content.decode())
        self.assertFalse(AccessLogEntry.objects.filter(user=client.user).exists())


def _kwargs(pattern):
    import re

    return re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
