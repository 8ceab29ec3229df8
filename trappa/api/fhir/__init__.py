"""FHIR R4 for the journal systems (issue #18): HL7 Norway no-basis where it applies.

fhir.resources 8.3.0 ships FHIR R5 (5.0.0) as its default package and R4B (4.3.0) and STU3
as subpackages; it has no R4 (4.0.1) package. Trappa builds and checks every resource with
the R4B models: for the resources used here (Patient, RelatedPerson, Practitioner,
PractitionerRole, Questionnaire, QuestionnaireResponse, Observation, ServiceRequest,
Encounter, AuditEvent, Consent, Bundle, OperationOutcome) R4B changed nothing on the wire
from R4, so what Trappa sends is valid R4 (docs/api.md, "FHIR").

- `codes`: the identifier and code systems;
- `build`: model objects to FHIR resources (plain dicts, validated by fhir.resources);
- `reading`: the resources a client may read, through the access helpers and the access log;
- `writing`: Patient and discharge Encounter into the file imports;
- `views`, `urls`: the /fhir/ endpoints.
"""
