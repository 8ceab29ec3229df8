"""Letters with the planned dates of a person's stays, to the person and to their caregivers (PDF).

Written in the recipient's own written standard (bokmål or nynorsk): the
letter's strings and dates are rendered under that language.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from trappa.respite.services import planned_stays


def stay_letter_pdf(person, recipient, stays, today):
    standard = recipient.preferred_written_standard()
    context = {
        "person": person,
        "recipient": recipient,
        "stays": stays,
        "today": today,
        "municipality": person.municipality,
        "standard": standard,
        "to_caregiver": recipient != person,
    }
    with translation.override(standard):
        html = render_to_string("respite/letter.html", context)
    return HTML(string=html).write_pdf()


def stays_letter_response(person, recipient):
    """The letter as a download. The caller has checked access (and, for a caregiver, consent)."""
    pdf = stay_letter_pdf(person, recipient, planned_stays(person), timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="respite-{person.pk}.pdf"'
    return response
