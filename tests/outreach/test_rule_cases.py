"""Every named case in every municipality's rule file is a test of its own."""

import re
from unittest import skipUnless

from django.db import connection

from trappa.accounts.models import Unit
from trappa.outreach import engine, rules, worklist
from trappa.outreach.models import WorklistEntry
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


@skipUnless(connection.vendor == "postgresql", "the set-based build runs on PostgreSQL only")
class RuleCasesBuiltOnPostgresTestCase(BaseTestCase):
    """The set-based build (trappa/outreach/sql_build.py) puts every named case on the list as the engine does."""

    def check_case(self, slug, case):
        ruleset = rules.load(slug)
        municipality = self.vefsn if slug == "vefsn" else self.nord_aurdal
        Unit.objects.get_or_create(municipality=municipality, code=ruleset.unit, defaults={"name": ruleset.unit})
        person = make_case_person(case, municipality, self.alice)
        worklist.build(municipality, case["today"], force=True)
        entry = WorklistEntry.objects.filter(person=person).first()
        found = engine.evaluate(municipality, ruleset, case["today"]).get(person.pk, [])
        self.assertEqual(entry.reasons if entry else [], found, case["name"])
        self.assertEqual(found, case["reasons"], case["name"])


def _add_built_case_tests():
    for slug in rules.municipalities():
        for case in rules.load(slug).cases:
            name = "test_" + re.sub(r"\W+", "_", f"{slug} {case['name']}").lower()

            def method(self, slug=slug, case=case):
                self.check_case(slug, case)

            setattr(RuleCasesBuiltOnPostgresTestCase, name, method)


_add_built_case_tests()
