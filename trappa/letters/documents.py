"""Letters as accessible PDF: the frame every letter shares, in the reader's language.

Every letter carries the sending unit's contact block, the offer (what, where, when, the
fee, answer by) when it is one, a line offering an interpreter where the register says the
person needs one, and the privacy notice of GDPR art. 14. The PDF is tagged PDF/UA-1 with
the title and document language set. A unit without a phone number cannot send letters:
`LetterRefused` tells staff why.

Callers build `Letter`s, then `print_letters` renders them into one PDF and records each
on its person (SentLetter; the same reference again records nothing new).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from weasyprint import HTML

from trappa.letters import wording
from trappa.letters.kinds import kind_of
from trappa.letters.models import LetterSettings, SentLetter

ENGLISH_CODES = {"en"}  # the register's language (ISO 639-1) that gets English letters
PDF_VARIANT = "pdf/ua-1"


class LetterRefused(Exception):
    """The letter cannot be printed; the message tells staff what to fix."""


@dataclass
class Offer:
    what: str
    where: str
    when: datetime.date | None
    fee: Decimal | None
    answer_by: datetime.date
    when_note: str = ""


@dataclass
class Letter:
    name: str  # the kind or the outreach rule's letter name (trappa.letters.kinds)
    recipient: object  # a people.Person
    unit: object  # the sending accounts.Unit
    reference: str  # what the letter is about; printing it again records nothing new
    values: dict = field(default_factory=dict)
    offer: Offer | None = None
    responsible: str = ""  # the person to ask, if not the unit's contact person
    extra_template: str = ""  # a block after the text (the stays, the agreement's terms)
    extra: dict = field(default_factory=dict)

    @property
    def kind(self):
        return kind_of(self.name)


def language_for(person):
    """English where the register says so, otherwise the person's bokmål or nynorsk."""
    if (person.language or "").lower() in ENGLISH_CODES:
        return "en"
    return person.preferred_written_standard()


def answer_by(municipality, today):
    """The date an offer printed today must be answered by (the municipality's setting)."""
    return today + datetime.timedelta(days=LetterSettings.for_municipality(municipality).answer_days)


def check_unit(unit):
    if unit is None:
        raise LetterRefused(_("The letter cannot be printed: your user belongs to no unit to send it from."))
    if not unit.phone.strip():
        raise LetterRefused(
            _(
                "The letter cannot be printed: the unit %(unit)s has no phone number, and the reader must be able "
                "to call us. An administrator adds it under Units and departments."
            )
            % {"unit": unit.name}
        )


@dataclass
class Rendered:
    letter: Letter
    language: str
    version: int
    title: str
    html: str


def render(letter, today, text=None, privacy_text=None):
    """One letter as an HTML section; `text` or `privacy_text` (a wording.Text) replaces the current one,
    for previews of a draft."""
    check_unit(letter.unit)
    language = (text or privacy_text).language if (text or privacy_text) else language_for(letter.recipient)
    municipality = letter.unit.municipality
    text = text or _current(municipality, letter.name, language)
    with translation.override(language):
        title, body = text.render(_values(letter, municipality))
        context = {
            "letter": letter,
            "unit": letter.unit,
            "municipality": municipality,
            "recipient": letter.recipient,
            "today": today,
            "language": language,
            "title": title,
            "body": body,
            "responsible": letter.responsible or letter.unit.contact_person,
            "privacy": _privacy(letter, municipality, language, privacy_text),
            **letter.extra,
        }
        html = render_to_string("letters/letter.html", context)
    return Rendered(letter, language, text.version, str(title), html)


def _current(municipality, name, language):
    try:
        return wording.current(municipality, name, language)
    except wording.WordingError as error:
        raise LetterRefused(str(error)) from error


def _values(letter, municipality):
    person = letter.recipient
    common = {
        "given_name": person.given_name,
        "full_name": person.full_name,
        "municipality": municipality.name,
        "unit": letter.unit.name,
        "phone": letter.unit.phone,
    }
    return {**common, **{key: str(value) for key, value in letter.values.items()}}


def _privacy(letter, municipality, language, text=None):
    """The privacy notice's heading and paragraphs, filled in (called under the letter's language)."""
    settings = LetterSettings.for_municipality(municipality)
    kind = letter.kind
    values = {
        "source": _(kind.source),
        "purpose": _(kind.purpose),
        "legal_basis": getattr(settings, f"legal_basis_{language}") or _(DEFAULT_LEGAL_BASIS),
        "retention": getattr(settings, f"retention_{language}") or _(DEFAULT_RETENTION),
        "dpo": _dpo(settings, municipality),
    }
    return (text or _current(municipality, "privacy", language)).render(values)


DEFAULT_LEGAL_BASIS = gettext_noop(
    "the Health and Care Services Act (helse- og omsorgstjenesteloven) §§ 3-1 and 3-3, and the GDPR "
    "art. 6(1)(e) and art. 9(2)(h)"
)
DEFAULT_RETENTION = gettext_noop(
    "We keep the information as long as we follow you up. What is written in your health record is kept "
    "as the Patient Records Act (pasientjournalloven) says."
)


def _dpo(settings, municipality):
    name = settings.dpo_name or _("the data protection officer of %(municipality)s") % {
        "municipality": municipality.name
    }
    ways = [way for way in (settings.dpo_phone, settings.dpo_email) if way]
    return f"{name} ({', '.join(ways)})" if ways else name


def to_pdf(rendered, title, language, progress=None):
    """One tagged PDF (PDF/UA-1) from rendered letters, each starting on a new page.

    Each letter is laid out on its own (its pages numbered "1 / 2" for the reader who gets it)
    and `progress(done, total)` is called after each, so a batch's progress moves per letter;
    the pages are then written as one document."""
    documents = []
    for done, letter in enumerate(rendered, start=1):
        html = render_to_string(
            "letters/document.html", {"title": title, "language": language, "letters": [letter.html]}
        )
        documents.append(HTML(string=html).render(pdf_variant=PDF_VARIANT))
        if progress is not None:
            progress(done, len(rendered))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(pdf_variant=PDF_VARIANT)


def print_letters(letters, today, by=None, title=None, progress=None):
    """Render `letters` into one PDF and record each on its person. Returns the PDF.

    `progress(done, total)`, if given, is called as each letter is laid out (see to_pdf)."""
    rendered = [render(letter, today) for letter in letters]
    if not rendered:
        raise LetterRefused(_("There are no letters to print."))
    first = rendered[0]
    language = first.language if len(rendered) == 1 else _document_language(rendered)
    pdf = to_pdf(rendered, title or first.title, language, progress)
    record(rendered, by)
    return pdf


def _document_language(rendered):
    languages = {r.language for r in rendered}
    return languages.pop() if len(languages) == 1 else rendered[0].letter.unit.municipality.written_standard


@transaction.atomic
def record(rendered, by):
    """Each letter on its person; one row per person, letter and reference however often it is printed."""
    for r in rendered:
        SentLetter.objects.get_or_create(
            person=r.letter.recipient,
            name=r.letter.name,
            reference=r.letter.reference,
            defaults={
                "language": r.language,
                "wording_version": r.version,
                "unit": r.letter.unit,
                "sent_by": by,
                "sent_at": timezone.now(),
            },
        )
