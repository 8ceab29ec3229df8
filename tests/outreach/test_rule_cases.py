"""Every named case in every municipality's rule file is a test of its own."""

import re

from trappa.outreach import engine, rules
from trappa.test import BaseTestCase

from .cases import make_case_person


class RuleCasesTestCase(BaseTestCase):
    def check_case(self, slug, case):
        ruleset = rules.load(slug)
        municipality = self.vefsn if slug == "vefsn" else self.nord_aurdal
        person = make_case_person(case, municipality, self.alice)
        found = engine.evaluate(municipality, ruleset, case["today"])
        self.assertEqual(found.get(person.pk, []), case["reasons"], case["name"])

    def test_every_municipality_with_rules_has_cases(self):
        for slug in rules.municipalities():
            with self.subTest(slug=slug):
                self.assertTrue(rules.load(slug).cases)

    def test_every_rule_is_named_in_some_case(self):
        for slug in rules.municipalities():
            ruleset = rules.load(slug)
            named = {reason for case in ruleset.cases for reason in case["reasons"]}
            self.assertEqual({r.id for r in ruleset.rules} - named, set(), slug)


def _add_case_tests():
    for slug in rules.municipalities():
        for case in rules.load(slug).cases:
            name = "test_" + re.sub(r"\W+", "_", f"{slug} {case['name']}").lower()

            def method(self, slug=slug, case=case):
                self.check_case(slug, case)

            setattr(RuleCasesTestCase, name, method)


_add_case_tests()
