"""Identifier and code systems. Norwegian ones are HL7 Norway's (no-basis); Trappa's own
codes, where no national or international code was checked, are in local code systems
under the installation's address (SITE_ROOT/fhir/CodeSystem/<name>)."""

from django.conf import settings

# no-basis identifier systems (HL7 Norway, "Identifikatorer"): fødselsnummer and D-number.
FNR = "urn:oid:2.16.578.1.12.4.1.4.1"
DNR = "urn:oid:2.16.578.1.12.4.1.4.2"
PERSON_ID_SYSTEMS = (FNR, DNR)
# no-basis-municipalitycode: an extension on Address.district, with a code from Volven 3402 (kommunenummer).
MUNICIPALITY_EXTENSION = "http://hl7.no/fhir/StructureDefinition/no-basis-municipalitycode"
MUNICIPALITY_SYSTEM = "urn:oid:2.16.578.1.12.4.1.1.3402"

NO_BASIS = "http://hl7.no/fhir/StructureDefinition/"
PROFILES = {
    "Patient": NO_BASIS + "no-basis-Patient",
    "RelatedPerson": NO_BASIS + "no-basis-RelatedPerson",
    "Practitioner": NO_BASIS + "no-basis-Practitioner",
    "PractitionerRole": NO_BASIS + "no-basis-PractitionerRole",
}

# HL7 terminology (THO) code systems used with codes from the base specification.
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V2_0131 = "http://terminology.hl7.org/CodeSystem/v2-0131"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
AUDIT_EVENT_TYPE = "http://dicom.nema.org/resources/ontology/DCM"
AUDIT_ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
ISSUE_TYPE_INVALID = "invalid"


def local(name):
    """One of Trappa's own code systems (no checked LOINC or SNOMED CT code exists or was verified)."""
    return f"{settings.SITE_ROOT.rstrip('/')}/fhir/CodeSystem/{name}"


def extension(name):
    """One of Trappa's own extensions."""
    return f"{settings.SITE_ROOT.rstrip('/')}/fhir/StructureDefinition/{name}"


def questionnaire_id(instrument_id):
    """An instrument's id as a FHIR id (letters, digits, '-' and '.': no underscore)."""
    return instrument_id.replace("_", "-")


def instrument_id(questionnaire_id):
    return questionnaire_id.replace("-", "_")


def questionnaire_url(instrument_id):
    return f"{settings.SITE_ROOT.rstrip('/')}/fhir/Questionnaire/{questionnaire_id(instrument_id)}"


def person_id_system(national_id):
    """FNR or DNR: a D-number's first digit is the day plus 4 (4-7)."""
    return DNR if national_id[:1] in "4567" else FNR
