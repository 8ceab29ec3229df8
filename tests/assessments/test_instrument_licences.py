"""The project ships only instruments whose licence allows it, each with its source."""

from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from trappa.assessments.instruments import ALLOWED_LICENCES, DATA_DIR, Text, shipped

DOCS = Path(settings.BASE_DIR) / "docs" / "instruments.md"


class InstrumentLicencesTest(SimpleTestCase):
    def test_every_shipped_instrument_has_an_allowed_licence_and_says_why(self):
        for instrument in shipped().values():
            with self.subTest(instrument=instrument.id):
                self.assertIn(instrument.licence.status, ALLOWED_LICENCES)
                self.assertGreater(len(instrument.licence.reason), 40)
                self.assertTrue(instrument.licence.holder)

    def test_every_shipped_instrument_cites_its_published_source(self):
        for instrument in shipped().values():
            with self.subTest(instrument=instrument.id):
                self.assertRegex(instrument.source.citation, r"(19|20)\d\d")
                self.assertTrue(instrument.source.url.startswith("https://"))

    def test_every_file_in_the_data_folder_is_loaded(self):
        self.assertEqual(sorted(path.stem for path in DATA_DIR.glob("*.toml")), sorted(shipped()))

    def test_the_instruments_the_issues_ask_for_are_shipped(self):
        expected = {
            "sppb",
            "tug",
            "chair_stand_30s",
            "loneliness_3item",
            "steadi_stay_independent",
            "iplos_function",
            "caregiver_strain_index",
            "gds_15",
        }
        self.assertEqual(set(shipped()), expected)

    def test_the_zarit_burden_interview_is_not_shipped_and_the_docs_say_why(self):
        for path in DATA_DIR.glob("*.toml"):
            self.assertNotIn("zarit burden interview (", path.read_text(encoding="utf-8").lower())
        docs = DOCS.read_text(encoding="utf-8")
        self.assertIn("Zarit Burden Interview", docs)
        self.assertIn("Mapi Research Trust", docs)

    def test_the_docs_list_every_shipped_instrument_with_its_licence(self):
        docs = DOCS.read_text(encoding="utf-8")
        for instrument in shipped().values():
            self.assertIn(f"`{instrument.id}`", docs)
            self.assertIn(instrument.licence.status, docs)

    def test_every_user_facing_text_exists_in_bokmal_nynorsk_and_english(self):
        for instrument in shipped().values():
            texts = [instrument.name] + [item.label for item in instrument.items]
            texts += [band.meaning for band in instrument.bands]
            texts += [option.label for item in instrument.items for option in item.options]
            for text in texts:
                self.assertIsInstance(text, Text)
                self.assertTrue(all((text.nb.strip(), text.nn.strip(), text.en.strip())), text)
