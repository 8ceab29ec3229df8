"""Letters with the planned dates of a person's stays, to the person and to their caregivers (PDF).

Written in the recipient's own written standard (bokmål or nynorsk): the
letter's strings and dates are rendered under that language.
"""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML


def stay_letter_pdf(person, recipient, stays, today):
    standard = recipient.preferred_written_standard()
    context = {"person": person, "recipient": recipient, "stays": stays, "today": today,
               "municipality": person.municipality, "standard": standard, "to_caregiver": recipient != person}
    with translation.override(standard):
        html = render_to_string("respite/letter.html", context)
    return HTML(string=html).write_pdf()
