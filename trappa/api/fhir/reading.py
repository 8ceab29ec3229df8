"""What a client may read as FHIR, through the same access helpers and access log as the pages.

A resource about a person (everything but Questionnaire, Practitioner and PractitionerRole)
is read only with a grant for that person (a care relationship of the client's unit, as for
its staff), and each read writes an access-log entry naming the client. A person a resource
would name beside the patient (a relative in a RelatedPerson) is named only with a grant of
their own (`show_mentioned_persons`), never through the patient's.
"""

import re

from django.http import Http404

from trappa.accounts.models import Municipality, User
from trappa.api.fhir import build, codes
from trappa.assessments.instruments import loader
from trappa.assessments.models import HomeVisit, Screening
from trappa.audit.access import check_person_access, log_access, log_persons_listed, show_mentioned_persons
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.caregivers.models import CaregiverLink, Consent
from trappa.outreach.models import DischargeNotice
from trappa.people.access import get_person_for_user, visible_persons
from trappa.people.models import PersonRelation, ServiceDecision
from trappa.referrals.models import Enrollment, Referral

# A database id as FHIR writes it: digits, at most what a bigint holds (no overflow reaches the database).
_ID = re.compile(r"[0-9]{1,18}")
# Resources about one person: their "patient" search parameter.
PERSON_TYPES = (
    "RelatedPerson",
    "QuestionnaireResponse",
    "Observation",
    "ServiceRequest",
    "Encounter",
    "EpisodeOfCare",
    "Consent",
    "AuditEvent",
)
TYPES = ("Patient", "Practitioner", "PractitionerRole", "Questionnaire", *PERSON_TYPES)


def db_id(value):
    """A FHIR id that names a database row, as an int; Http404 for anything else."""
    value = str(value)
    if value.startswith("Patient/"):
        value = value[len("Patient/") :]
    if not _ID.fullmatch(value):
        raise Http404
    return int(value)


