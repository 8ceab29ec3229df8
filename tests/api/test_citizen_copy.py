"""The citizen's copy: staff make it on request (logged), as a FHIR Bundle and a readable PDF."""

import io
import json

from pypdf import PdfReader

from tests.api.fhir_support import HIDDEN_ID, FhirTestCase, check_resource
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.test import PER_ID


class CitizenCopyTests(FhirTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.alice)
        self.url = f"/citizen-copy/{self.olga.pk}/"

    def test_the_page_offers_both_and_is_logged_as_a_view(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="pdf"')
        self.assertContains(response, 'value="fhir"')
        entry = AccessLogEntry.objects.get(person=self.olga, user=self.alice)
        self.assertEqual((entry.action, entry.what), (AccessAction.VIEW, "citizen's copy page"))

    def test_the_fhir_bundle_holds_everything_with_the_access_log_and_the_request_is_logged_first(self):
        response = self.client.post(self.url, {"format": "fhir"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/fhir+json")
        self.assertIn("no-store", response["Cache-Control"])
        bundle = json.loads(response.content)
        check_resource(self, bundle)
        self.assertEqual(bundle["type"], "collection")
        kinds = {}
        for entry in bundle["entry"]:
            check_resource(self, entry["resource"])
            kinds.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
        expected = {
            "Patient",
            "EpisodeOfCare",  # the decision and the enrollment
            "Encounter",
            "QuestionnaireResponse",
            "Observation",
            "ServiceRequest",
            "RelatedPerson",
            "Consent",
            "AuditEvent",
            "Practitioner",
            "Questionnaire",
        }
        self.assertEqual(set(kinds), expected)
        request = AccessLogEntry.objects.get(person=self.olga, user=self.alice, action=AccessAction.EXPORT)
        self.assertEqual(request.what, "citizen's copy (FHIR Bundle)")
        # The access log in the copy includes the request itself.
        self.assertIn(request.what, [e["entity"][0]["description"] for e in kinds["AuditEvent"]])
        self.assertNotIn(HIDDEN_ID, response.content.decode())

    def test_the_pdf_is_readable_and_names_no_one_the_user_may_not_see(self):
        self.client.get(f"/people/{self.olga.pk}/")
        response = self.client.post(self.url, {"format": "pdf"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        flat = " ".join(text.split())
        for expected in (
            "Olga Nordmann",
            "13884100008",
            "V-2026-17",
            "sppb",
            "tug",
            "daughter",
            "citizen's copy (PDF)",
        ):
            self.assertIn(expected, flat)
        self.assertNotIn("Hemmelighild", flat)
        self.assertNotIn(HIDDEN_ID, flat)
        request = AccessLogEntry.objects.get(person=self.olga, user=self.alice, action=AccessAction.EXPORT)
        self.assertEqual(request.what, "citizen's copy (PDF)")

    def test_no_copy_of_a_person_without_a_grant_and_nothing_logged(self):
        url = f"/citizen-copy/{self.per.pk}/"
        for response in (self.client.get(url), self.client.post(url, {"format": "pdf"})):
            self.assertEqual(response.status_code, 403)
            self.assertNotIn(PER_ID, response.content.decode(errors="replace"))
        self.assertFalse(AccessLogEntry.objects.filter(person=self.per).exists())
        self.client.logout()
        self.login(self.planner)
        self.assertEqual(self.client.post(self.url, {"format": "fhir"}).status_code, 403)
