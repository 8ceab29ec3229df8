"""Invitation letters as PDF (read back with pypdf) and the mail-merge export."""

import csv
import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.outreach import letters, rules
from trappa.outreach.worklist import build

from .base import OutreachTestCase


def pdf_text(content):
    # Lines wrap where the PDF breaks them: compare words, not line breaks.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


class LetterTestCase(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)

    def letter(self, person):
        response = self.client.get(reverse("outreach:letter", args=[person.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        return pdf_text(response.content)

    def test_a_home_visit_letter_in_bokmal(self):
        text = self.letter(self.turning_80)
        self.assertIn("Invitasjon til forebyggende hjemmebesøk", text)
        self.assertIn("Hei, Berit!", text)

    def test_a_letter_in_nynorsk_for_a_person_who_writes_nynorsk(self):
        self.turning_80.written_standard = "nn"
        self.turning_80.save(update_fields=["written_standard"])
        text = self.letter(self.turning_80)
        self.assertIn("Invitasjon til førebyggjande heimebesøk", text)
        self.assertIn("Vi ringjer deg", text)

    def test_turning_75_gets_the_klassefest_letter(self):
        self.assertIn("Klassefest", self.letter(self.turning_75))

    def test_the_letter_is_logged_as_an_export(self):
        self.letter(self.turning_80)
        self.assertTrue(AccessLogEntry.objects.filter(person=self.turning_80, action=AccessAction.EXPORT))

    def test_the_outsider_gets_no_letter(self):
        self.assertEqual(self.client.get(reverse("outreach:letter", args=[self.young.pk])).status_code, 403)

    def test_a_batch_file_has_one_letter_for_each_person(self):
        ruleset = rules.load("vefsn")
        items = [(self.turning_80, ["home_visit_age"]), (self.turning_75, ["klassefest"])]
        pdf = letters.render_pdf(items, ruleset, timezone.localdate(), self.health)
        reader = PdfReader(io.BytesIO(pdf))
        # A letter takes more than one page in large print: each starts on a new page, with the sender.
        starts = [page.extract_text() for page in reader.pages if page.extract_text().startswith("Vefsn")]
        self.assertEqual(len(starts), 2)
        self.assertIn("Hei, Berit!", starts[0])
        self.assertIn("Hei, Anna!", starts[1])

    def test_a_name_with_markup_is_printed_as_text(self):
        self.turning_80.given_name = "<b>Berit</b>"
        self.turning_80.save(update_fields=["given_name"])
        self.assertIn("<b>Berit</b>", self.letter(self.turning_80))


class MailMergeTestCase(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)

    def rows(self, **query):
        response = self.client.get(reverse("outreach:export"), query)
        text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))

    def test_it_exports_name_address_standard_letter_and_reasons(self):
        rows = {row["given_name"]: row for row in self.rows()}
        self.assertEqual(rows["Berit"]["letter"], "home_visit")
        self.assertEqual(rows["Anna"]["letter"], "klassefest")
        self.assertEqual(rows["Berit"]["written_standard"], "nb")
        self.assertIn("forebyggende hjemmebesøk", rows["Berit"]["reasons"])

    def test_it_follows_the_worklist_filters(self):
        self.assertEqual([row["given_name"] for row in self.rows(reason="klassefest")], ["Anna"])

    def test_every_exported_person_is_logged_as_exported(self):
        rows = self.rows()
        logged = AccessLogEntry.objects.filter(user=self.alice, action=AccessAction.EXPORT)
        self.assertEqual(logged.count(), len(rows))

    def test_an_unknown_filter_exports_nothing(self):
        response = self.client.get(reverse("outreach:export"), {"reason": "nonsense"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists())

    def test_a_formula_in_a_name_is_neutralised(self):
        self.turning_75.family_name = "=HYPERLINK()"
        self.turning_75.save(update_fields=["family_name"])
        rows = {row["given_name"]: row for row in self.rows()}
        self.assertEqual(rows["Anna"]["family_name"], "'=HYPERLINK()")
