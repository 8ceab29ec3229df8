"""Every kind of letter, in bokmål, nynorsk and English, read back from the PDF: the language,
the contact block, the privacy notice, the PDF/UA structure, and no text under 14 pt."""

import datetime
import io
import re

from django.urls import reverse
from pypdf import PdfReader

from trappa.letters import documents
from trappa.letters.kinds import KINDS
from trappa.letters.models import LetterSettings, SentLetter, Wording
from trappa.letters.samples import sample_letter
from trappa.test import BaseTestCase

TODAY = datetime.date(2026, 12, 3)
PRIVACY_HEADING = {
    "nb": "Slik bruker vi opplysninger om deg",
    "nn": "Slik bruker vi opplysningar om deg",
    "en": "How we use information about you",
}
CONTACT_HEADING = {"nb": "Kontakt oss", "nn": "Kontakt oss", "en": "Contact us"}
SIGN_OFF = {"nb": "hilsen", "nn": "helsing", "en": "Kind regards"}


def text_of(reader):
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def smallest_font(reader):
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * abs(tm[3]) * abs(cm[3]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return min(sizes)


HEADINGS = {"/H1", "/H2", "/Table"}
FILL_OR_TEXT = re.compile(r"((?:[\d.]+ ){1,4})(?:rg|g|k|sc|scn)\b|\bBT\b")


def text_fills(content):
    """The fill colour in force at the start of each text object (BT), as the stream sets it."""
    fill, found = (0.0,), set()
    for match in FILL_OR_TEXT.finditer(content):
        if match.group(1) is None:
            found.add(fill)
        else:
            fill = tuple(float(v) for v in match.group(1).split())
    return found


def colours(content):
    """The fill and stroke colours a content stream sets, as tuples of 0..1 values."""
    found = re.findall(r"((?:[\d.]+ ){1,4})(?:rg|RG|g|G|k|K|sc|SC|scn|SCN)\b", content)
    return {tuple(float(v) for v in values.split()) for values in found}


def structure(node):
    """The structure types of the tagged PDF in reading order (depth first)."""
    node = node.get_object()
    found = [node["/S"]] if "/S" in node else []
    children = node.get("/K", [])
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "get_object") and isinstance(child.get_object(), dict):
            found += structure(child)
    return found


class PrintLettersTestCase(BaseTestCase):
    def letter(self, name, language):
        letter = sample_letter(name, self.health, TODAY, language)
        letter.recipient = self.olga
        self.olga.written_standard = "" if language == "en" else language
        self.olga.language = "en" if language == "en" else ""
        return letter

    def print(self, letter):
        return PdfReader(io.BytesIO(documents.print_letters([letter], TODAY, by=self.alice)))

    def test_every_kind_in_every_language_is_a_tagged_pdf_in_that_language(self):
        for name in KINDS:
            for language in ("nb", "nn", "en"):
                with self.subTest(name=name, language=language):
                    reader = self.print(self.letter(name, language))
                    root = reader.trailer["/Root"]
                    self.assertEqual(root["/Lang"], language)
                    self.assertTrue(root["/MarkInfo"]["/Marked"])
                    self.assertTrue(root["/StructTreeRoot"]["/K"])
                    self.assertTrue(reader.metadata.title)
                    self.assertIn(b"pdfuaid", reader.xmp_metadata.stream.get_data())
                    text = text_of(reader)
                    self.assertIn(PRIVACY_HEADING[language], text)
                    self.assertIn(CONTACT_HEADING[language], text)
                    self.assertIn("75 10 10 10", text)
                    self.assertIn("Helga Helsesøster", text)
                    self.assertIn("Mandag–fredag 08–15", text)
                    self.assertGreaterEqual(round(smallest_font(reader), 1), 14)  # pt, as read back (13.9995)

    def test_the_reading_order_is_heading_offer_contact_then_privacy(self):
        letter = self.letter("waitlist_offer", "nb")
        rendered = documents.render(letter, TODAY)
        reader = PdfReader(io.BytesIO(documents.to_pdf([rendered], rendered.title, "nb")))
        kinds = [kind for kind in structure(reader.trailer["/Root"]["/StructTreeRoot"]) if kind in HEADINGS]
        self.assertEqual(kinds, ["/H1", "/Table", "/H2", "/H2"])

    def test_the_nynorsk_letter_is_not_bokmal(self):
        text = text_of(self.print(self.letter("course_offer", "nn")))
        self.assertIn("Du får plass", text)
        self.assertIn("Svar innan", text)
        self.assertNotIn("Svar innen", text)

    def test_an_offer_says_what_where_when_the_fee_and_answer_by_the_municipalitys_date(self):
        LetterSettings.objects.create(municipality=self.vefsn, answer_days=10)
        letter = self.letter("waitlist_offer", "nb")
        letter.offer.answer_by = documents.answer_by(self.vefsn, TODAY)
        text = text_of(self.print(letter))
        self.assertIn("300 kroner", text)
        self.assertIn("13. desember", text)  # ten days after 3 December

    def test_the_privacy_notice_names_the_municipalitys_legal_basis_and_officer(self):
        LetterSettings.objects.create(
            municipality=self.vefsn,
            legal_basis_nn="kommunal lov § 1",
            dpo_name="Personvernombod Vefsn",
            dpo_phone="123",
        )
        text = text_of(self.print(self.letter("home_visit", "nn")))
        self.assertIn("kommunal lov § 1", text)
        self.assertIn("Personvernombod Vefsn (123)", text)

    def test_a_person_who_needs_an_interpreter_is_offered_one(self):
        letter = self.letter("home_visit", "nb")
        self.olga.interpreter_needed = True
        self.assertIn("tolk", text_of(self.print(letter)))

    def test_a_unit_without_a_phone_cannot_send_a_letter(self):
        self.health.phone = ""
        with self.assertRaisesMessage(documents.LetterRefused, "has no phone number"):
            self.print(self.letter("home_visit", "nb"))
        self.assertFalse(SentLetter.objects.exists())

    def test_printing_the_same_letter_again_records_it_once(self):
        self.print(self.letter("home_visit", "nb"))
        self.print(self.letter("home_visit", "nb"))
        sent = SentLetter.objects.get()
        self.assertEqual(
            (sent.person, sent.name, sent.wording_version, sent.sent_by), (self.olga, "home_visit", 0, self.alice)
        )

    def test_all_text_is_black_on_white(self):
        reader = self.print(self.letter("waitlist_offer", "nb"))
        streams = [page.get_contents().get_data().decode("latin-1") for page in reader.pages]
        text_colours = {colour for stream in streams for colour in text_fills(stream)}
        painted = {colour for stream in streams for colour in colours(stream)}
        # Black text (and the interpreter box's black frame) on white paper: 21:1, the highest contrast there is.
        self.assertEqual(text_colours, {(0.0, 0.0, 0.0)})
        self.assertEqual(painted - {(0.0, 0.0, 0.0), (1.0, 1.0, 1.0)}, set())


