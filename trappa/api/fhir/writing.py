"""FHIR in: a Patient (or a Bundle of them) is a row of the register's persons file, and a
discharge Encounter a row of the hospital's discharge list. Both go through the file imports
themselves: the same checks, the same history, and all or nothing (docs/api.md, "FHIR").

A resource that is not valid FHIR R4 (R4B models) or lacks what the row needs is refused
before the import, with an OperationOutcome naming the element.
"""

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from trappa.api.fhir import codes
from trappa.api.views import import_rows_as_file
from trappa.outreach.importing import DISCHARGES, import_list
from trappa.people.importing import import_file
from trappa.people.models import ImportKind

PERSONS = ImportKind.PERSONS
SEX = {"female": "F", "male": "M"}


class Refused(Exception):
    """The resource cannot become a row: `issues` are (text, FHIRPath expression) pairs."""

    def __init__(self, issues):
        super().__init__("; ".join(text for text, _where in issues))
        self.issues = issues


def parse(data, resource_type):
    """The resources of `resource_type` in `data` (one resource, or a batch/transaction Bundle of them), checked."""
    if not isinstance(data, dict):
        raise Refused([("The body must be a FHIR resource (JSON object).", None)])
    if not _clean_text(data):
        # As the register rows' CharFields: no NUL (PostgreSQL cannot store one) and no lone surrogate.
        raise Refused([("A text holds a NUL character or a lone surrogate.", None)])
    if data.get("resourceType") == "Bundle":
        _valid(data, "Bundle")
        if data.get("type") not in ("batch", "transaction"):
            raise Refused([("A Bundle must be of type batch or transaction.", "Bundle.type")])
        resources = [entry.get("resource") for entry in data.get("entry") or []]
        if not resources:
            raise Refused([("The Bundle has no entries.", "Bundle.entry")])
        wrong = [
            i for i, r in enumerate(resources) if not isinstance(r, dict) or r.get("resourceType") != resource_type
        ]
        if wrong:
            raise Refused([(f"Every entry must be a {resource_type}.", f"Bundle.entry[{i}].resource") for i in wrong])
        return resources
    if data.get("resourceType") != resource_type:
        raise Refused([(f"The resource must be a {resource_type}.", "resourceType")])
    _valid(data, resource_type)
    return [data]


def _clean_text(value):
    if isinstance(value, dict):
        return all(_clean_text(k) and _clean_text(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_clean_text(v) for v in value)
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def _valid(data, resource_type):
    try:
        get_fhir_model_class(resource_type).model_validate(data)
    except ValidationError as error:
        raise Refused(
            [(err["msg"], ".".join(str(part) for part in (resource_type, *err["loc"]))) for err in error.errors()][:50]
        ) from None


def _national_id(identifiers, where):
    for identifier in identifiers or []:
        if isinstance(identifier, dict) and identifier.get("system") in codes.PERSON_ID_SYSTEMS:
            return str(identifier.get("value") or "")
    raise Refused([("A national ID (urn:oid:2.16.578.1.12.4.1.4.1) or D-number (…4.2) is required.", where)])


def patient_row(resource, index=None):
    """A persons-file row (docs/register-format.md) from a Patient."""
    where = "Patient" if index is None else f"Bundle.entry[{index}].resource"
    issues = []
    row = {"national_id": ""}
    try:
        row["national_id"] = _national_id(resource.get("identifier"), f"{where}.identifier")
    except Refused as refused:
        issues += refused.issues
    names = [n for n in resource.get("name") or [] if n.get("use") in (None, "official", "usual")]
    if names:
        row["given_name"] = " ".join(names[0].get("given") or [])
        row["family_name"] = names[0].get("family") or ""
    else:
        issues.append(("A name is required.", f"{where}.name"))
    row["birth_date"] = resource.get("birthDate") or ""
    gender = resource.get("gender")
    if gender not in SEX:
        issues.append(("gender must be female or male (the register's sex).", f"{where}.gender"))
    row["sex"] = SEX.get(gender, "")
    addresses = [a for a in resource.get("address") or [] if a.get("use") in (None, "home")]
    address = addresses[0] if addresses else {}
    row["municipality_number"] = _municipality(address)
    if not row["municipality_number"]:
        issues.append(
            ("The home address's municipality is required (no-basis-municipalitycode).", f"{where}.address.district")
        )
    row["street_address"] = " ".join(address.get("line") or [])
    row["postal_code"] = address.get("postalCode") or ""
    row["postal_place"] = address.get("city") or ""
    for telecom in resource.get("telecom") or []:
        if telecom.get("system") == "phone" and "phone" not in row:
            row["phone"] = telecom.get("value") or ""
        if telecom.get("system") == "email" and "email" not in row:
            row["email"] = telecom.get("value") or ""
    if resource.get("deceasedDateTime"):
        row["date_of_death"] = str(resource["deceasedDateTime"])[:10]
    if issues:
        raise Refused(issues)
    return row


def _municipality(address):
    for extension in (address.get("_district") or {}).get("extension") or []:
        coding = extension.get("valueCoding") or {}
        if extension.get("url") == codes.MUNICIPALITY_EXTENSION and coding.get("system") == codes.MUNICIPALITY_SYSTEM:
            return coding.get("code") or ""
    return ""


def discharge_row(resource, index=None):
    """A discharge-list row (docs/outreach-formats.md) from a finished inpatient Encounter."""
    where = "Encounter" if index is None else f"Bundle.entry[{index}].resource"
    issues = []
    subject = resource.get("subject") or {}
    national_id = ""
    try:
        national_id = _national_id([subject.get("identifier")], f"{where}.subject.identifier")
    except Refused as refused:
        issues += refused.issues
    encounter_class = resource.get("class") or {}
    if encounter_class.get("system") != codes.V3_ACT_CODE or encounter_class.get("code") not in ("IMP", "ACUTE"):
        issues.append(("A discharge is an inpatient encounter: class IMP or ACUTE (v3-ActCode).", f"{where}.class"))
    if resource.get("status") != "finished":
        issues.append(("A discharge is a finished encounter.", f"{where}.status"))
    end = (resource.get("period") or {}).get("end")
    if not end:
        issues.append(("The day of discharge (period.end) is required.", f"{where}.period.end"))
    if issues:
        raise Refused(issues)
    return {"national_id": national_id, "discharged_on": str(end)[:10]}


def rows_from(resources, make_row):
    rows, issues = [], []
    several = len(resources) > 1
    for index, resource in enumerate(resources):
        try:
            rows.append(make_row(resource, index if several else None))
        except Refused as refused:
            issues += refused.issues
    if issues:
        raise Refused(issues)
    return rows


def import_rows(kind, rows, municipality, user, sender):
    """Import the rows with the kind's file import, as the API's register endpoint does; the batch."""
    run = import_list if kind == DISCHARGES else import_file
    return import_rows_as_file(kind, rows, municipality, user, False, f"fhir-{sender}", run=run)
