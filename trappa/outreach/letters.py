"""Invitation letters: per-municipality templates, rendered as PDF with WeasyPrint.

A municipality's letters are Django templates in data/outreach/<slug>/letters/,
one per letter kind and written standard: `home_visit.nb.html`,
`home_visit.nn.html` ... Each person gets the letter of their highest-priority
reason that names one, in their own written standard (bokmål or nynorsk).
A batch is one PDF with one letter per page group, ready for printing.
"""

from functools import lru_cache

from django.template import engines
from django.utils import translation
from django.utils.html import format_html
from weasyprint import HTML

from trappa.outreach import rules

DEFAULT_LETTER = "home_visit"
STYLE = """
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.4; }
.letter { break-after: page; }
.letter:last-child { break-after: auto; }
.address { margin: 20mm 0 15mm; }
"""


class LetterError(ValueError):
    """The municipality has no template for a letter the rules name."""


def letter_kind(ruleset, reasons):
    """The letter of the highest-priority reason that names one."""
    if ruleset is None:
        return DEFAULT_LETTER
    named = [ruleset.rule(r) for r in reasons if ruleset.rule(r) and ruleset.rule(r).get("letter")]
    named.sort(key=lambda rule: rule.priority)
    return named[0].get("letter") if named else DEFAULT_LETTER


@lru_cache(maxsize=64)
def _template(slug, kind, standard):
    path = rules.DATA_DIR / slug / "letters" / f"{kind}.{standard}.html"
    if not path.exists():
        raise LetterError(f"{slug}: no letter template {path.name}")
    return engines["django"].from_string(path.read_text(encoding="utf-8"))


def render_letter_html(person, reasons, ruleset, today):
    standard = person.preferred_written_standard()
    template = _template(ruleset.slug, letter_kind(ruleset, reasons), standard)
    labels = ruleset.labels(standard)
    context = {
        "person": person,
        "municipality": person.municipality,
        "today": today,
        "reasons": [labels.get(r, r) for r in reasons],
    }
    # Dates and other localised values in the letter's own written standard, not the nurse's.
    with translation.override(standard):
        body = template.render(context)
    return format_html('<section class="letter" lang="{}">{}</section>', standard, body)


def pdf_from_parts(parts):
    """One PDF from letters rendered with render_letter_html."""
    head = f"<head><meta charset='utf-8'><style>{STYLE}</style></head>"
    document = f"<!DOCTYPE html><html>{head}<body>{''.join(parts)}</body></html>"
    return HTML(string=document).write_pdf()


def render_pdf(items, ruleset, today):
    """One PDF holding a letter for each (person, reasons) in `items`."""
    return pdf_from_parts([render_letter_html(person, reasons, ruleset, today) for person, reasons in items])
