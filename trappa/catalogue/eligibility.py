"""Eligibility rules as data, evaluated against what is known about a person.

Pure Python: no Django, no database. An offering's rules are a list of dicts,
for example (Sterk og stødig, seed 000 §3.3.6):

    [{"kind": "age_at_least", "years": 65, "explanation": {"nb": ..., "nn": ..., "en": ...}},
     {"kind": "lives_at_home", "explanation": {...}},
     {"kind": "without_service", "service": "home_nursing", "explanation": {...}},
     {"kind": "fact", "fact": "walks_indoors_without_aids", "explanation": {...}}]

Each rule answers YES, NO or UNKNOWN for a `Subject` on a day. UNKNOWN is for
what nobody has recorded yet (a fact a screening has not supplied, a missing
birth date): the answer is then "maybe", never a guessed "no". An offering is
eligible when every rule says YES, not eligible when any says NO, else unknown.
`subject_for_person` (in trappa.catalogue.people) builds a Subject from the register.
"""

import datetime
from dataclasses import dataclass, field

YES = "yes"
NO = "no"
UNKNOWN = "unknown"

# Decision kinds that mean the person no longer lives at home.
INSTITUTION_SERVICES = frozenset({"long_term_institution"})
BEREAVED_STATUSES = frozenset({"widowed", "surviving_partner"})


class RuleError(ValueError):
    """A rule in the data is malformed: raised when rules are loaded, not at a citizen's request."""


@dataclass(frozen=True)
class Subject:
    """What the engine may know about a person; None or a missing fact means unknown."""

    birth_date: datetime.date | None = None
    marital_status: str | None = None
    marital_status_date: datetime.date | None = None
    active_services: frozenset = frozenset()
    services_known: bool = True
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RuleResult:
    kind: str
    name: str  # the kind, or for a "fact" rule the fact's name
    outcome: str
    explanation: dict


@dataclass(frozen=True)
class Result:
    outcome: str
    rules: tuple

    @property
    def reasons_not_met(self):
        return [r for r in self.rules if r.outcome == NO]

    @property
    def unknown(self):
        return [r for r in self.rules if r.outcome == UNKNOWN]


def age_on(birth_date, day):
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def months_between(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _yes_no(condition):
    return YES if condition else NO


def _age_at_least(rule, subject, day):
    if subject.birth_date is None:
        return UNKNOWN
    return _yes_no(age_on(subject.birth_date, day) >= rule["years"])


def _age_at_most(rule, subject, day):
    if subject.birth_date is None:
        return UNKNOWN
    return _yes_no(age_on(subject.birth_date, day) <= rule["years"])


def _lives_at_home(rule, subject, day):
    if not subject.services_known:
        return UNKNOWN
    return _yes_no(not (subject.active_services & INSTITUTION_SERVICES))


def _without_service(rule, subject, day):
    if not subject.services_known:
        return UNKNOWN
    return _yes_no(rule["service"] not in subject.active_services)


def _recently_bereaved(rule, subject, day):
    if subject.marital_status in (None, "unknown"):
        return UNKNOWN
    if subject.marital_status not in BEREAVED_STATUSES:
        return NO
    if subject.marital_status_date is None:
        return UNKNOWN
    return _yes_no(0 <= months_between(subject.marital_status_date, day) < rule["months"])


def _fact(rule, subject, day):
    value = subject.facts.get(rule["fact"])
    if value is None:
        return UNKNOWN
    return _yes_no(bool(value) == rule.get("value", True))


# kind -> (evaluator, required parameters besides "explanation")
RULES = {
    "age_at_least": (_age_at_least, {"years": int}),
    "age_at_most": (_age_at_most, {"years": int}),
    "lives_at_home": (_lives_at_home, {}),
    "without_service": (_without_service, {"service": str}),
    "recently_bereaved": (_recently_bereaved, {"months": int}),
    "fact": (_fact, {"fact": str}),
}
LANGUAGES = ("nb", "nn", "en")


def validate(rules):
    """Check rules from a data file or a form; raise RuleError naming the first problem."""
    if not isinstance(rules, list):
        raise RuleError("eligibility must be a list of rules")
    for number, rule in enumerate(rules, start=1):
        _validate_rule(number, rule)
    return rules


def _validate_rule(number, rule):
    if not isinstance(rule, dict) or rule.get("kind") not in RULES:
        raise RuleError(f"rule {number}: kind must be one of {', '.join(sorted(RULES))}")
    for name, kind in RULES[rule["kind"]][1].items():
        if not isinstance(rule.get(name), kind) or isinstance(rule.get(name), bool):
            raise RuleError(f"rule {number} ({rule['kind']}): {name} must be a {kind.__name__}")
    explanation = rule.get("explanation")
    if not isinstance(explanation, dict) or any(not explanation.get(lang) for lang in LANGUAGES):
        raise RuleError(f"rule {number} ({rule['kind']}): explanation needs nb, nn and en")


def _evaluate_rule(rule, subject, day):
    outcome = RULES[rule["kind"]][0](rule, subject, day)
    return RuleResult(rule["kind"], rule.get("fact", rule["kind"]), outcome, rule["explanation"])


def evaluate(rules, subject, day):
    """Evaluate every rule (so all reasons can be shown) and combine them."""
    results = tuple(_evaluate_rule(rule, subject, day) for rule in rules)
    outcomes = {r.outcome for r in results}
    if NO in outcomes:
        return Result(NO, results)
    return Result(UNKNOWN if UNKNOWN in outcomes else YES, results)


def build_subject(day, birth_date=None, marital_status=None, marital_status_date=None, decisions=(), facts=None):
    """A Subject on `day` from register data: `decisions` are (service, start, end or None)."""
    active = frozenset(service for service, start, end in decisions if start <= day and (end is None or end >= day))
    return Subject(birth_date, marital_status, marital_status_date, active, True, dict(facts or {}))
