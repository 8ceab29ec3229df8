"""Trappa's records as FHIR resources (plain dicts, each checked by fhir.resources' R4B model).

Every function here is given objects the caller may show: the access check and the
access log are `reading`'s job. A related person the caller has no grant for is named
by their relation only (`related_person(..., named=False)`).
"""

from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from trappa.api.fhir import codes
from trappa.assessments.instruments import loader
from trappa.assessments.instruments.model import CHOICE, MEASURE, YES_NO
from trappa.audit.models import AccessAction
from trappa.people.models import RelationKind, Sex
from trappa.referrals.models import EnrollmentStatus, Status

LANGUAGE = "nb"  # the written language of generated texts (questionnaires)


def checked(resource):
    """The resource as JSON-ready dict, after fhir.resources has validated it (raises on a bad one)."""
    model = get_fhir_model_class(resource["resourceType"])
    return model.model_validate(resource).model_dump(mode="json", exclude_none=True)


def ref(resource_type, resource_id, display=None):
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def _identifier(national_id):
    return {"use": "official", "system": codes.person_id_system(national_id), "value": national_id}


def _name(person):
    return {"use": "official", "family": person.family_name, "given": person.given_name.split() or [person.given_name]}


GENDER = {Sex.FEMALE: "female", Sex.MALE: "male"}


def _address(person, municipalities):
    address = {"use": "home", "type": "both"}
    if person.street_address:
        address["line"] = [person.street_address]
    if person.postal_code:
        address["postalCode"] = person.postal_code
    if person.postal_place:
        address["city"] = person.postal_place
    number = person.municipality_number
    if number:
        address["district"] = municipalities.get(number, number)
        coding = {"system": codes.MUNICIPALITY_SYSTEM, "code": number}
        if number in municipalities:
            coding["display"] = municipalities[number]
        address["_district"] = {"extension": [{"url": codes.MUNICIPALITY_EXTENSION, "valueCoding": coding}]}
    address["country"] = "NO"
    return address


