"""The citizen's copy: staff make it on request (logged), as a FHIR Bundle and a readable PDF."""

import datetime
import io
import json

from django.apps import apps
from django.utils import translation
from django.utils.translation import trans_real
from pypdf import PdfReader

from tests.api.fhir_support import HIDDEN_ID, FhirTestCase, check_resource
from trappa.api import copy_records
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.caregivers.models import InformationDirection, InformationEntry, Mapping
from trappa.daycare.models import AttendanceDays
from trappa.letters.documents import language_for
from trappa.outreach.models import MedicineList, WorklistEntry
from trappa.people.models import WelfareTechnology, WelfareTechnologyKind
from trappa.referrals import services as referral_services
from trappa.referrals.models import ContactKind, FirstContactMapping, Pathway, PhysiotherapySession, Source
from trappa.test import PER_ID

DAY = datetime.date(2026, 3, 2)


def pdf_text(response):
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


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
            "Basic",  # the referral's history and the care relationship (copy_records.RECORDS)
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


class EveryRecordIsInTheCopyTests(FhirTestCase):
    """Every model that holds a person's data is in the copy, or left out on purpose with a reason."""

    def test_every_person_linked_model_is_covered_or_excluded_with_a_reason(self):
        covered = set(copy_records.IN_OWN_SECTION) | {r.label for r in copy_records.RECORDS}
        self.assertFalse(covered & set(copy_records.EXCLUDED))
        self.assertTrue(all(copy_records.EXCLUDED.values()), "each exclusion says why")
        linked = {m._meta.label for m in copy_records.person_linked_models()}
        # The walk finds the records the copy is known to need (and a future model as well).
        self.assertLessEqual({"referrals.PhysiotherapySession", "caregivers.Consent", "respite.StayMove"}, linked)
        self.assertEqual(linked - covered - set(copy_records.EXCLUDED), set())
        self.assertEqual(covered - linked, set(), "no stale entries")
        # Each lookup reaches the person, and only them.
        found = {r.label: copy_records.rows(r, self.olga) for r in copy_records.RECORDS}
        self.assertEqual(found["outreach.DischargeNotice"], [self.discharge])
        self.assertEqual([step.referral for step in found["referrals.ReferralStep"]], [self.referral])
        self.assertEqual([r.label for r in copy_records.RECORDS if copy_records.rows(r, self.daughter)], [])


