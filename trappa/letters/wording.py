"""The wording of a letter: plain text the municipality can edit, with {placeholders}.

A text is paragraphs separated by blank lines; the first paragraph is the letter's heading, a
line break inside a paragraph is kept. Placeholders name values the letter fills in
(`{given_name}`, `{phone}` ...); a text that uses an unknown one is refused when saved.

Where a text comes from, first found wins:
1. the newest version the municipality saved (the Wording model, version 1, 2, ...);
2. the municipality's file, data/letters/<slug>/<name>.<language>.txt (version 0);
3. Trappa's default, trappa/letters/texts/<name>.<language>.txt (version 0).
"""

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from trappa.letters.models import Wording

DEFAULTS_DIR = Path(__file__).parent / "texts"
MUNICIPALITY_DIR = Path(settings.BASE_DIR) / "data" / "letters"

# Values every letter can use; each kind adds its own (trappa.letters.kinds).
COMMON_PLACEHOLDERS = ("given_name", "full_name", "municipality", "unit", "phone")


class WordingError(ValueError):
    """A text that cannot be used: an unknown or malformed placeholder."""


@dataclass(frozen=True)
class Text:
    name: str
    language: str
    version: int
    text: str

    @property
    def paragraphs(self):
        return [p.strip() for p in self.text.replace("\r\n", "\n").split("\n\n") if p.strip()]

    def render(self, values):
        """(heading, body as safe HTML paragraphs) with `values` filled in and escaped."""
        safe = {key: escape(value) for key, value in values.items()}
        # The text is escaped before the escaped values go in, so the result holds no markup of its own.
        filled = [SafeString(escape(p).format_map(safe)) for p in self.paragraphs] or [SafeString("")]
        body = format_html_join("\n", "<p>{}</p>", ((_lines(p),) for p in filled[1:]))
        return filled[0], body


def _lines(paragraph):
    """A paragraph's line breaks (a signature, an address) as <br>."""
    return format_html_join(SafeString("<br>"), "{}", ((SafeString(line),) for line in paragraph.split("\n")))


def placeholders(text):
    """The placeholder names `text` uses; WordingError when one is malformed."""
    try:
        fields = [field for _literal, field, spec, conversion in string.Formatter().parse(text) if field is not None]
        specs = [(spec, conversion) for _literal, field, spec, conversion in string.Formatter().parse(text) if field]
    except ValueError as error:
        raise WordingError(_("A brace is not closed: write {{ and }} for a brace in the text.")) from error
    if any(not field.isidentifier() for field in fields) or any(spec or conversion for spec, conversion in specs):
        raise WordingError(_("A placeholder is a plain name in braces, like {given_name}."))
    return set(fields)


def check(text, allowed):
    """Refuse a text with placeholders outside `allowed`, or without a heading and a body."""
    unknown = placeholders(text) - set(allowed)
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in sorted(unknown))
        raise WordingError(_("Unknown placeholders: %(names)s.") % {"names": names})
    if len(Text("", "", 0, text).paragraphs) < 2:
        raise WordingError(_("Write a heading, an empty line, and then the text."))


def current(municipality, name, language):
    """The text to print now; WordingError if there is none in any of the three places."""
    saved = Wording.objects.current(municipality, name, language)
    if saved:
        return Text(name, language, saved.version, saved.text)
    text = file_text(municipality.slug, name, language)
    if text is None:
        raise WordingError(
            _("There is no text for the letter %(name)s in %(language)s.") % {"name": name, "language": language}
        )
    return Text(name, language, 0, text)


def file_text(slug, name, language):
    for folder in (MUNICIPALITY_DIR / slug, DEFAULTS_DIR):
        found = _read(folder / f"{name}.{language}.txt")
        if found is not None:
            return found
    return None


@lru_cache(maxsize=256)
def _read(path):
    return path.read_text(encoding="utf-8") if path.exists() else None


def names(slug):
    """Every letter name with a text for this municipality: the defaults and its own files."""
    files = list(DEFAULTS_DIR.glob("*.txt")) + list((MUNICIPALITY_DIR / slug).glob("*.txt"))
    return sorted({path.name.split(".")[0] for path in files})
