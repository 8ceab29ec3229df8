"""Olga's records for the FHIR tests, and the checks of HL7 Norway's no-basis profiles."""

import datetime
import re
import uuid

from fhir.resources.R4B import get_fhir_model_class

from tests.api.support import ApiTestCase
from tests.referrals.base import make_group, make_offering
from trappa.api.fhir import codes
from trappa.assessments.instruments import loader
from trappa.assessments.instruments.engine import score
from trappa.assessments.models import HomeVisit, Screening
from trappa.assessments.screening import jsonable
from trappa.caregivers.models import CaregiverLink, Consent, ConsentTopic
from trappa.outreach.models import DischargeNotice
from trappa.people.models import ImportBatch, PersonRelation, RelationKind, ServiceDecision, ServiceKind, Sex
from trappa.referrals import services as referral_services
from trappa.referrals.models import Source

HIDDEN_ID = "01896000128"  # synthetic: Olga's daughter, whom the client's unit has no relationship with
D_NUMBER = "41014910067"  # a D-number (day + 40), born 1949-01-01


def stored_screening(visit, instrument_id):
    """A screening scored by the engine from the instrument's own first test case with a total (or its
    first case, for an instrument without a total)."""
    instrument = loader.get(instrument_id)
    case = next((c for c in instrument.cases if c.total is not None), instrument.cases[0])
    result = score(instrument, case.answers)
    return Screening.objects.create(
        visit=visit,
        person=visit.person,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers=jsonable(case.answers),
        total=result.total,
        band=result.band.id if result.band else "",
        item_points=dict(result.item_points),
        screened_on=visit.visited_on,
    )


class FhirTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        olga = cls.olga
        cls.visit = HomeVisit.objects.create(
            municipality=cls.vefsn,
            person=olga,
            visited_on=datetime.date(2026, 5, 4),
            visited_by=cls.alice,
            idempotency_key=uuid.uuid4(),
        )
        cls.sppb = stored_screening(cls.visit, "sppb")
        cls.tug = stored_screening(cls.visit, "tug")
        offering = make_offering(cls.vefsn, cls.health)
        cls.referral = referral_services.refer(olga, offering, Source.GP, cls.alice, "Falls at home")
        batch = ImportBatch.objects.create(municipality=cls.vefsn, kind="discharges", file_name="d.csv", sha256="0")
        cls.discharge = DischargeNotice.objects.create(
            person=olga, discharged_on=datetime.date(2026, 4, 20), batch=batch
        )
        cls.daughter = cls.make_person(HIDDEN_ID, "Hemmelighild", "Skjulbakken", datetime.date(1960, 9, 1), Sex.FEMALE)
        cls.relation = PersonRelation.objects.create(
            from_person=cls.daughter, to_person=olga, kind=RelationKind.CAREGIVER, nearest_relative=True
        )
        cls.link = CaregiverLink.objects.create(
            relation=cls.relation, caregiver=cls.daughter, recipient=olga, relationship="daughter"
        )
        cls.consent = Consent.objects.create(link=cls.link, topic=ConsentTopic.HEALTH, recorded_by=cls.alice)
        cls.decision = ServiceDecision.objects.create(
            person=olga,
            decision_id="V-2026-17",
            service=ServiceKind.SAFETY_ALARM,
            start_date=datetime.date(2026, 2, 1),
            unit=cls.service_office,
        )
        cls.enrollment = referral_services.enroll(make_group(offering), olga)


# What HL7 Norway's no-basis profiles and the base resources require, checked on what Trappa sends.
NATIONAL_ID = re.compile(r"\d{11}")


def check_resource(case, resource):
    """Valid R4B (wire-compatible with R4) and, for the no-basis resources, their identifier systems."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    if resource["resourceType"] != "Bundle":
        case.assertRegex(resource.get("id", ""), r"^[A-Za-z0-9\-.]{1,64}$")
    check = globals().get(f"check_{resource['resourceType']}")
    if check:
        check(case, resource)


def _check_person_identifiers(case, identifiers):
    for identifier in identifiers:
        case.assertIn(identifier["system"], codes.PERSON_ID_SYSTEMS)
        case.assertRegex(identifier["value"], NATIONAL_ID)
        expected = codes.DNR if identifier["value"][0] in "4567" else codes.FNR
        case.assertEqual(identifier["system"], expected)


def check_Patient(case, resource):
    case.assertEqual(resource["meta"]["profile"], ["http://hl7.no/fhir/StructureDefinition/no-basis-Patient"])
    case.assertTrue(resource["identifier"])
    _check_person_identifiers(case, resource["identifier"])
    name = resource["name"][0]
    case.assertTrue(name["family"] and name["given"])
    case.assertIn(resource["gender"], ("female", "male"))
    case.assertRegex(resource["birthDate"], r"^\d{4}-\d{2}-\d{2}$")
    address = resource["address"][0]
    [extension] = address["_district"]["extension"]
    case.assertEqual(extension["url"], "http://hl7.no/fhir/StructureDefinition/no-basis-municipalitycode")
    case.assertEqual(extension["valueCoding"]["system"], "urn:oid:2.16.578.1.12.4.1.1.3402")
    case.assertRegex(extension["valueCoding"]["code"], r"^\d{4}$")


def check_RelatedPerson(case, resource):
    case.assertEqual(resource["meta"]["profile"], ["http://hl7.no/fhir/StructureDefinition/no-basis-RelatedPerson"])
    case.assertRegex(resource["patient"]["reference"], r"^Patient/\d+$")
    case.assertTrue(resource["relationship"])
    _check_person_identifiers(case, resource.get("identifier", []))


def check_Practitioner(case, resource):
    case.assertEqual(resource["meta"]["profile"], ["http://hl7.no/fhir/StructureDefinition/no-basis-Practitioner"])
    case.assertTrue(resource["name"][0]["text"])


def check_PractitionerRole(case, resource):
    case.assertRegex(resource["practitioner"]["reference"], r"^Practitioner/\d+$")


def check_QuestionnaireResponse(case, resource):
    case.assertEqual(resource["status"], "completed")
    case.assertRegex(resource["questionnaire"], r"/fhir/Questionnaire/[a-z0-9\-]+\|")
    case.assertRegex(resource["subject"]["reference"], r"^Patient/\d+$")


def check_Observation(case, resource):
    case.assertEqual(resource["status"], "final")
    # The total in Trappa's own code system first, then the checked international code if the instrument
    # has one (codes.TOTAL_CODES) and nothing else: no LOINC or SNOMED CT code that was not verified.
    local, *others = resource["code"]["coding"]
    case.assertTrue(local["system"].endswith("/fhir/CodeSystem/instrument-total"), local)
    checked = codes.TOTAL_CODES.get(local["code"])
    expected = [dict(zip(("system", "code", "display"), checked, strict=True))] if checked else []
    case.assertEqual(others, expected)
    case.assertRegex(resource["subject"]["reference"], r"^Patient/\d+$")


def check_Encounter(case, resource):
    case.assertEqual(resource["class"]["system"], codes.V3_ACT_CODE)
    case.assertRegex(resource["subject"]["reference"], r"^Patient/\d+$")


def check_AuditEvent(case, resource):
    case.assertEqual(resource["type"]["code"], "110110")
    case.assertTrue(resource["agent"][0]["requestor"])
    case.assertRegex(resource["entity"][0]["what"]["reference"], r"^Patient/\d+$")