class InvitationLetterTestCase(BaseTestCase):
    def test_the_unit_without_a_phone_gets_a_clear_message_and_no_letter(self):
        self.health.phone = ""
        self.health.save(update_fields=["phone"])
        self.login(self.alice)
        response = self.client.get(reverse("outreach:reminder", args=[self.olga.pk]), follow=True)
        self.assertContains(response, "has no phone number")

    def test_a_reminder_in_english_for_a_person_the_register_says_reads_english(self):
        self.olga.language = "en"
        self.olga.save(update_fields=["language"])
        self.login(self.alice)
        response = self.client.get(reverse("outreach:reminder", args=[self.olga.pk]))
        reader = PdfReader(io.BytesIO(response.content))
        self.assertEqual(reader.trailer["/Root"]["/Lang"], "en")
        self.assertIn("Reminder: an offer of a visit", text_of(reader))
        self.assertEqual(SentLetter.objects.get(person=self.olga).language, "en")

    def test_the_person_page_lists_the_letters_sent(self):
        self.login(self.alice)
        self.client.get(reverse("outreach:reminder", args=[self.olga.pk]))
        response = self.client.get(reverse("letters:person", args=[self.olga.pk]))
        self.assertContains(response, "Reminder of an invitation")


class EditWordingTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.unit_leader)
        self.url = reverse("letters:edit", args=["reminder", "nb"])

    def test_a_saved_text_is_a_new_version_and_letters_print_it(self):
        text = "Vi minner deg på besøket\n\nHei, {given_name}! Ring {phone}."
        self.client.post(self.url, {"text": text, "save": "1"})
        self.assertEqual(Wording.objects.get().version, 1)
        self.login(self.alice)
        response = self.client.get(reverse("outreach:reminder", args=[self.olga.pk]))
        self.assertIn("Vi minner deg på besøket", text_of(PdfReader(io.BytesIO(response.content))))
        self.assertEqual(SentLetter.objects.get().wording_version, 1)

    def test_an_unknown_placeholder_is_refused(self):
        response = self.client.post(self.url, {"text": "Tittel\n\nHei {national_id}", "save": "1"})
        self.assertContains(response, "{national_id}")
        self.assertFalse(Wording.objects.exists())

    def test_a_draft_is_previewed_without_saving(self):
        response = self.client.post(self.url, {"text": "Utkast\n\nHei, {given_name}!", "preview": "1"})
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("Hei, Kari!", text_of(PdfReader(io.BytesIO(response.content))))
        self.assertFalse(Wording.objects.exists())

    def test_the_index_offers_a_preview_of_each_kind_in_bokmal_and_nynorsk(self):
        response = self.client.get(reverse("letters:index"))
        for name in KINDS:
            for language in ("nb", "nn"):
                self.assertContains(response, reverse("letters:preview", args=[name, language]))
