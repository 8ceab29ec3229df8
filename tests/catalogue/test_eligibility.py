"""The eligibility engine against the named cases in data/catalogue/eligibility_cases.toml."""

import tomllib
from unittest import TestCase

from trappa.catalogue import eligibility
from trappa.catalogue.loading import DATA_DIR


def load_cases():
    with open(DATA_DIR / "eligibility_cases.toml", "rb") as f:
        return tomllib.load(f)["case"]


def offering_rules(folder, code):
    with open(DATA_DIR / folder / "offerings.toml", "rb") as f:
        offerings = tomllib.load(f)["offering"]
    return next(o for o in offerings if o["code"] == code)["eligibility"]


def run_case(case):
    rules = offering_rules(*case["offering"]) if "offering" in case else case["rules"]
    person = case["person"]
    subject = eligibility.build_subject(
        case["on"],
        birth_date=person.get("birth_date"),
        marital_status=person.get("marital_status"),
        marital_status_date=person.get("marital_status_date"),
        decisions=[(d["service"], d["start"], d.get("end")) for d in person.get("decisions", [])],
        facts=case.get("facts"),
    )
    return eligibility.evaluate(eligibility.validate(rules), subject, case["on"])


class EligibilityCasesTest(TestCase):
    def test_every_named_case_gives_its_outcome_and_reasons(self):
        cases = load_cases()
        self.assertGreaterEqual(len(cases), 15)
        for case in cases:
            with self.subTest(case["name"]):
                result = run_case(case)
                self.assertEqual(result.outcome, case["outcome"])
                self.assertEqual([r.name for r in result.reasons_not_met], case.get("not_met", []))
                self.assertEqual([r.name for r in result.unknown], case.get("unknown", []))

    def test_every_reason_is_explained_in_three_languages(self):
        result = run_case(load_cases()[0])
        for rule in result.rules:
            self.assertEqual(set(rule.explanation), {"nb", "nn", "en"})


class RuleValidationTest(TestCase):
    explanation = {"nb": "x", "nn": "x", "en": "x"}

    def test_it_rejects_an_unknown_kind(self):
        with self.assertRaisesRegex(eligibility.RuleError, "rule 1: kind must be one of"):
            eligibility.validate([{"kind": "is_nice", "explanation": self.explanation}])

    def test_it_rejects_a_missing_parameter(self):
        with self.assertRaisesRegex(eligibility.RuleError, "years must be a int"):
            eligibility.validate([{"kind": "age_at_least", "years": "65", "explanation": self.explanation}])

    def test_it_rejects_a_rule_without_a_nynorsk_explanation(self):
        with self.assertRaisesRegex(eligibility.RuleError, "explanation needs nb, nn and en"):
            eligibility.validate([{"kind": "lives_at_home", "explanation": {"nb": "x", "en": "x"}}])

    def test_it_rejects_rules_that_are_not_a_list(self):
        with self.assertRaisesRegex(eligibility.RuleError, "must be a list"):
            eligibility.validate({"kind": "lives_at_home"})
