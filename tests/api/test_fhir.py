"""FHIR R4 (no-basis) reads: every resource valid and on profile, read through the access helpers and logged."""

import datetime

from tests.api.fhir_support import D_NUMBER, HIDDEN_ID, FhirTestCase, check_resource, stored_screening
from trappa.api.fhir import codes
from trappa.assessments.instruments import loader
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.test import OLGA_ID, PER_ID


class FhirReadTests(FhirTestCase):
    def setUp(self):
        super().setUp()
        self.api, self.token = self.api_client_with("read:persons")

    def fhir(self, url, **params):
        response = self.get_api(url, self.token, **params)
        if response.status_code == 200:
            self.assertEqual(response["Content-Type"], "application/fhir+json")
        return response

    def test_patient_is_no_basis_with_national_id_name_address_and_municipality_and_is_logged(self):
        response = self.fhir(f"/fhir/Patient/{self.olga.pk}")
        self.assertEqual(response.status_code, 200)
        patient = response.json()
        check_resource(self, patient)
        self.assertEqual(patient["identifier"], [{"use": "official", "system": codes.FNR, "value": OLGA_ID}])
        self.assertEqual(patient["address"][0]["_district"]["extension"][0]["valueCoding"]["code"], "1824")
        self.assertEqual(patient["address"][0]["district"], "Vefsn")
        entry = AccessLogEntry.objects.get(person=self.olga, user=self.api.user)
        self.assertEqual(entry.action, AccessAction.VIEW)
        self.assertEqual(entry.what, f"API (Journal): FHIR Patient/{self.olga.pk}")

    def test_a_d_number_has_its_own_identifier_system(self):
        person = self.make_person(D_NUMBER, "Dina", "Dnummer", datetime.date(1949, 1, 1), "F")
        self.relate(person)
        patient = self.fhir(f"/fhir/Patient/{person.pk}").json()
        check_resource(self, patient)
        self.assertEqual(patient["identifier"][0]["system"], "urn:oid:2.16.578.1.12.4.1.4.2")

    def relate(self, person):
        from trappa.audit.models import CareRelationship, CareRelationshipKind

        CareRelationship.objects.create(person=person, unit=self.health, kind=CareRelationshipKind.WORKLIST)

    def test_a_person_without_a_grant_is_refused_and_another_municipalitys_is_not_found(self):
        response = self.fhir(f"/fhir/Patient/{self.per.pk}")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["resourceType"], "OperationOutcome")
        self.assertNotIn(PER_ID, response.content.decode())
        other = self.make_person("01015000000", "Ola", "Annen", self.olga.birth_date, "M", self.nord_aurdal)
        self.assertEqual(self.fhir(f"/fhir/Patient/{other.pk}").status_code, 404)
        self.assertEqual(self.fhir("/fhir/Patient/not-a-number").status_code, 404)
        self.assertEqual(self.fhir("/fhir/Patient/99999999999999999999").status_code, 404)
        self.assertFalse(AccessLogEntry.objects.filter(user=self.api.user).exists())

    def test_every_resource_about_olga_is_valid_and_each_read_is_logged(self):
        reads = {
            "QuestionnaireResponse": self.sppb.pk,
            "Observation": self.sppb.pk,
            "ServiceRequest": self.referral.pk,
            "Encounter": f"visit-{self.visit.pk}",
            "RelatedPerson": self.relation.pk,
            "Consent": self.consent.pk,
            "EpisodeOfCare": f"decision-{self.decision.pk}",
        }
        for resource_type, resource_id in reads.items():
            with self.subTest(resource_type):
                before = AccessLogEntry.objects.filter(person=self.olga, user=self.api.user).count()
                response = self.fhir(f"/fhir/{resource_type}/{resource_id}")
                self.assertEqual(response.status_code, 200, response.content)
                resource = response.json()
                self.assertEqual(resource["resourceType"], resource_type)
                check_resource(self, resource)
                after = AccessLogEntry.objects.filter(person=self.olga, user=self.api.user).count()
                self.assertEqual(after, before + 1)
        discharge = self.fhir(f"/fhir/Encounter/discharge-{self.discharge.pk}").json()
        check_resource(self, discharge)
        self.assertEqual((discharge["class"]["code"], discharge["period"]["end"]), ("IMP", "2026-04-20"))

    def test_the_observation_carries_the_engines_total_band_and_item_points(self):
        observation = self.fhir(f"/fhir/Observation/{self.sppb.pk}").json()
        self.assertEqual(observation["valueQuantity"]["value"], float(self.sppb.total))
        self.assertEqual(observation["interpretation"][0]["coding"][0]["code"], self.sppb.band)
        components = {c["code"]["coding"][0]["code"]: c.get("valueInteger") for c in observation["component"]}
        self.assertEqual(components, self.sppb.item_points)
        self.assertEqual(observation["derivedFrom"], [{"reference": f"QuestionnaireResponse/{self.sppb.pk}"}])

    def test_a_total_with_a_checked_loinc_code_carries_it_beside_the_local_code_and_the_others_only_theirs(self):
        tug = self.fhir(f"/fhir/Observation/{self.tug.pk}").json()["code"]["coding"]
        self.assertEqual(
            [(c["system"], c["code"]) for c in tug],
            [(codes.local("instrument-total"), "tug"), (codes.LOINC, "89423-8")],
        )
        self.assertEqual(
            tug[1]["display"], "Time to rise from chair, walk 10 feet and back, and return to sitting [TUG]"
        )
        sppb = self.fhir(f"/fhir/Observation/{self.sppb.pk}").json()["code"]["coding"]
        self.assertEqual([(c["system"], c["code"]) for c in sppb], [(codes.local("instrument-total"), "sppb")])
        # Every shipped instrument (IPLOS too, which has no total): its Observation carries exactly the codes
        # checked for it (check_Observation), the local one alone for all but these two.
        self.assertEqual(set(codes.TOTAL_CODES), {"tug", "chair_stand_30s"})
        for instrument in loader.shipped().values():
            if instrument.id in ("sppb", "tug"):
                continue
            with self.subTest(instrument.id):
                screening = stored_screening(self.visit, instrument.id)
                check_resource(self, self.fhir(f"/fhir/Observation/{screening.pk}").json())

    def test_the_questionnaire_response_answers_every_item_of_its_questionnaire(self):
        response = self.fhir(f"/fhir/QuestionnaireResponse/{self.sppb.pk}").json()
        questionnaire = self.fhir("/fhir/Questionnaire/sppb").json()
        self.assertEqual(response["questionnaire"], f"{questionnaire['url']}|{questionnaire['version']}")
        link_ids = {item["linkId"] for item in questionnaire["item"]}
        self.assertTrue({item["linkId"] for item in response["item"]} <= link_ids)
        gait = next(item for item in response["item"] if item["linkId"] == "gait")
        self.assertEqual(len(gait["answer"]), 2)  # two trials

    def test_a_questionnaire_is_generated_from_every_instrument_file(self):
        for instrument in loader.shipped().values():
            with self.subTest(instrument.id):
                questionnaire = self.fhir(f"/fhir/Questionnaire/{instrument.id.replace('_', '-')}").json()
                check_resource(self, questionnaire)
                self.assertEqual(questionnaire["version"], instrument.version)
                self.assertEqual([i["linkId"] for i in questionnaire["item"]], [i.id for i in instrument.items])
        self.assertEqual(self.fhir("/fhir/Questionnaire/no-such").status_code, 404)

    def test_practitioner_and_role_of_the_clients_municipality_only(self):
        for resource_type in ("Practitioner", "PractitionerRole"):
            resource = self.fhir(f"/fhir/{resource_type}/{self.alice.pk}").json()
            check_resource(self, resource)
            self.assertEqual(self.fhir(f"/fhir/{resource_type}/{self.charlie.pk}").status_code, 404)

    def test_a_related_person_without_a_grant_of_their_own_is_not_named_but_logged_when_named(self):
        related = self.fhir(f"/fhir/RelatedPerson/{self.relation.pk}").json()
        self.assertNotIn("name", related)
        self.assertNotIn(HIDDEN_ID, str(related))
        codes_ = {c["code"] for r in related["relationship"] for c in r["coding"]}
        self.assertEqual(codes_, {"caregiver", "N"})
        self.assertFalse(AccessLogEntry.objects.filter(person=self.daughter).exists())
        self.relate(self.daughter)
        named = self.fhir(f"/fhir/RelatedPerson/{self.relation.pk}").json()
        check_resource(self, named)
        self.assertEqual(named["identifier"][0]["value"], HIDDEN_ID)
        self.assertTrue(AccessLogEntry.objects.filter(person=self.daughter, user=self.api.user).exists())

    def test_the_audit_event_tells_who_when_what_and_why(self):
        self.fhir(f"/fhir/Patient/{self.olga.pk}")
        entry = AccessLogEntry.objects.filter(person=self.olga).latest("seq")
        event = self.fhir(f"/fhir/AuditEvent/{entry.pk}").json()
        check_resource(self, event)
        self.assertEqual(event["agent"][0]["name"], entry.username)
        self.assertEqual(event["entity"][0]["description"], entry.what)
        self.assertEqual(event["purposeOfEvent"][0]["coding"][0]["code"], entry.reason)

    def test_search_by_identifier_finds_only_visible_persons_and_logs_each(self):
        bundle = self.fhir("/fhir/Patient", identifier=f"{codes.FNR}|{OLGA_ID}").json()
        self.assertEqual((bundle["type"], bundle["total"]), ("searchset", 1))
        check_resource(self, bundle)
        self.assertEqual(bundle["entry"][0]["resource"]["id"], str(self.olga.pk))
        self.assertEqual(self.fhir("/fhir/Patient", identifier=f"{codes.FNR}|{PER_ID}").json()["total"], 0)
        self.assertEqual(self.fhir("/fhir/Patient", identifier=f"urn:other|{OLGA_ID}").json()["total"], 0)
        self.assertEqual(self.fhir("/fhir/Patient", identifier="\x00\u202e").json()["total"], 0)
        self.assertEqual(self.fhir("/fhir/Patient").status_code, 400)
        entries = AccessLogEntry.objects.filter(user=self.api.user)
        self.assertEqual([(e.person_id, e.action) for e in entries], [(self.olga.pk, AccessAction.LIST)])

    def test_search_by_patient_gives_the_screenings_as_a_bundle(self):
        for resource_type in ("Observation", "QuestionnaireResponse"):
            bundle = self.fhir(f"/fhir/{resource_type}", patient=str(self.olga.pk)).json()
            self.assertEqual(bundle["total"], 2)
            for entry in bundle["entry"]:
                check_resource(self, entry["resource"])
        self.assertEqual(self.fhir("/fhir/Observation", patient=str(self.per.pk)).status_code, 403)

    def test_everything_holds_every_resource_about_the_person_and_no_hidden_relative(self):
        response = self.fhir(f"/fhir/Patient/{self.olga.pk}/$everything")
        self.assertEqual(response.status_code, 200)
        bundle = response.json()
        check_resource(self, bundle)
        kinds = {}
        for entry in bundle["entry"]:
            check_resource(self, entry["resource"])
            kinds.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"]["id"])
        self.assertEqual(kinds["Patient"], [str(self.olga.pk)])
        self.assertEqual(sorted(kinds["Observation"]), sorted([str(self.sppb.pk), str(self.tug.pk)]))
        self.assertEqual(len(kinds["QuestionnaireResponse"]), 2)
        self.assertEqual(kinds["ServiceRequest"], [str(self.referral.pk)])
        self.assertEqual(
            sorted(kinds["Encounter"]), sorted([f"visit-{self.visit.pk}", f"discharge-{self.discharge.pk}"])
        )
        self.assertEqual(kinds["RelatedPerson"], [str(self.relation.pk)])
        self.assertEqual(kinds["Consent"], [str(self.consent.pk)])
        self.assertEqual(kinds["EpisodeOfCare"], [f"decision-{self.decision.pk}", f"enrollment-{self.enrollment.pk}"])
        self.assertIn(str(self.alice.pk), kinds["Practitioner"])
        self.assertEqual(sorted(kinds["Questionnaire"]), ["sppb", "tug"])
        self.assertNotIn(HIDDEN_ID, response.content.decode())
        self.assertNotIn("Hemmelighild", response.content.decode())
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, user=self.api.user).exists())

    def test_reads_need_a_token_with_read_persons(self):
        _client, token = self.api_client_with("write:register", name="Writer")
        self.assertEqual(self.get_api(f"/fhir/Patient/{self.olga.pk}", token).status_code, 403)
        self.assertEqual(self.client.get(f"/fhir/Patient/{self.olga.pk}").status_code, 401)
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/fhir/Patient/{self.olga.pk}/$everything").status_code, 401)
        self.assertFalse(AccessLogEntry.objects.exists())


class EnrollmentStatusTests(FhirTestCase):
    def test_every_enrollment_status_has_its_episode_of_care_status(self):
        from trappa.api.fhir.build import ENROLLMENT_STATUS
        from trappa.referrals.models import EnrollmentStatus

        self.assertEqual(set(ENROLLMENT_STATUS), set(EnrollmentStatus.values))
