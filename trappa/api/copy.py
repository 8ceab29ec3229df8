"""The citizen's copy of their own data (pasientjournalloven § 18, GDPR art. 15): a FHIR Bundle
and a readable PDF, made by staff on the citizen's request (issue #18).

Both hold the register entry, the decisions known to Trappa, home visits, screenings,
referrals and pathways, enrollments, caregiver links with their consents, every other record
about the person (trappa/api/copy_records.py: physiotherapy, first-contact mappings, welfare
technology, medicine lists, respite, visiting friends, contacts, letters, …), and the access log
with the reason for each access. The request itself is logged (action "exported or printed") before
anything is shown; a relative or a caregiver is named only where the member of staff has a
grant for them too (and that is logged), as on the person's page.

The PDF is rendered with the letters' machinery (trappa/letters/documents.py: `to_pdf`,
large print, tagged PDF/UA-1), in the person's written language.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trappa.api import copy_records
from trappa.api.fhir import build
from trappa.api.fhir.reading import Reader
from trappa.assessments.models import HomeVisit, Screening
from trappa.audit.access import show_mentioned_persons
from trappa.audit.models import AccessAction
from trappa.caregivers.models import CaregiverLink
from trappa.letters.documents import language_for, to_pdf
from trappa.referrals.models import PATHWAY_DETAILS, Enrollment, Referral

WHAT = "citizen's copy"


def bundle(request, person_id):
    """The copy as a FHIR Bundle (type "document"-like collection): the request is logged first."""
    reader = Reader(request, WHAT + ":")
    person, resources = reader.everything(
        person_id, audit=True, what=f"{WHAT} (FHIR Bundle)", action=AccessAction.EXPORT
    )
    # One language in the whole Bundle: the request's, as every FHIR read (codes carry the meaning;
    # the readable PDF is the one in the citizen's written language).
    resources += [resource for _record, rows in _records(person) for _obj, resource in rows]
    base = request.build_absolute_uri("/").rstrip("/")
    return person, build.bundle(resources, kind="collection", base=base)


@dataclass
class Link:
    role: str  # "caregiver of the person" or "the person cares for"
    other: object | None  # the other person, None where the user may not see them
    relationship: str
    consents: list


def pdf(request, person_id):
    """The copy as a readable PDF: the request is logged first. Returns (person, pdf bytes)."""
    reader = Reader(request, WHAT + ":")
    person, _resources = reader.everything(person_id, audit=False, what=f"{WHAT} (PDF)", action=AccessAction.EXPORT)
    language = language_for(person)
    with translation.override(language):
        context = {
            "person": person,
            "today": timezone.localdate(),
            "relations": _relations(request, person),
            "decisions": person.decisions.select_related("unit").order_by("start_date", "pk"),
            "visits": HomeVisit.objects.filter(person=person).select_related("visited_by").order_by("visited_on"),
            "screenings": _screenings(person, language),
            "referrals": _referrals(person),
            "enrollments": Enrollment.objects.filter(person=person).select_related("group__offering").order_by("pk"),
            "links": _links(request, person),
            "records": [
                (_(record.heading), [fields for _obj, fields in rows])
                for record, rows in _records(person, pdf=True)
                if rows
            ],
            "entries": person.access_log.select_related("user", "care_relationship", "emergency_access").order_by(
                "-seq"
            ),
        }
        title = _("Your data in Trappa")
        html = render_to_string("api/citizen_copy_pdf.html", {**context, "title": title})
        return person, to_pdf([SimpleNamespace(html=html)], title, language)


def _screenings(person, language):
    """The person's screenings, each with its band under the instrument's own label (`band_label`)."""
    screenings = list(Screening.objects.filter(person=person).order_by("screened_on", "instrument_id"))
    for screening in screenings:
        band = copy_records.band_of(screening.instrument_id, screening.band) if screening.band else None
        screening.band_label = band.label.get(language) if band else screening.band
    return screenings


def _relations(request, person):
    relations = list(person.relations_to.select_related("from_person")) + list(
        person.relations_from.select_related("to_person")
    )
    others = [r.from_person if r.to_person_id == person.pk else r.to_person for r in relations]
    shown = show_mentioned_persons(request, others, f"{WHAT}: relation of person {person.pk}")
    return [
        (r.get_kind_display(), other if other.pk in shown else None, r.nearest_relative, r.to_person_id == person.pk)
        for r, other in zip(relations, others, strict=True)
    ]


def _links(request, person):
    links = CaregiverLink.objects.filter(recipient=person) | CaregiverLink.objects.filter(caregiver=person)
    links = list(links.select_related("caregiver", "recipient").prefetch_related("consents").order_by("pk"))
    others = [link.caregiver if link.recipient_id == person.pk else link.recipient for link in links]
    shown = show_mentioned_persons(request, others, f"{WHAT}: caregiver link of person {person.pk}")
    return [
        Link(
            role="recipient" if link.recipient_id == person.pk else "caregiver",
            other=other if other.pk in shown else None,
            relationship=link.relationship,
            consents=sorted(link.consents.all(), key=lambda c: c.given_at),
        )
        for link, other in zip(links, others, strict=True)
    ]


def _referrals(person):
    referrals = list(Referral.objects.filter(person=person).select_related("offering", "unit").order_by("pk"))
    for referral in referrals:  # a pathway's details (the planned period, the ward, …) with their labels
        referral.details = [
            (label, text) for name, label, text in copy_records.fields(referral, ()) if name in PATHWAY_DETAILS
        ]
    return referrals


def _records(person, pdf=False):
    """[(Record, [(row, fields for the PDF or its FHIR resource)])] for every record in copy_records.RECORDS."""
    linked = copy_records.person_linked_models()
    result = []
    for record in copy_records.RECORDS:
        rows = []
        for obj in copy_records.rows(record, person):
            fields = copy_records.fields(obj, linked)
            if pdf:
                rows.append((obj, [(label, text) for _name, label, text in fields]))
            elif record.label in FHIR:
                resource = FHIR[record.label](obj, person, _(record.heading), fields)
                if resource is not None:
                    rows.append((obj, resource))
            else:
                heading = _(record.heading)
                rows.append((obj, build.basic(obj, person.pk, heading, fields, copy_records.first_date(obj))))
        result.append((record, rows))
    return result


# The records with a FHIR resource that fits them (the others are sent as Basic).
FHIR = {
    # Already in the Bundle as an Encounter (Reader.everything).
    "outreach.DischargeNotice": lambda notice, person, heading, fields: None,
    "referrals.PhysiotherapySession": lambda session, person, heading, fields: build.physiotherapy_procedure(
        session, heading, fields
    ),
    "referrals.FirstContactMapping": lambda mapping, person, heading, fields: build.first_contact_response(
        mapping, fields
    ),
    "people.WelfareTechnology": lambda tech, person, heading, fields: build.device_use(
        tech, person.pk, str(tech.get_kind_display()), tech.since, tech.until, fields
    ),
    "activity.DeviceLoan": lambda loan, person, heading, fields: build.device_use(
        loan, person.pk, loan.device, loan.lent_on, loan.returned_on, fields
    ),
}
