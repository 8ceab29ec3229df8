"""Letters with the planned dates of a person's stays, to the person and to their caregivers (PDF),
printed through trappa.letters: in the recipient's language, with the unit's contact block and the
privacy notice, recorded on the recipient."""

from django.http import HttpResponse
from django.utils import timezone

from trappa.letters.documents import Letter, print_letters
from trappa.respite.services import planned_stays


def stays_letter(person, recipient, stays, unit, today):
    rows = [{"start": stay.start, "end": stay.end, "where": stay.bed.unit.name} for stay in stays]
    to_caregiver = recipient != person
    return Letter(
        "respite_caregiver" if to_caregiver else "respite",
        recipient,
        unit,
        # The same plan printed again the same day is the same letter.
        f"stays-{person.pk}-{today.isoformat()}",
        values={"about": person.full_name},
        extra_template="letters/stays.html",
        extra={"stays": rows},
    )


def stay_letter_pdf(person, recipient, stays, today, unit=None, by=None):
    unit = unit or (by.unit if by else None)
    return print_letters([stays_letter(person, recipient, stays, unit, today)], today, by=by)


def stays_letter_response(request, person, recipient):
    """The letter as a download. The caller has checked access (and, for a caregiver, consent).
    LetterRefused if it cannot be printed (the caller tells staff why)."""
    pdf = stay_letter_pdf(person, recipient, planned_stays(person), timezone.localdate(), by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="respite-{person.pk}.pdf"'
    return response
