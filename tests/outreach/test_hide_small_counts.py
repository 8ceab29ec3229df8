"""The acceptance rate hides groups of fewer than TRAPPA_SMALL_COUNT_THRESHOLD persons,
and every number on the row that would let such a group be worked out again."""

import datetime
import re

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.test_settings import PRODUCTION, load_settings
from trappa.outreach.models import Contact
from trappa.outreach.views import suppress_small_counts

from .base import OutreachTestCase, ui


@override_settings(LANGUAGE_CODE="nb", SMALL_COUNT_THRESHOLD=5)
class HideSmallCountsTestCase(OutreachTestCase):
    def contacts(self, reason, **outcomes):
        """One person per contact, e.g. accepted=2, declined=18, for `reason` this year."""
        n = Contact.objects.count()
        for outcome, count in outcomes.items():
            for _ in range(count):
                n += 1
                person = self.make_person(f"0202{n:07d}", "Testperson", f"Nummer{n}", datetime.date(1946, 2, 2), "F")
                Contact.objects.create(
                    municipality=self.vefsn,
                    person=person,
                    channel="letter",
                    outcome=outcome,
                    reasons=[reason],
                    at=timezone.now(),
                )

    def page(self):
        self.login(self.planner)
        response = self.client.get(reverse("outreach:acceptance"))
        self.assertEqual(response.status_code, 200)
        return response

    def row(self, response, reason):
        """The row's numbers in the context, and the text of its cells on the page."""
        row = next(r for r in response.context["rows"] if r["reason"] == reason)
        html = response.content.decode()
        tr = next(tr for tr in re.findall(r"<tr>.*?</tr>", html, re.S) if f">{row['label']}<" in tr)
        cells = re.sub(r"<th .*?</th>", " ", tr, flags=re.S)  # the label may hold numbers (ages)
        return (row["invited"], row["accepted"], row["declined"], row["rate"]), re.sub(r"<[^>]+>", " ", cells)

    def fewer_than(self, threshold):
        return ui("fewer than %(threshold)s") % {"threshold": threshold}

    def test_a_row_of_three_contacted_shows_no_number_or_rate(self):
        self.contacts("klassefest", accepted=1, declined=2)
        numbers, text = self.row(self.page(), "klassefest")
        self.assertEqual(numbers, (None, None, None, None))
        self.assertIn(self.fewer_than(5), text)
        # Only the year and the threshold are numbers on the row.
        self.assertEqual(re.findall(r"\d+", text), [str(timezone.localdate().year), "5"])

    def test_a_row_of_five_contacted_shows_the_numbers_and_the_rate(self):
        self.contacts("klassefest", accepted=5)
        numbers, text = self.row(self.page(), "klassefest")
        self.assertEqual(numbers, (5, 5, 0, 100))
        self.assertIn("100 %", text)
        self.assertNotIn(self.fewer_than(5), text)

    def test_a_large_row_shows_its_counts(self):
        self.contacts("home_visit_age", accepted=12, declined=8)
        numbers, _text = self.row(self.page(), "home_visit_age")
        self.assertEqual(numbers, (20, 12, 8, 60))

    def test_few_who_accepted_cannot_be_worked_out_from_the_declined_or_the_rate(self):
        self.contacts("home_visit_age", accepted=2, declined=18)
        numbers, text = self.row(self.page(), "home_visit_age")
        self.assertEqual(numbers, (20, None, None, None))
        self.assertEqual(re.findall(r"\d+", text), [str(timezone.localdate().year), "20"])

    def test_few_who_did_not_accept_cannot_be_worked_out_from_the_accepted(self):
        # 18 of 20 accepting tells about the 2 who did not, as much as a count of 2 would.
        self.contacts("home_visit_age", accepted=18, declined=2)
        numbers, text = self.row(self.page(), "home_visit_age")
        self.assertEqual(numbers, (20, None, None, None))
        self.assertNotIn("18", text)
        self.assertNotIn("90 %", text)

    def test_few_with_another_outcome_cannot_be_worked_out_from_the_others(self):
        # Contacted minus accepted minus declined would be the 2 who have not answered.
        self.contacts("home_visit_age", accepted=9, declined=9, no_answer=2)
        self.assertEqual(self.row(self.page(), "home_visit_age")[0], (20, None, None, None))

    def test_enough_with_another_outcome_leave_the_counts_shown(self):
        self.contacts("home_visit_age", accepted=8, declined=7, no_answer=5)
        self.assertEqual(self.row(self.page(), "home_visit_age")[0], (20, 8, 7, 40))

    def answers(self, reason, *outcomes):
        """One new person with these outcomes, a day apart and in this order, for `reason` this year."""
        n = Contact.objects.count() + 1
        person = self.make_person(f"0303{n:07d}", "Testperson", f"Begge{n}", datetime.date(1946, 3, 3), "F")
        first = timezone.localtime().replace(month=1, day=1, hour=12)
        for day, outcome in enumerate(outcomes):
            Contact.objects.create(
                municipality=self.vefsn,
                person=person,
                channel="letter",
                outcome=outcome,
                reasons=[reason],
                at=first + datetime.timedelta(days=day),
            )

    def test_persons_who_both_accepted_and_declined_count_once_by_their_last_answer(self):
        # Counted in both columns this would be 20 contacted, 12 accepted and 10 declined: shown
        # in full, and giving away that 2 persons had both answers.
        self.contacts("home_visit_age", accepted=10, declined=8)
        self.answers("home_visit_age", "accepted", "declined")
        self.answers("home_visit_age", "declined", "accepted")
        numbers, text = self.row(self.page(), "home_visit_age")
        self.assertEqual(numbers, (20, 11, 9, 55))
        self.assertNotIn("12", text)
        self.assertNotIn("10", text)

    def test_persons_with_both_answers_cannot_show_a_small_group(self):
        # The last answers leave 18 accepted and 2 declined: hidden like any other 2.
        self.contacts("home_visit_age", accepted=16, declined=2)
        self.answers("home_visit_age", "declined", "accepted")
        self.answers("home_visit_age", "declined", "accepted")
        self.assertEqual(self.row(self.page(), "home_visit_age")[0], (20, None, None, None))

    def test_a_later_outcome_that_is_no_answer_keeps_the_earlier_answer(self):
        self.contacts("home_visit_age", accepted=10, declined=9)
        self.answers("home_visit_age", "sent", "accepted", "no_answer")
        self.assertEqual(self.row(self.page(), "home_visit_age")[0], (20, 11, 9, 55))

    def test_a_row_whose_answers_exceed_those_contacted_by_a_few_is_hidden(self):
        # Counts from elsewhere that let a person fall in both columns: 2 with both answers.
        row = {"year": 2026, "reason": "x", "invited": 20, "accepted": 12, "declined": 10, "rate": 60}
        hidden = suppress_small_counts(row, 5)
        self.assertEqual(
            (hidden["invited"], hidden["accepted"], hidden["declined"], hidden["rate"]), (20, None, None, None)
        )

    def test_the_threshold_is_a_setting(self):
        self.contacts("klassefest", accepted=1, declined=2)
        self.contacts("home_visit_age", accepted=5, declined=5)
        with self.settings(SMALL_COUNT_THRESHOLD=1):
            self.assertEqual(self.row(self.page(), "klassefest")[0], (3, 1, 2, 33))
        with self.settings(SMALL_COUNT_THRESHOLD=3):
            response = self.page()
            self.assertEqual(self.row(response, "klassefest")[0], (3, None, None, None))
            self.assertEqual(self.row(response, "home_visit_age")[0], (10, 5, 5, 50))
        with self.settings(SMALL_COUNT_THRESHOLD=11):
            response = self.page()
            self.assertEqual(self.row(response, "home_visit_age")[0], (None, None, None, None))
            self.assertIn(self.fewer_than(11), self.row(response, "home_visit_age")[1])

    def test_the_threshold_must_be_at_least_one(self):
        values, error = load_settings({**PRODUCTION, "TRAPPA_SMALL_COUNT_THRESHOLD": "0"})
        self.assertIsNone(values)
        self.assertIn("TRAPPA_SMALL_COUNT_THRESHOLD must be at least 1", error)
        values, error = load_settings({**PRODUCTION, "TRAPPA_SMALL_COUNT_THRESHOLD": "3"}, ["SMALL_COUNT_THRESHOLD"])
        self.assertEqual(values, {"SMALL_COUNT_THRESHOLD": 3})
