"""The letter texts follow Språkrådet's advice for clear public language, as far as a test can tell:
short sentences, a heading first, and the reader addressed as "du" (or "you")."""

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from trappa.letters.wording import DEFAULTS_DIR, MUNICIPALITY_DIR, Text

LONGEST_SENTENCE = 20  # words
MEAN_SENTENCE = 12
READER = {"nb": r"\b(du|deg|din|ditt|dine)\b", "nn": r"\b(du|deg|din|di|ditt|dine)\b", "en": r"\b(you|your)\b"}


def texts():
    for path in sorted([*DEFAULTS_DIR.glob("*.txt"), *MUNICIPALITY_DIR.glob("*/*.txt")]):
        name, language, _ext = path.name.split(".")
        yield path, Text(name, language, 0, path.read_text(encoding="utf-8"))


def sentences(text):
    body = "\n".join(text.paragraphs[1:])
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", body) if s.strip()]


class PlainLanguageTest(SimpleTestCase):
    def test_every_text_has_short_sentences(self):
        lengths = []
        for path, text in texts():
            for sentence in sentences(text):
                with self.subTest(path=str(Path(path).relative_to(settings.BASE_DIR)), sentence=sentence):
                    self.assertLessEqual(len(sentence.split()), LONGEST_SENTENCE)
                lengths.append(len(sentence.split()))
        self.assertLessEqual(sum(lengths) / len(lengths), MEAN_SENTENCE)

    def test_every_text_speaks_to_the_reader(self):
        for path, text in texts():
            with self.subTest(path=path.name):
                self.assertRegex(" ".join(text.paragraphs[1:]).lower(), READER[text.language])

    def test_every_letter_has_a_text_in_bokmal_nynorsk_and_english(self):
        for path, text in texts():
            for language in READER:
                with self.subTest(path=path.name, language=language):
                    self.assertTrue((path.parent / f"{text.name}.{language}.txt").exists())
