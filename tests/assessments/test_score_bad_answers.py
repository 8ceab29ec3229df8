"""Partial or impossible answers give a clear, translatable message and never a total."""

import ast
from decimal import Decimal
from pathlib import Path

from django.test import SimpleTestCase
from django.utils import translation
from django.utils.translation import gettext

from trappa.assessments.instruments import DATA_DIR, AnswerErrors, get, score

SPPB_ALL_GOOD = {
    "side_by_side": 10,
    "semi_tandem": 10,
    "tandem": 10,
    "gait": 4.0,
    "chair_stand_single": True,
    "chair_stands": 10.0,
}


class ScoreBadAnswersTest(SimpleTestCase):
    def problems(self, instrument_id, answers):
        with self.assertRaises(AnswerErrors) as raised:
            score(get(instrument_id), answers)
        return raised.exception.problems

    def only_problem(self, instrument_id, answers):
        problems = self.problems(instrument_id, answers)
        self.assertEqual(len(problems), 1, [str(p) for p in problems])
        return problems[0]

    def sppb(self, **changes):
        answers = {**SPPB_ALL_GOOD, **changes}
        return {key: value for key, value in answers.items() if value is not None}

    def test_it_scores_the_good_answers_these_tests_start_from(self):
        self.assertEqual(score(get("sppb"), SPPB_ALL_GOOD).total, 12)

    def test_it_rejects_a_negative_time(self):
        problem = self.only_problem("sppb", self.sppb(gait=-3.5))
        self.assertEqual((problem.code, problem.item), ("out_of_range", "gait"))
        expected = "Gait speed: time over 4 metres: -3.5 is outside the valid range 1 to 120 seconds."
        self.assertEqual(str(problem), expected)

    def test_it_rejects_a_balance_time_over_the_ten_seconds_the_protocol_times(self):
        problem = self.only_problem("sppb", self.sppb(tandem=10.01))
        self.assertEqual((problem.code, problem.item), ("out_of_range", "tandem"))

    def test_it_rejects_a_time_more_precise_than_hundredths(self):
        problem = self.only_problem("sppb", self.sppb(gait=4.815))
        self.assertEqual((problem.code, problem.item), ("too_many_decimals", "gait"))
        self.assertIn("at most 2 decimals", str(problem))

    def test_it_rejects_text_a_boolean_infinity_and_nan_where_a_number_is_due(self):
        for bad in ("4,5", True, float("inf"), float("nan"), None):
            with self.subTest(bad=bad):
                problem = self.only_problem("sppb", {**SPPB_ALL_GOOD, "gait": bad})
                self.assertEqual((problem.code, problem.item), ("not_a_number", "gait"))

    def test_it_rejects_an_option_that_does_not_exist(self):
        answers = {"lack_companionship": "always", "left_out": "often", "isolated": "often"}
        problem = self.only_problem("loneliness_3item", answers)
        self.assertEqual((problem.code, problem.item), ("unknown_option", "lack_companionship"))
        self.assertIn("“always” is not one of the answer options", str(problem))

    def test_it_rejects_a_yes_no_answer_that_is_neither(self):
        answers = {item.id: False for item in get("caregiver_strain_index").items} | {"overwhelmed": "yes"}
        problem = self.only_problem("caregiver_strain_index", answers)
        self.assertEqual((problem.code, problem.item), ("not_yes_no", "overwhelmed"))

    def test_it_rejects_a_reason_the_item_does_not_allow(self):
        # "Could not hold the position" is a balance reason, not a walking one.
        problem = self.only_problem("sppb", self.sppb(gait={"code": "could_not_hold_unassisted"}))
        self.assertEqual((problem.code, problem.item), ("unknown_code", "gait"))

    def test_it_rejects_a_test_recorded_after_the_protocol_stopped(self):
        problem = self.only_problem("sppb", self.sppb(side_by_side=8.0, tandem=None))
        self.assertEqual((problem.code, problem.item), ("after_stop", "semi_tandem"))
        self.assertIn("Balance: feet side by side", str(problem))

    def test_it_rejects_a_test_recorded_after_a_pre_test_not_done(self):
        problem = self.only_problem("sppb", self.sppb(chair_stand_single={"code": "refused"}))
        self.assertEqual((problem.code, problem.item), ("after_stop", "chair_stands"))

    def test_it_rejects_more_walks_than_the_protocol_has(self):
        problem = self.only_problem("sppb", self.sppb(gait=[4.0, 4.1, 3.9]))
        self.assertEqual((problem.code, problem.item), ("trials", "gait"))
        self.assertEqual(self.only_problem("sppb", self.sppb(gait=[])).code, "trials")

    def test_it_rejects_several_attempts_where_the_protocol_has_one(self):
        problem = self.only_problem("sppb", self.sppb(chair_stands=[10.0, 11.0]))
        self.assertEqual((problem.code, problem.item), ("trials", "chair_stands"))

    def test_it_rejects_an_answer_to_a_question_the_instrument_does_not_have(self):
        problem = self.only_problem("sppb", {**SPPB_ALL_GOOD, "grip_strength": 30})
        self.assertEqual((problem.code, problem.item), ("unknown_item", "grip_strength"))

    def test_it_rejects_answers_that_are_not_a_mapping(self):
        self.assertEqual(self.only_problem("sppb", [("gait", 4.0)]).code, "not_a_mapping")

    def test_it_lists_every_problem_not_just_the_first(self):
        problems = self.problems("sppb", {"side_by_side": -1, "gait": "fast", "chair_stand_single": True, "x": 1})
        self.assertCountEqual(
            [(p.code, p.item) for p in problems],
            [
                ("unknown_item", "x"),
                ("out_of_range", "side_by_side"),
                ("not_a_number", "gait"),
                ("missing", "chair_stands"),
            ],
        )

    def test_it_does_not_ask_for_tests_it_cannot_know_are_due(self):
        # With side by side invalid, semi-tandem may or may not be due: no "missing" noise about it.
        problems = self.problems("sppb", self.sppb(side_by_side=-1, semi_tandem=None, tandem=None))
        self.assertEqual([(p.code, p.item) for p in problems], [("out_of_range", "side_by_side")])

    def test_it_gives_no_total_for_an_empty_answer_sheet(self):
        problems = self.problems("tug", {})
        self.assertEqual([(p.code, p.item) for p in problems], [("missing", "seconds")])

    def test_a_time_given_as_a_decimal_or_an_integer_scores_like_a_float(self):
        for value in (Decimal("4.82"), 4.82):
            self.assertEqual(score(get("sppb"), self.sppb(gait=value)).item_points["gait"], 3)
        self.assertEqual(score(get("sppb"), self.sppb(gait=5)).item_points["gait"], 3)


