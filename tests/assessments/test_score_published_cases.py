"""Every named case in every shipped instrument file is a test of its own.

The cases are taken from the instruments' published protocols; adding a case to a
data file adds a test here, named after the instrument and the case.
"""

import re
from decimal import Decimal

from django.test import SimpleTestCase

from trappa.assessments.instruments import AnswerErrors, score, shipped
from trappa.assessments.instruments.model import Code


class ScorePublishedCasesTest(SimpleTestCase):
    def check_case(self, instrument, case):
        if case.errors:
            with self.assertRaises(AnswerErrors) as raised:
                score(instrument, case.answers)
            self.assertCountEqual(raised.exception.codes(), case.errors)
            return
        result = score(instrument, case.answers)
        self.assertEqual(result.total, case.total)
        self.assertEqual(result.band.id if result.band else None, case.band)
        for item_id, expected in case.item_points.items():
            if isinstance(expected, str):
                # Recorded as not done with this reason: there are no points to show.
                self.assertIsInstance(result.values[item_id], Code)
                self.assertEqual(result.values[item_id].id, expected)
                self.assertIsNone(result.item_points[item_id])
            else:
                self.assertEqual(result.item_points[item_id], expected, item_id)


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _add_case_tests():
    for instrument in shipped().values():
        for case in instrument.cases:
            name = f"test_{instrument.id}_{_slug(case.name)}"
            assert not hasattr(ScorePublishedCasesTest, name), f"two cases are named {name}"

            def test(self, instrument=instrument, case=case):
                self.check_case(instrument, case)

            test.__doc__ = f"{instrument.id}: {case.name}"
            setattr(ScorePublishedCasesTest, name, test)


_add_case_tests()


class PublishedCasesCoverageTest(SimpleTestCase):
    def test_every_interpretation_band_is_reached_by_a_case(self):
        for instrument in shipped().values():
            reached = {case.band for case in instrument.cases}
            for band in instrument.bands:
                self.assertIn(band.id, reached, f"{instrument.id}: no case reaches the band {band.id}")

    def test_every_instrument_has_cases_of_bad_answers_too(self):
        for instrument in shipped().values():
            self.assertTrue(any(case.errors for case in instrument.cases), instrument.id)

    def test_a_case_total_is_compared_exactly(self):
        # 11.99 s must not be read as 11.9899999 and land in the wrong band.
        case = next(case for case in shipped()["tug"].cases if case.total == Decimal("11.99"))
        self.assertEqual(score(shipped()["tug"], case.answers).band.id, "not_at_risk")