def patient(person, municipalities=None):
    """no-basis-Patient: national ID or D-number, name, sex, birth date, address with municipality."""
    resource = {
        "resourceType": "Patient",
        "id": str(person.pk),
        "meta": {"profile": [codes.PROFILES["Patient"]]},
        "identifier": [_identifier(person.national_id)],
        "active": person.is_active,
        "name": [_name(person)],
        "gender": GENDER.get(person.sex, "unknown"),
        "birthDate": person.birth_date.isoformat(),
        "address": [_address(person, municipalities or {})],
    }
    if person.date_of_death:
        resource["deceasedDateTime"] = person.date_of_death.isoformat()
    telecom = []
    if person.phone:
        telecom.append({"system": "phone", "value": person.phone, "use": "home"})
    if person.email:
        telecom.append({"system": "email", "value": person.email})
    if telecom:
        resource["telecom"] = telecom
    if person.language:
        resource["communication"] = [
            {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": person.language}]}, "preferred": True}
        ]
    return checked(resource)


# A relation's kind as the role the *related* person has for the patient.
RELATIONSHIP = {
    RelationKind.SPOUSE: (codes.V3_ROLE_CODE, "SPS", "spouse"),
    RelationKind.PARENT: (codes.V3_ROLE_CODE, "PRN", "parent"),
}


def related_person(relation, named=True, caregiver_link=None):
    """no-basis-RelatedPerson: `relation.from_person` as related to `relation.to_person` (the patient).

    With `named=False` (the caller has no grant for the related person) only the relation is told."""
    relationship = []
    if relation.kind in RELATIONSHIP:
        system, code, display = RELATIONSHIP[relation.kind]
        relationship.append({"coding": [{"system": system, "code": code, "display": display}]})
    else:
        relationship.append(
            {"coding": [{"system": codes.local("relation-kind"), "code": relation.kind, "display": "caregiver"}]}
        )
    if relation.nearest_relative:
        relationship.append({"coding": [{"system": codes.V2_0131, "code": "N", "display": "Next-of-Kin"}]})
    if caregiver_link is not None and caregiver_link.relationship:
        relationship[0]["text"] = caregiver_link.relationship
    resource = {
        "resourceType": "RelatedPerson",
        "id": str(relation.pk),
        "meta": {"profile": [codes.PROFILES["RelatedPerson"]]},
        "active": relation.valid_to is None,
        "patient": ref("Patient", relation.to_person_id),
        "relationship": relationship,
    }
    if relation.valid_from or relation.valid_to:
        resource["period"] = {
            key: day.isoformat() for key, day in (("start", relation.valid_from), ("end", relation.valid_to)) if day
        }
    if named:
        other = relation.from_person
        resource["identifier"] = [_identifier(other.national_id)]
        resource["name"] = [_name(other)]
        resource["gender"] = GENDER.get(other.sex, "unknown")
        resource["birthDate"] = other.birth_date.isoformat()
    return checked(resource)


def practitioner(user):
    """no-basis-Practitioner: a member of staff by name (Trappa keeps no HPR number)."""
    name = {"text": user.get_full_name() or user.username}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    resource = {
        "resourceType": "Practitioner",
        "id": str(user.pk),
        "meta": {"profile": [codes.PROFILES["Practitioner"]]},
        "active": user.is_active,
        "name": [name],
    }
    return checked(resource)


def practitioner_role(user):
    resource = {
        "resourceType": "PractitionerRole",
        "id": str(user.pk),
        "meta": {"profile": [codes.PROFILES["PractitionerRole"]]},
        "active": user.is_active and bool(user.role),
        "practitioner": ref("Practitioner", user.pk),
        "code": [
            {
                "coding": [
                    {"system": codes.local("role"), "code": user.role or "none", "display": user.get_role_display()}
                ]
            }
        ],
    }
    if user.unit_id:
        resource["organization"] = {"display": user.unit.name}
    return checked(resource)


def questionnaire(instrument):
    """A Questionnaire generated from an instrument file (its items, options and units)."""
    items = []
    for item in instrument.items:
        entry = {"linkId": item.id, "text": item.label.get(LANGUAGE), "required": False}
        if item.kind == CHOICE:
            entry["type"] = "choice"
            entry["answerOption"] = [
                {
                    "valueCoding": {
                        "system": codes.local(f"instrument-{instrument.id}"),
                        "code": option.id,
                        "display": option.label.get(LANGUAGE),
                    }
                }
                for option in item.options
            ]
        elif item.kind == YES_NO:
            entry["type"] = "boolean"
        elif item.kind == MEASURE:
            entry["type"] = "decimal" if item.decimals else "integer"
            if item.trials > 1:
                entry["repeats"] = True
        items.append(entry)
    resource = {
        "resourceType": "Questionnaire",
        "id": codes.questionnaire_id(instrument.id),
        "url": codes.questionnaire_url(instrument.id),
        "version": instrument.version,
        "name": "".join(c for c in instrument.id.title() if c.isalnum()),
        "title": instrument.name.get(LANGUAGE),
        "status": "active",
        "language": LANGUAGE,
        "item": items,
    }
    if instrument.description:
        resource["description"] = instrument.description.get(LANGUAGE)
    if instrument.source.citation:
        resource["copyright"] = f"{instrument.licence.holder}: {instrument.source.citation}"
    return checked(resource)


def _answers(instrument, item_id, value):
    """One stored answer as QuestionnaireResponse answers (a "not done" code as its coding)."""
    item = instrument.item(item_id) if instrument else None
    values = value if isinstance(value, list) else [value]
    answers = []
    for one in values:
        if isinstance(one, dict) and "code" in one:
            answers.append({"valueCoding": {"system": codes.local("not-done"), "code": str(one["code"])}})
        elif isinstance(one, bool):
            answers.append({"valueBoolean": one})
        elif item is not None and item.kind == CHOICE:
            answers.append({"valueCoding": {"system": codes.local(f"instrument-{instrument.id}"), "code": str(one)}})
        elif item is not None and item.kind == MEASURE and one is not None:
            answers.append({"valueDecimal": str(one)} if item.decimals else {"valueInteger": int(str(one))})
        elif one is not None:
            answers.append({"valueString": str(one)})
    return answers


def _instrument(instrument_id):
    try:
        return loader.get(instrument_id)
    except KeyError:  # an instrument no longer shipped: the answers are still told, untyped
        return None


def questionnaire_response(screening):
    instrument = _instrument(screening.instrument_id)
    items = []
    for item_id, value in (screening.answers or {}).items():
        answers = _answers(instrument, item_id, value)
        entry = {"linkId": str(item_id)}
        if answers:
            entry["answer"] = answers
        items.append(entry)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(screening.pk),
        "questionnaire": f"{codes.questionnaire_url(screening.instrument_id)}|{screening.instrument_version}",
        "status": "completed",
        "subject": ref("Patient", screening.person_id),
        "encounter": ref("Encounter", f"visit-{screening.visit_id}"),
        "authored": screening.screened_on.isoformat(),
        "author": ref("Practitioner", screening.visit.visited_by_id),
    }
    if items:
        resource["item"] = items
    return checked(resource)


