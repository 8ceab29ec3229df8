"""Invitation letters and reminders, printed through trappa.letters (contact block, privacy notice,
the reader's language, PDF/UA).

Each person gets the letter of their highest-priority reason that names one (the rule's
`letter`, a text in data/letters/<slug>/ or Trappa's default), in their own language. A batch
is one PDF with each letter starting on a new page, ready for printing.
"""

from django.utils.translation import gettext as _

from trappa.letters.documents import Letter, LetterRefused, print_letters

DEFAULT_LETTER = "home_visit"
REMINDER = "reminder"

# Kept for callers: a letter that cannot be printed (no text, no phone number on the unit).
LetterError = LetterRefused


def letter_kind(ruleset, reasons):
    """The letter of the highest-priority reason that names one."""
    if ruleset is None:
        return DEFAULT_LETTER
    named = [ruleset.rule(r) for r in reasons if ruleset.rule(r) and ruleset.rule(r).get("letter")]
    named.sort(key=lambda rule: rule.priority)
    return named[0].get("letter") if named else DEFAULT_LETTER


def invitation(person, reasons, ruleset, unit, reference):
    return Letter(letter_kind(ruleset, reasons), person, unit, reference)


def reminder(person, unit, reference):
    return Letter(REMINDER, person, unit, reference)


def render_pdf(items, ruleset, today, unit, by=None, reference=None):
    """One PDF holding an invitation for each (person, reasons) in `items`, recorded on each person.

    `reference` names the batch (a job); without one, a letter printed again the same day is the same letter."""
    reference = reference or f"invitation-{today.isoformat()}"
    letters = [invitation(person, reasons, ruleset, unit, reference) for person, reasons in items]
    return print_letters(letters, today, by=by, title=_batch_title(letters))


def _batch_title(letters):
    return None if len(letters) == 1 else _("Invitation letters")