class MessagesAreTranslatableTest(SimpleTestCase):
    def test_the_item_label_follows_the_language(self):
        with self.assertRaises(AnswerErrors) as raised:
            score(get("sppb"), {**SPPB_ALL_GOOD, "gait": -1})
        problem = raised.exception.problems[0]
        self.assertIn("Ganghastighet: tid på 4 meter", problem.text(gettext, "nb"))
        self.assertIn("Ganghastigheit: tid på 4 meter", problem.text(gettext, "nn"))
        self.assertIn("sekunder", problem.text(gettext, "nb"))

    def test_the_template_goes_through_the_translation_function_given(self):
        with self.assertRaises(AnswerErrors) as raised:
            score(get("tug"), {"seconds": "soon"})
        seen = []
        raised.exception.problems[0].text(lambda message: seen.append(message) or message)
        self.assertEqual(seen, ["%(item)s: the answer must be a number."])

    def test_it_renders_with_django_gettext_in_every_language(self):
        with self.assertRaises(AnswerErrors) as raised:
            score(get("sppb"), {**SPPB_ALL_GOOD, "side_by_side": 5, "tandem": 10})
        for language in ("nb", "nn", "en"):
            with translation.override(language):
                text = raised.exception.problems[0].text(gettext, language)
            self.assertNotIn("%(", text)

    def test_a_refusal_carries_the_protocol_note_in_the_result(self):
        result = score(get("sppb"), {**SPPB_ALL_GOOD, "gait": {"code": "refused"}})
        self.assertEqual(result.total, 8)
        self.assertIn("may underestimate function", result.messages[0].text())
        self.assertIn("undervurdere funksjonen", result.messages[0].text(gettext, "nb"))

    def test_a_test_not_done_without_a_protocol_score_says_why_there_is_no_total(self):
        result = score(get("tug"), {"seconds": {"code": "refused"}})
        self.assertIsNone(result.total)
        self.assertIsNone(result.band)
        expected = "Timed Up and Go time was not done (Refused), so there is no total."
        self.assertEqual(result.messages[0].text(), expected)

    def test_a_count_without_published_norms_says_so(self):
        result = score(get("chair_stand_30s"), {"stands": 12, "age": 55, "sex": "male"})
        self.assertEqual((result.total, result.band), (12, None))
        self.assertEqual(result.messages[0].code, "no_norms")


class EngineIsPureTest(SimpleTestCase):
    def test_the_instrument_package_imports_nothing_from_django(self):
        package = DATA_DIR.parent
        for path in Path(package).glob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                for name in names:
                    self.assertFalse(name.split(".")[0] == "django", f"{path.name} imports {name}")