def _decimal(value):
    return format(value.normalize(), "f") if value is not None else None


def observation(screening):
    """The scored total (and the item points as components) of one screening."""
    instrument = _instrument(screening.instrument_id)
    name = instrument.name.get(LANGUAGE) if instrument else screening.instrument_id
    resource = {
        "resourceType": "Observation",
        "id": str(screening.pk),
        "status": "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {
            "coding": codes.total_codings(screening.instrument_id, name),
            "text": name,
        },
        "subject": ref("Patient", screening.person_id),
        "encounter": ref("Encounter", f"visit-{screening.visit_id}"),
        "effectiveDateTime": screening.screened_on.isoformat(),
        "performer": [ref("Practitioner", screening.visit.visited_by_id)],
        "derivedFrom": [ref("QuestionnaireResponse", screening.pk)],
    }
    if screening.total is not None:
        quantity = {"value": _decimal(screening.total)}
        if instrument and instrument.unit:
            quantity["unit"] = instrument.unit.en
        resource["valueQuantity"] = quantity
    else:
        resource["dataAbsentReason"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "code": "not-applicable",
                    "display": "Not Applicable",
                }
            ]
        }
    if screening.band:
        band = instrument.band(screening.band) if instrument else None
        resource["interpretation"] = [
            {
                "coding": [
                    {
                        "system": codes.local(f"instrument-{screening.instrument_id}-band"),
                        "code": screening.band,
                        "display": band.label.get(LANGUAGE) if band else screening.band,
                    }
                ]
            }
        ]
    components = []
    for item_id, points in sorted((screening.item_points or {}).items()):
        component = {
            "code": {"coding": [{"system": codes.local(f"instrument-{screening.instrument_id}"), "code": item_id}]}
        }
        if points is None:
            component["dataAbsentReason"] = {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "unknown"}]
            }
        else:
            component["valueInteger"] = int(points)
        components.append(component)
    if components:
        resource["component"] = components
    return checked(resource)


SERVICE_REQUEST_STATUS = {
    Status.REFERRED: "active",
    Status.RELEVANT: "active",
    Status.WAITING: "active",
    Status.STARTED: "active",
    Status.COMPLETED: "completed",
    Status.DROPPED_OUT: "revoked",
    Status.NOT_RELEVANT: "revoked",
    Status.DECLINED: "revoked",
}