class NewRecordsInTheCopyTests(FhirTestCase):
    """Pathways, physiotherapy, the first-contact mapping, welfare technology and the rest (#16 #18)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        olga = cls.olga
        cls.stay = referral_services.refer(
            olga,
            None,
            Source.HOSPITAL,
            cls.alice,
            "hip fracture",
            unit=cls.health,
            pathway=Pathway.REHABILITATION_STAY,
            on=DAY,
            details={"planned_from": DAY, "planned_until": DAY + datetime.timedelta(days=20), "ward": "Ward LMS"},
        )
        cls.session = PhysiotherapySession.objects.create(referral=cls.stay, on=DAY, minutes=45, by=cls.alice)
        cls.mapping = FirstContactMapping.objects.create(
            municipality=cls.vefsn,
            person=olga,
            kind=ContactKind.FIRST_CONTACT,
            source=Source.GP,
            mapped_on=DAY,
            what_matters="Walking to the shop",
            by=cls.alice,
        )
        WelfareTechnology.objects.create(person=olga, kind=WelfareTechnologyKind.GPS, since=DAY)
        MedicineList.objects.create(person=olga, reported_on=DAY, medicines=7, source="Kjernejournal")
        # Of Olga's link with her daughter (whom Alice has no grant for): the information given is in both
        # persons' copies, the daughter not named; the daughter's own mapping is in hers only.
        InformationEntry.objects.create(
            link=cls.link, direction=InformationDirection.values[0], summary="Told about the stay", by=cls.alice
        )
        Mapping.objects.create(link=cls.link, situation="Daughter's own strain")

    def setUp(self):
        super().setUp()
        self.login(self.alice)
        self.url = f"/citizen-copy/{self.olga.pk}/"

    def in_her_language(self, label):
        """A label as the copy writes it: in Olga's written language (the letters' rule)."""
        with translation.override(language_for(self.olga)):
            return str(label)

    def test_the_bundle_has_them_as_fitting_resources(self):
        bundle = json.loads(self.client.post(self.url, {"format": "fhir"}).content)
        resources = {}
        for entry in bundle["entry"]:
            check_resource(self, entry["resource"])
            resources[f"{entry['resource']['resourceType']}/{entry['resource']['id']}"] = entry["resource"]
        request = resources[f"ServiceRequest/{self.stay.pk}"]
        self.assertEqual(request["code"]["text"], "Rehabilitation stay")  # the Bundle: the request's language
        [detail] = [e for e in request["extension"] if e["url"].endswith("/referral-detail")]
        self.assertIn({"url": "ward", "valueString": "Ward LMS"}, detail["extension"])
        procedure = resources[f"Procedure/physiotherapy-{self.session.pk}"]
        self.assertEqual(procedure["basedOn"], [{"reference": f"ServiceRequest/{self.stay.pk}"}])
        answers = resources[f"QuestionnaireResponse/first-contact-{self.mapping.pk}"]
        self.assertIn("Walking to the shop", json.dumps(answers))
        device = next(r for key, r in resources.items() if key.startswith("DeviceUseStatement/"))
        self.assertEqual(device["device"]["display"], "Location technology (GPS)")
        medicines = next(r for key, r in resources.items() if key.startswith("Basic/outreach-medicinelist-"))
        self.assertIn("Kjernejournal", json.dumps(medicines))
        self.assertIn("Told about the stay", json.dumps(bundle))
        for hidden in (HIDDEN_ID, "Hemmelighild", "Daughter's own strain"):
            self.assertNotIn(hidden, json.dumps(bundle, ensure_ascii=False))

    def test_the_pdf_tells_them(self):
        flat = pdf_text(self.client.post(self.url, {"format": "pdf"}))
        for expected in (
            self.in_her_language(Pathway.REHABILITATION_STAY.label),
            "Ward LMS",
            "Walking to the shop",
            self.in_her_language(WelfareTechnologyKind.GPS.label),
            "Kjernejournal",
            "45",
        ):
            self.assertIn(expected, flat)
        self.assertIn("Told about the stay", flat)
        self.assertNotIn("Daughter's own strain", flat)
        self.assertNotIn("Hemmelighild", flat)


class LabelsInTheCitizensLanguageTests(FhirTestCase):
    """Each record's fields under labels in the citizen's language, values not as codes (#18)."""

    def test_every_field_the_copy_shows_has_a_label_translated_in_bokmal(self):
        linked = copy_records.person_linked_models()
        nb = trans_real.translation("nb")._catalog
        untranslated = []
        for record in copy_records.RECORDS:
            for field in copy_records.shown_fields(apps.get_model(record.label), linked):
                label = copy_records.label(field)
                with translation.override("en"):
                    english = str(label)
                with translation.override("nb"):
                    bokmal = str(label)
                if bokmal == english and english not in nb:
                    untranslated.append(f"{record.label}.{field.name}: {english!r}")
        self.assertEqual(untranslated, [], "\n".join(untranslated))

    def test_the_pdf_in_bokmal_shows_no_english_labels_and_no_codes(self):
        self.olga.language = ""
        self.olga.written_standard = "nb"
        self.olga.save()
        AttendanceDays.objects.create(enrollment=self.enrollment, weekdays="14")
        WorklistEntry.objects.create(municipality=self.vefsn, person=self.olga, reasons=["klassefest"], priority=2)
        self.login(self.alice)
        flat = pdf_text(self.client.post(f"/citizen-copy/{self.olga.pk}/", {"format": "pdf"}))
        self.assertIn("Henvisningens historikk", flat)  # the referral's history is there, in bokmål
        for english in ("Created at", "Started at", "Done by", "Reasons", "At:", "By:", "Source:", "Weekdays"):
            self.assertNotIn(english, flat)
        self.assertIn("Mandag, Torsdag", flat)
        self.assertIn("Fyller 75 år i år", flat)  # the worklist's reason under the rule file's label
        self.assertNotIn("klassefest", flat)
        self.assertNotIn("referral:", flat)
        self.assertNotIn("not_at_risk", flat)  # a screening's band under the instrument's own label
