"""A malformed rule file stops with a message naming the rule, never a wrong worklist."""

import datetime

from django.test import SimpleTestCase

from trappa.outreach.rules import RuleFileError, load, parse

LABEL = {"nb": "a", "nn": "a", "en": "a"}


def rule(**fields):
    return {"id": "home_visit", "type": "cohort", "kind": "turning_age", "ages": [78], "label": LABEL, **fields}


def file(*rules, **settings):
    return {"unit": "helsetjenesten", "recent_contact_days": 365, "rule": list(rules), **settings}


class RuleFileTestCase(SimpleTestCase):
    def assert_refused(self, data, message):
        with self.assertRaisesMessage(RuleFileError, message):
            parse("test", data)

    def test_the_shipped_files_load(self):
        self.assertTrue(load("vefsn").rules)

    def test_a_good_file_parses_with_default_priorities(self):
        widowed = {"id": "widowed", "type": "trigger", "kind": "bereaved", "months": 12, "label": LABEL}
        ruleset = parse("test", file(rule(), widowed))
        self.assertEqual([r.priority for r in ruleset.rules], [5, 1])

    def test_it_names_an_unknown_kind(self):
        self.assert_refused(file(rule(kind="astrology")), "rule 1 (home_visit): kind must be one of")

    def test_it_names_a_missing_parameter(self):
        self.assert_refused(file({k: v for k, v in rule().items() if k != "ages"}), "ages is missing")

    def test_it_names_a_parameter_of_the_wrong_type(self):
        self.assert_refused(file(rule(ages="78")), "ages must be a list")

    def test_it_names_an_unknown_setting(self):
        self.assert_refused(file(rule(colour="blue")), "unknown setting colour")

    def test_it_names_an_unknown_service(self):
        self.assert_refused(file(rule(exclude_services=["spa"])), "unknown services spa")

    def test_it_refuses_a_label_without_nynorsk(self):
        self.assert_refused(file(rule(label={"nb": "a", "en": "a"})), "label needs nb, nn and en")

    def test_it_refuses_two_rules_with_the_same_id(self):
        self.assert_refused(file(rule(), rule()), "two rules have the same id")

    def test_it_refuses_a_missing_unit(self):
        self.assert_refused({"recent_contact_days": 365, "rule": [rule()]}, "the setting unit is missing")

    def test_it_refuses_a_zero_contact_pause(self):
        self.assert_refused(file(rule(), recent_contact_days=0), "recent_contact_days must be a whole number above 0")

    def test_it_refuses_a_case_expecting_an_unknown_rule(self):
        case = {"name": "x", "today": datetime.date(2026, 1, 1), "person": {}, "reasons": ["nope"]}
        self.assert_refused(file(rule(), case=[case]), "reasons must be a list of rule ids")