class Reader:
    """Reads for one request; `what` in the access log names the client and the resource."""

    def __init__(self, request, prefix):
        """`prefix` begins the access log's "what": e.g. "API (<client>): FHIR"."""
        self.request = request
        self.prefix = prefix
        self._municipalities = None

    def what(self, text):
        return f"{self.prefix} {text}"

    @property
    def municipalities(self):
        if self._municipalities is None:
            self._municipalities = dict(Municipality.objects.values_list("number", "name"))
        return self._municipalities

    def _grant(self, person, text, action=AccessAction.VIEW):
        grant = check_person_access(self.request.user, person)
        log_access(self.request, person, grant, self.what(text), action)

    # Reads by id -------------------------------------------------------------------------------

    def read(self, resource_type, resource_id):
        reader = getattr(self, f"_read_{resource_type}", None)
        if reader is None:
            raise Http404
        return reader(resource_id)

    def _read_Patient(self, resource_id):
        person = get_person_for_user(self.request, db_id(resource_id), self.what(f"Patient/{resource_id}"))
        return build.patient(person, self.municipalities)

    def _read_RelatedPerson(self, resource_id):
        relation = _get(PersonRelation.objects.select_related("from_person", "to_person"), resource_id)
        self._grant(relation.to_person, f"RelatedPerson/{relation.pk}")
        return self._related([relation])[0]

    def _related(self, relations):
        """RelatedPersons for relations whose patient was checked and logged; the others named only with a grant."""
        if not relations:
            return []
        shown = show_mentioned_persons(
            self.request, [r.from_person for r in relations], self.what("RelatedPerson (the related person)")
        )
        links = {link.relation_id: link for link in CaregiverLink.objects.filter(relation__in=relations)}
        return [build.related_person(r, r.from_person_id in shown, links.get(r.pk)) for r in relations]

    def _read_Practitioner(self, resource_id):
        return build.practitioner(self._staff(resource_id))

    def _read_PractitionerRole(self, resource_id):
        return build.practitioner_role(self._staff(resource_id))

    def _staff(self, resource_id):
        """A member of staff of the client's own municipality (no personal data of a resident)."""
        user = User.objects.select_related("unit").filter(pk=db_id(resource_id)).first()
        if user is None or user.municipality_id != self.request.user.municipality_id:
            raise Http404
        return user

    def _read_Questionnaire(self, resource_id):
        instrument = loader.shipped().get(codes.instrument_id(str(resource_id)))
        if instrument is None:
            raise Http404
        return build.questionnaire(instrument)

    def _screening(self, resource_id, resource_type):
        screening = _get(_screenings(), resource_id)
        self._grant(screening.person, f"{resource_type}/{screening.pk}")
        return screening

    def _read_QuestionnaireResponse(self, resource_id):
        return build.questionnaire_response(self._screening(resource_id, "QuestionnaireResponse"))

    def _read_Observation(self, resource_id):
        return build.observation(self._screening(resource_id, "Observation"))

    def _read_ServiceRequest(self, resource_id):
        referral = _get(_referrals(), resource_id)
        self._grant(referral.person, f"ServiceRequest/{referral.pk}")
        return build.service_request(referral)

    def _read_Encounter(self, resource_id):
        kind, _, number = str(resource_id).partition("-")
        if kind == "visit":
            visit = _get(HomeVisit.objects.select_related("person"), number)
            self._grant(visit.person, f"Encounter/{resource_id}")
            return build.home_visit_encounter(visit)
        if kind == "discharge":
            notice = _get(DischargeNotice.objects.select_related("person"), number)
            self._grant(notice.person, f"Encounter/{resource_id}")
            return build.discharge_encounter(notice)
        raise Http404

    def _read_EpisodeOfCare(self, resource_id):
        kind, _, number = str(resource_id).partition("-")
        if kind == "decision":
            decision = _get(ServiceDecision.objects.select_related("person", "unit"), number)
            self._grant(decision.person, f"EpisodeOfCare/{resource_id}")
            return build.decision_episode(decision)
        if kind == "enrollment":
            enrollment = _get(_enrollments(), number)
            self._grant(enrollment.person, f"EpisodeOfCare/{resource_id}")
            return build.enrollment_episode(enrollment)
        raise Http404

    def _read_Consent(self, resource_id):
        consent = _get(Consent.objects.select_related("link__recipient"), resource_id)
        self._grant(consent.link.recipient, f"Consent/{consent.pk}")
        return build.consent(consent)

    def _read_AuditEvent(self, resource_id):
        entry = _get(AccessLogEntry.objects.select_related("person", "municipality"), resource_id)
        self._grant(entry.person, f"AuditEvent/{entry.pk}")
        return build.audit_event(entry)

    # Searches ----------------------------------------------------------------------------------

    def search_patients(self, identifier):
        """Patient?identifier=[system|]value: the visible persons with that national ID or D-number."""
        system, bar, value = str(identifier).rpartition("|")
        if bar and system not in codes.PERSON_ID_SYSTEMS:
            return []
        persons = list(visible_persons(self.request.user).filter(national_id=value).order_by("pk")[:100])
        log_persons_listed(self.request, persons, self.what("Patient search by identifier"))
        return [build.patient(person, self.municipalities) for person in persons]

    def search_for_patient(self, resource_type, patient):
        """<Type>?patient=<id>: one person's resources of the type, the person checked and logged once."""
        person = get_person_for_user(
            self.request, db_id(patient), self.what(f"{resource_type} search for Patient/{patient}"), AccessAction.LIST
        )
        return self._of_person(resource_type, person)

    def _of_person(self, resource_type, person):
        if resource_type == "RelatedPerson":
            relations = PersonRelation.objects.filter(to_person=person).select_related("from_person")
            return self._related(list(relations.order_by("pk")))
        if resource_type == "QuestionnaireResponse":
            return [build.questionnaire_response(s) for s in _screenings().filter(person=person).order_by("pk")]
        if resource_type == "Observation":
            return [build.observation(s) for s in _screenings().filter(person=person).order_by("pk")]
        if resource_type == "ServiceRequest":
            return [build.service_request(r) for r in _referrals().filter(person=person).order_by("pk")]
        if resource_type == "Encounter":
            visits = HomeVisit.objects.filter(person=person).order_by("visited_on", "pk")
            notices = DischargeNotice.objects.filter(person=person).order_by("discharged_on", "pk")
            return [build.home_visit_encounter(v) for v in visits] + [build.discharge_encounter(n) for n in notices]
        if resource_type == "EpisodeOfCare":
            decisions = (
                ServiceDecision.objects.filter(person=person).select_related("unit").order_by("start_date", "pk")
            )
            enrollments = _enrollments().filter(person=person).order_by("created_at", "pk")
            return [build.decision_episode(d) for d in decisions] + [build.enrollment_episode(e) for e in enrollments]
        if resource_type == "Consent":
            consents = Consent.objects.filter(link__recipient=person).select_related("link").order_by("pk")
            return [build.consent(c) for c in consents]
        if resource_type == "AuditEvent":
            entries = AccessLogEntry.objects.filter(person=person).select_related("municipality").order_by("seq")
            return [build.audit_event(e) for e in entries]
        raise Http404

    def everything(self, patient, audit=False, what=None, action=AccessAction.VIEW):
        """Patient/<id>/$everything: the person and every resource about them (the access log with `audit`),
        with the practitioners and questionnaires they refer to."""
        what = what or self.what(f"Patient/{patient}/$everything")
        person = get_person_for_user(self.request, db_id(patient), what, action)
        resources = [build.patient(person, self.municipalities)]
        types = PERSON_TYPES if audit else [t for t in PERSON_TYPES if t != "AuditEvent"]
        for resource_type in types:
            resources += self._of_person(resource_type, person)
        staff_ids = {
            int(r["reference"].split("/")[1])
            for resource in resources
            for r in _references(resource)
            if r.get("reference", "").startswith("Practitioner/")
        }
        staff = User.objects.filter(pk__in=staff_ids).select_related("unit").order_by("pk")
        resources += [build.practitioner(user) for user in staff]
        instruments = sorted({s.instrument_id for s in Screening.objects.filter(person=person)})
        shipped = loader.shipped()
        resources += [build.questionnaire(shipped[i]) for i in instruments if i in shipped]
        return person, resources


def _references(resource):
    """Every {"reference": ...} in a resource."""
    if isinstance(resource, dict):
        if "reference" in resource and isinstance(resource["reference"], str):
            yield resource
        for value in resource.values():
            yield from _references(value)
    elif isinstance(resource, list):
        for value in resource:
            yield from _references(value)


def _get(queryset, resource_id):
    obj = queryset.filter(pk=db_id(resource_id)).first()
    if obj is None:
        raise Http404
    return obj


def _screenings():
    return Screening.objects.select_related("person", "visit")


def _enrollments():
    return Enrollment.objects.select_related("person", "group__offering")


def _referrals():
    return Referral.objects.select_related("person", "offering", "unit")
