"""The citizen's copy of their own data (pasientjournalloven § 18, GDPR art. 15): a FHIR Bundle
and a readable PDF, made by staff on the citizen's request (issue #18).

Both hold the register entry, the decisions known to Trappa, home visits, screenings,
referrals, enrollments, caregiver links with their consents, and the access log with the
reason for each access. The request itself is logged (action "exported or printed") before
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

from trappa.api.fhir import build
from trappa.api.fhir.reading import Reader
from trappa.assessments.models import HomeVisit, Screening
from trappa.audit.access import show_mentioned_persons
from trappa.audit.models import AccessAction
from trappa.caregivers.models import CaregiverLink
from trappa.letters.documents import language_for, to_pdf
from trappa.referrals.models import Enrollment, Referral

WHAT = "citizen's copy"


def bundle(request, person_id):
    """The copy as a FHIR Bundle (type "document"-like collection): the request is logged first."""
    reader = Reader(request, WHAT + ":")
    person, resources = reader.everything(
        person_id, audit=True, what=f"{WHAT} (FHIR Bundle)", action=AccessAction.EXPORT
    )
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
            "screenings": Screening.objects.filter(person=person).order_by("screened_on", "instrument_id"),
            "referrals": Referral.objects.filter(person=person).select_related("offering", "unit").order_by("pk"),
            "enrollments": Enrollment.objects.filter(person=person).select_related("group__offering").order_by("pk"),
            "links": _links(request, person),
            "entries": person.access_log.select_related("user", "care_relationship", "emergency_access").order_by(
                "-seq"
            ),
        }
        title = _("Your data in Trappa")
        html = render_to_string("api/citizen_copy_pdf.html", {**context, "title": title})
        return person, to_pdf([SimpleNamespace(html=html)], title, language)


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
