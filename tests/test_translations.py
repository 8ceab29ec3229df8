"""The translation catalogues in locale/ are complete and up to date.

Source strings are English; bokmål (nb) and nynorsk (nn) must translate every
one of them, and no translation may be fuzzy. English (en) is complete by
definition: an empty msgstr shows the English source. The catalogues must hold
exactly the messages `makemessages` finds in the source today, so a new
untranslated string, or a stale one, fails the suite.
"""

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
TRANSLATED = ["nb", "nn"]
LANGUAGES = [*TRANSLATED, "en"]
IGNORED = ["--ignore=.venv", "--ignore=node_modules", "--ignore=var"]
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "node_modules", "var", "__pycache__", "*.sqlite3*", "*.mo")


def read_po(path):
    """The active (not obsolete) entries of a .po file: {(msgctxt, msgid, msgid_plural): (msgstrs, flags)}."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = _parse_entry(block)
        if entry and entry["msgid"]:  # the empty msgid is the header
            key = (entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"))
            entries[key] = ([v for k, v in entry.items() if k.startswith("msgstr")], entry["flags"])
    return entries


def _parse_entry(block):
    entry, field = {"flags": set()}, None
    for line in block.strip().splitlines():
        if line.startswith("#~"):
            return None  # obsolete: makemessages keeps it for reference only
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"') and field:
            entry[field] += _unquote(line)
        elif line and not line.startswith("#"):
            field, _space, value = line.partition(" ")
            entry[field] = _unquote(value)
    return entry if "msgid" in entry else None


def _unquote(text):
    return ast.literal_eval(text.strip())


def catalogue(language):
    return read_po(LOCALE / language / "LC_MESSAGES" / "django.po")


def describe(keys):
    return "\n".join(f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "") for ctx, msgid, _plural in sorted(keys))


class TranslationCatalogueTest(TestCase):
    def test_every_message_has_a_bokmal_and_a_nynorsk_translation(self):
        for language in TRANSLATED:
            with self.subTest(language=language):
                missing = [key for key, (msgstrs, _flags) in catalogue(language).items() if not all(msgstrs)]
                self.assertFalse(missing, f"untranslated in locale/{language}:\n{describe(missing)}")

    def test_no_translation_is_fuzzy(self):
        for language in LANGUAGES:
            with self.subTest(language=language):
                fuzzy = [key for key, (_msgstrs, flags) in catalogue(language).items() if "fuzzy" in flags]
                self.assertFalse(fuzzy, f"fuzzy (check, then remove the flag) in locale/{language}:\n{describe(fuzzy)}")

    def test_the_three_languages_hold_the_same_messages(self):
        bokmal = set(catalogue("nb"))
        for language in ["nn", "en"]:
            with self.subTest(language=language):
                self.assertEqual(set(catalogue(language)) ^ bokmal, set(), f"locale/{language} differs from nb")

    def test_the_catalogues_are_up_to_date_with_the_source(self):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "trappa"
            shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "-l", "nb", *IGNORED],
                cwd=copy,
                check=True,
                capture_output=True,
                text=True,
            )
            fresh = set(read_po(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))
        committed = set(catalogue("nb"))
        self.assertFalse(
            fresh - committed,
            "new strings in the source; run `manage.py makemessages -l nb -l nn -l en --ignore=.venv "
            f"--ignore=node_modules --ignore=var` and translate them:\n{describe(fresh - committed)}",
        )
        stale = committed - fresh
        self.assertFalse(stale, f"strings no longer in the source; run makemessages:\n{describe(stale)}")

    def test_every_catalogue_compiles_with_matching_placeholders(self):
        # msgfmt --check rejects a translation whose %(name)s or {name} placeholders differ from the source's.
        for language in LANGUAGES:
            with self.subTest(language=language):
                result = subprocess.run(
                    ["msgfmt", "--check", "-o", "/dev/null", str(LOCALE / language / "LC_MESSAGES" / "django.po")],
                    capture_output=True,
                    text=True,
                )
                self.assertEqual(result.returncode, 0, result.stderr)


class TranslatedPagesTest(TestCase):
    def test_the_front_page_speaks_each_language(self):
        with tempfile.TemporaryDirectory() as tmp:
            compiled = Path(tmp) / "locale"
            shutil.copytree(LOCALE, compiled, ignore=shutil.ignore_patterns("*.mo"))
            for po in compiled.glob("*/LC_MESSAGES/django.po"):
                subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
            with override_settings(LOCALE_PATHS=[compiled]):
                for language in TRANSLATED:
                    with self.subTest(language=language):
                        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                        (skip_link,), _flags = catalogue(language)[(None, "Skip to main content", None)]
                        response = self.client.get("/")
                        self.assertContains(response, f'lang="{language}"')
                        self.assertContains(response, skip_link)
                        self.assertNotContains(response, "Skip to main content")
