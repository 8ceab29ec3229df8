"""FHIR in: Patient and discharge Encounter go through the file imports (checks, history, all or nothing)."""

from tests.api.support import ApiTestCase
from trappa.api.fhir import codes
from trappa.outreach.models import DischargeNotice
from trappa.people.models import ImportBatch, Person, PersonFieldChange
from trappa.test import OLGA_ID

NEW_ID = "24907010062"  # synthetic, born 1970-10-24


def patient(national_id=NEW_ID, **changes):
    resource = {
        "resourceType": "Patient",
        "identifier": [{"system": codes.FNR, "value": national_id}],
        "name": [{"use": "official", "family": "Ny", "given": ["Nina"]}],
        "gender": "female",
        "birthDate": "1970-10-24",
        "address": [
            {
                "use": "home",
                "line": ["Storgata 1"],
                "postalCode": "8656",
                "city": "Mosjøen",
                "district": "Vefsn",
                "_district": {
                    "extension": [
                        {
                            "url": codes.MUNICIPALITY_EXTENSION,
                            "valueCoding": {"system": codes.MUNICIPALITY_SYSTEM, "code": "1824"},
                        }
                    ]
                },
            }
        ],
    }
    resource.update(changes)
    return resource


def discharge(national_id=OLGA_ID, end="2026-04-20"):
    return {
        "resourceType": "Encounter",
        "status": "finished",
        "class": {"system": codes.V3_ACT_CODE, "code": "IMP"},
        "subject": {"identifier": {"system": codes.FNR, "value": national_id}},
        "period": {"start": "2026-04-10", "end": end},
    }


class FhirWriteTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.api, self.token = self.api_client_with("write:register")

    def post(self, url, body):
        return self.client.post(
            url, body, content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {self.token}"
        )

    def test_a_patient_is_created_then_unchanged_then_updated_with_history(self):
        first = self.post("/fhir/Patient", patient())
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual(first.json()["resourceType"], "OperationOutcome")
        self.assertIn("1 created", first.json()["issue"][0]["diagnostics"])
        person = Person.objects.get(national_id=NEW_ID)
        self.assertEqual(
            (person.given_name, person.street_address, person.municipality_number), ("Nina", "Storgata 1", "1824")
        )
        self.assertIn("1 unchanged", self.post("/fhir/Patient", patient()).json()["issue"][0]["diagnostics"])
        self.post("/fhir/Patient", patient(telecom=[{"system": "phone", "value": "99 99 99 99"}]))
        self.assertTrue(PersonFieldChange.objects.filter(person=person, field="phone").exists())
        self.assertEqual(ImportBatch.objects.filter(started_by=self.api.user).count(), 3)

    def test_one_bad_patient_in_a_bundle_rejects_them_all(self):
        bad = patient("24907010063", birthDate="1970-10-24")
        bundle = {
            "resourceType": "Bundle",
            "type": "transaction",
            "entry": [{"resource": patient()}, {"resource": bad}],
        }
        response = self.post("/fhir/Patient", bundle)
        self.assertEqual(response.status_code, 422)
        issue = response.json()["issue"][0]
        self.assertEqual(issue["expression"], ["Bundle.entry[1].resource"])
        self.assertIn("national_id", issue["diagnostics"])
        self.assertFalse(Person.objects.filter(national_id=NEW_ID).exists())

    def test_a_patient_without_identifier_system_or_municipality_is_refused_before_the_import(self):
        resource = patient(identifier=[{"system": "urn:other", "value": NEW_ID}], address=[])
        response = self.post("/fhir/Patient", resource)
        self.assertEqual(response.status_code, 422)
        where = [issue["expression"][0] for issue in response.json()["issue"]]
        self.assertEqual(where, ["Patient.identifier", "Patient.address.district"])
        self.assertFalse(ImportBatch.objects.exists())

    def test_invalid_fhir_is_refused_with_the_element(self):
        response = self.post("/fhir/Patient", patient(gender="sometimes", birthDate="not a date"))
        self.assertEqual(response.status_code, 422)
        self.assertTrue(any("birthDate" in issue["expression"][0] for issue in response.json()["issue"]))
        self.assertEqual(self.post("/fhir/Patient", discharge()).status_code, 422)

    def test_a_discharge_encounter_becomes_a_discharge_notice(self):
        response = self.post("/fhir/Encounter", discharge())
        self.assertEqual(response.status_code, 200, response.content)
        notice = DischargeNotice.objects.get(person=self.olga)
        self.assertEqual(str(notice.discharged_on), "2026-04-20")
        self.assertEqual(self.post("/fhir/Encounter", discharge()).status_code, 200)
        self.assertEqual(DischargeNotice.objects.filter(person=self.olga).count(), 1)

    def test_a_discharge_of_an_unknown_person_or_in_the_future_rejects_the_bundle(self):
        bundle = {
            "resourceType": "Bundle",
            "type": "batch",
            "entry": [{"resource": discharge()}, {"resource": discharge(NEW_ID)}],
        }
        response = self.post("/fhir/Encounter", bundle)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["issue"][0]["expression"], ["Bundle.entry[1].resource"])
        self.assertEqual(self.post("/fhir/Encounter", discharge(end="2999-01-01")).status_code, 422)
        self.assertFalse(DischargeNotice.objects.exists())

    def test_writing_needs_write_register_and_reading_scope_is_not_enough(self):
        _client, token = self.api_client_with("read:persons", name="Reader")
        response = self.client.post(
            "/fhir/Patient", patient(), content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.post("/fhir/Observation", {"resourceType": "Observation"}).status_code, 405)
        self.assertFalse(Person.objects.filter(national_id=NEW_ID).exists())
