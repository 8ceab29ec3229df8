"""One letter of each kind, made by the app that sends it, in each of the reader's languages:
the PDF says which language it is in, and the text is in that language."""

import datetime
import io

from django.urls import reverse
from pypdf import PdfReader

from tests.caregivers.base import make_link
from tests.referrals.base import make_group, make_offering
from trappa.caregivers.models import Agreement
from trappa.caregivers.views import agreement_letter
from trappa.letters import documents
from trappa.letters.models import SentLetter
from trappa.outreach import letters as outreach_letters
from trappa.outreach import rules
from trappa.referrals import letters as referral_letters
from trappa.referrals import services
from trappa.referrals.models import EnrollmentStatus
from trappa.respite.letters import stays_letter
from trappa.test import BaseTestCase

TODAY = datetime.date(2026, 12, 3)
# A phrase of each kind's text in each language, and the privacy notice's heading.
PHRASES = {
    "home_visit": {
        "nb": "Invitasjon til forebyggende hjemmebesøk",
        "nn": "Invitasjon til førebyggjande heimebesøk",
        "en": "Invitation to a preventive home visit",
    },
    "reminder": {"nb": "Vi har ikke fått svar", "nn": "Vi har ikkje fått svar", "en": "We have not heard from you"},
    "course_offer": {
        "nb": "Vi har en plass til deg",
        "nn": "Vi har ein plass til deg",
        "en": "We have a place for you",
    },
    "waitlist_offer": {
        "nb": "Nå er en plass blitt ledig",
        "nn": "No har ein plass vorte ledig",
        "en": "A place is now free",
    },
    "respite": {
        "nb": "Her er datoene for oppholdene dine",
        "nn": "Her er datoane for opphalda dine",
        "en": "Here are the dates of your stays",
    },
    "respite_caregiver": {
        "nb": "har sagt ja til at vi forteller deg",
        "nn": "har sagt ja til at vi fortel deg",
        "en": "has agreed that we tell you",
    },
    "agreement": {"nb": "Her står hva du gjør", "nn": "Her står kva du gjer", "en": "It says what you do"},
    "privacy": {
        "nb": "Vi har navnet og adressen din fra",
        "nn": "Vi har namnet og adressa di frå",
        "en": "We have your name and address from",
    },
}


def read(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return reader.trailer["/Root"]["/Lang"], text


class EveryKindTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = make_group(make_offering(cls.vefsn, cls.health), leader=cls.course_leader, fee=150)
        cls.enrollment = services.enroll(cls.group, cls.olga)
        cls.link = make_link(cls, cls.olga, unit=cls.health)
        cls.agreement = Agreement.objects.create(
            link=cls.link,
            version=2,
            caregiver_does="Middag",
            service_does="Hjemmesykepleie",
            review_date=datetime.date(2027, 6, 1),
            created_by=cls.alice,
        )

    def letters(self):
        """Each kind as its app makes it; the reader is Olga, or her caregiver for the caregiver's letters."""
        ruleset = rules.load("vefsn")
        offered = EnrollmentStatus.OFFERED
        yield outreach_letters.invitation(self.olga, [], ruleset, self.health, "t")
        yield outreach_letters.reminder(self.olga, self.health, "t")
        yield referral_letters.offer_letter(self.enrollment, self.health, TODAY)
        self.enrollment.status = offered
        yield referral_letters.offer_letter(self.enrollment, self.health, TODAY)
        self.enrollment.status = EnrollmentStatus.ENROLLED
        yield stays_letter(self.olga, self.olga, [], self.health, TODAY)
        yield stays_letter(self.olga, self.link.caregiver, [], self.health, TODAY)
        yield agreement_letter(self.agreement, self.health)

    def set_language(self, person, language):
        person.written_standard = "" if language == "en" else language
        person.language = "en" if language == "en" else "ar"
        person.save(update_fields=["written_standard", "language"])

    def test_each_kind_is_printed_in_the_readers_language(self):
        seen = set()
        for language in ("nb", "nn", "en"):
            self.set_language(self.olga, language)
            self.set_language(self.link.caregiver, language)
            for letter in self.letters():
                with self.subTest(kind=letter.name, language=language):
                    lang, text = read(documents.print_letters([letter], TODAY))
                    self.assertEqual(lang, language)
                    self.assertIn(PHRASES[letter.name][language], text)
                    self.assertIn(PHRASES["privacy"][language], text)
                    others = [PHRASES[letter.name][other] for other in PHRASES[letter.name] if other != language]
                    self.assertFalse([phrase for phrase in others if phrase in text])
                    seen.add(letter.name)
        self.assertEqual(seen, set(PHRASES) - {"privacy"})

    def test_an_offer_has_the_fee_the_leader_and_an_answer_by_date(self):
        _lang, text = read(
            documents.print_letters([referral_letters.offer_letter(self.enrollment, None, TODAY)], TODAY)
        )
        self.assertIn("150 kroner", text)
        self.assertIn("17. desember 2026", text)  # the default 14 days
        self.assertIn(self.course_leader.get_full_name(), text)

    def test_a_waitlisted_person_gets_no_offer_letter(self):
        self.enrollment.status = EnrollmentStatus.WAITLISTED
        with self.assertRaises(documents.LetterRefused):
            referral_letters.offer_letter(self.enrollment, self.health, TODAY)

    def test_the_offer_letter_page_prints_and_records_it_once(self):
        self.login(self.course_leader)
        for _ in range(2):
            response = self.client.get(reverse("referrals:offer_letter", args=[self.enrollment.pk]))
            self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(SentLetter.objects.filter(person=self.olga, name="course_offer").count(), 1)

    def test_the_agreement_is_recorded_on_the_caregiver(self):
        documents.print_letters([agreement_letter(self.agreement, self.health)], TODAY, by=self.alice)
        self.assertEqual(SentLetter.objects.get().person, self.link.caregiver)