def service_request(referral):
    what = str(referral.offering) if referral.offering_id else referral.get_service_display() or referral.pathway
    resource = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "status": SERVICE_REQUEST_STATUS.get(referral.status, "unknown"),
        "intent": "order",
        "code": {
            "coding": [{"system": codes.local("referral-pathway"), "code": referral.pathway}],
            "text": str(what),
        },
        "subject": ref("Patient", referral.person_id),
        "authoredOn": referral.referred_on.isoformat(),
        "performer": [{"display": referral.unit.name}],
        "extension": [
            {
                "url": codes.extension("referral-status"),
                "valueCoding": {
                    "system": codes.local("referral-status"),
                    "code": referral.status,
                    "display": str(referral.get_status_display()),
                },
            }
        ],
        "orderDetail": [
            {"coding": [{"system": codes.local("referral-source"), "code": referral.source}], "text": "referred by"}
        ],
    }
    if referral.referred_by_id:
        resource["requester"] = ref("Practitioner", referral.referred_by_id)
    if referral.reason:
        resource["reasonCode"] = [{"text": referral.reason}]
    if referral.started_on or referral.ended_on:
        resource["occurrencePeriod"] = {
            key: day.isoformat() for key, day in (("start", referral.started_on), ("end", referral.ended_on)) if day
        }
    return checked(resource)


def decision_episode(decision):
    """A decision (vedtak) granting a municipal service, as the episode of care it grants."""
    today = timezone.localdate()
    status = "active" if decision.is_active_on(today) else ("planned" if decision.start_date > today else "finished")
    period = {"start": decision.start_date.isoformat()}
    if decision.end_date:
        period["end"] = decision.end_date.isoformat()
    resource = {
        "resourceType": "EpisodeOfCare",
        "id": f"decision-{decision.pk}",
        "identifier": [{"system": codes.local("decision"), "value": decision.decision_id}],
        "status": status,
        "type": [
            {
                "coding": [{"system": codes.local("service"), "code": decision.service}],
                "text": str(decision.get_service_display()),
            }
        ],
        "patient": ref("Patient", decision.person_id),
        "period": period,
    }
    if decision.unit_id:
        resource["managingOrganization"] = {"display": decision.unit.name}
    return checked(resource)


ENROLLMENT_STATUS = {
    EnrollmentStatus.ENROLLED: "active",
    EnrollmentStatus.OFFERED: "planned",
    EnrollmentStatus.WAITLISTED: "waitlist",
    EnrollmentStatus.WITHDRAWN: "cancelled",
    EnrollmentStatus.DECLINED: "cancelled",
    EnrollmentStatus.EXPIRED: "cancelled",
    EnrollmentStatus.COMPLETED: "finished",
}


def enrollment_episode(enrollment):
    """A place in a group of an offering (or on its waitlist)."""
    group = enrollment.group
    period = {"start": enrollment.created_at.isoformat()}
    resource = {
        "resourceType": "EpisodeOfCare",
        "id": f"enrollment-{enrollment.pk}",
        "status": ENROLLMENT_STATUS[enrollment.status],
        "type": [
            {
                "coding": [{"system": codes.local("enrollment-status"), "code": enrollment.status}],
                "text": f"{group.offering}: {group.name}",
            }
        ],
        "patient": ref("Patient", enrollment.person_id),
        "period": period,
    }
    return checked(resource)


def home_visit_encounter(visit):
    resource = {
        "resourceType": "Encounter",
        "id": f"visit-{visit.pk}",
        "status": "finished",
        "class": {"system": codes.V3_ACT_CODE, "code": "HH", "display": "home health"},
        "type": [{"coding": [{"system": codes.local("encounter-type"), "code": "preventive-home-visit"}]}],
        "subject": ref("Patient", visit.person_id),
        "participant": [{"individual": ref("Practitioner", visit.visited_by_id)}],
        "period": {"start": visit.visited_on.isoformat(), "end": visit.visited_on.isoformat()},
    }
    return checked(resource)


