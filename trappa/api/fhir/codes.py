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

LOINC = "http://loinc.org"
# International codes for an instrument's scored total, sent beside Trappa's own (instrument-total) in
# Observation.code. Only codes whose number and display were both found in a published source are here,
# each with that source; docs/api.md ("Codes") says, per instrument, what was found and why the others
# have none. Checked 2026-12 (issue #18).
TOTAL_CODES = {
    # The CDC STEADI TUG: rise, walk 10 feet (3 metres), turn, walk back, sit; the time in seconds.
    # Source: LOINC's panel 89422-0 (Timed Up and Go test and physical findings of gait panel CDC), which
    # lists 89423-8 with this name and the unit s: https://loinc.org/89422-0
    "tug": (LOINC, "89423-8", "Time to rise from chair, walk 10 feet and back, and return to sitting [TUG]"),
    # The 30-second chair stand (Jones, Rikli & Beam 1999; CDC STEADI), arms crossed: the number of stands.
    # Source: https://loinc.org/66247-8 (long common name; the term cites CDC's STEADI 30-second chair
    # stand). Its arm-supported variant (93125-3) is not Trappa's test: using the arms records 0.
    "chair_stand_30s": (LOINC, "66247-8", "Sit to stand frequency in 30 seconds"),
}


def total_codings(instrument_id, display):
    """The codings of an instrument's total: Trappa's own, and the checked international code if there is one."""
    codings = [{"system": local("instrument-total"), "code": instrument_id, "display": display}]
    if instrument_id in TOTAL_CODES:
        system, code, standard_display = TOTAL_CODES[instrument_id]
        codings.append({"system": system, "code": code, "display": standard_display})
    return codings


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