def discharge_encounter(notice):
    """A hospital discharge Trappa was told of (an inpatient stay that ended on the day)."""
    resource = {
        "resourceType": "Encounter",
        "id": f"discharge-{notice.pk}",
        "status": "finished",
        "class": {"system": codes.V3_ACT_CODE, "code": "IMP", "display": "inpatient encounter"},
        "subject": ref("Patient", notice.person_id),
        "period": {"end": notice.discharged_on.isoformat()},
    }
    return checked(resource)


def consent(entry):
    """A care recipient's consent to share a topic with a caregiver (trappa.caregivers)."""
    link = entry.link
    resource = {
        "resourceType": "Consent",
        "id": str(entry.pk),
        "status": "inactive" if entry.withdrawn_at else "active",
        "scope": {"coding": [{"system": codes.CONSENT_SCOPE, "code": "patient-privacy", "display": "Privacy Consent"}]},
        "category": [{"coding": [{"system": codes.local("consent-topic"), "code": entry.topic}]}],
        "patient": ref("Patient", link.recipient_id),
        "dateTime": entry.given_at.isoformat(),
        "policyRule": {"text": "Helsepersonelloven § 22 (samtykke til å dele opplysninger med pårørende)"},
        "provision": {
            "type": "permit",
            "actor": [
                {
                    "role": {
                        "coding": [{"system": codes.V3_ROLE_CODE, "code": "IRCP", "display": "information recipient"}]
                    },
                    "reference": ref("RelatedPerson", link.relation_id),
                }
            ],
            "period": {"start": entry.given_at.isoformat()},
        },
    }
    if entry.withdrawn_at:
        resource["provision"]["period"]["end"] = entry.withdrawn_at.isoformat()
    return checked(resource)


AUDIT_ACTION = {
    AccessAction.VIEW: "R",
    AccessAction.LIST: "R",
    AccessAction.EXPORT: "R",
    AccessAction.CHANGE: "U",
    AccessAction.CREATE: "C",
}


def audit_event(entry):
    """One access-log entry: who (user, role, unit), when, what, why, from where."""
    resource = {
        "resourceType": "AuditEvent",
        "id": str(entry.pk),
        "type": {"system": codes.AUDIT_EVENT_TYPE, "code": "110110", "display": "Patient Record"},
        "subtype": [{"system": codes.local("access-action"), "code": entry.action}],
        "action": AUDIT_ACTION.get(entry.action, "E"),
        "recorded": entry.at.isoformat(),
        "outcome": "0",
        "purposeOfEvent": [{"coding": [{"system": codes.local("access-reason"), "code": entry.reason}]}],
        "agent": [
            {
                "type": {"coding": [{"system": codes.local("role"), "code": entry.role or "none"}]},
                "who": {"display": entry.username},
                "name": entry.username,
                "requestor": True,
            }
        ],
        "source": {"site": entry.municipality.name, "observer": {"display": "Trappa"}},
        "entity": [
            {
                "what": ref("Patient", entry.person_id),
                "type": {"system": codes.AUDIT_ENTITY_TYPE, "code": "1", "display": "Person"},
                "description": entry.what,
            }
        ],
    }
    if entry.unit_name:
        resource["agent"][0]["location"] = {"display": entry.unit_name}
    if entry.reason_detail:
        resource["purposeOfEvent"][0]["text"] = entry.reason_detail
    return checked(resource)


def bundle(resources, kind="searchset", base=""):
    entries = [{"fullUrl": f"{base}/fhir/{r['resourceType']}/{r['id']}", "resource": r} for r in resources]
    resource = {"resourceType": "Bundle", "type": kind, "entry": entries}
    if kind == "searchset":
        resource["total"] = len(entries)
        for entry in entries:
            entry["search"] = {"mode": "match"}
    return checked(resource)


def operation_outcome(issues):
    """issues: [(severity, code, text, expression or None)]."""
    resource = {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": severity, "code": code, "diagnostics": text, **({"expression": [where]} if where else {})}
            for severity, code, text, where in issues
        ],
    }
    return checked(resource)
