"""Cohorts and risk triggers as data: loading and checking a municipality's rule file.

Each municipality has `data/outreach/<slug>/rules.toml` with its rules and named
test cases (see docs/outreach-formats.md). The file is checked when it is
loaded, so a typo stops the worklist build with a message naming the rule,
never a wrong list. `trappa.outreach.engine` turns the rules into SQL.
"""

import datetime
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from trappa.people.models import ServiceKind, WelfareTechnologyKind

DATA_DIR = Path(settings.BASE_DIR) / "data" / "outreach"
LANGUAGES = ("nb", "nn", "en")
COHORT, TRIGGER = "cohort", "trigger"

# kind -> {parameter: type} it needs besides the common ones.
KINDS = {
    "turning_age": {"ages": list},
    "age_band": {},
    "disability_benefit": {},
    "bereaved": {"months": int},
    "discharged": {"months": int},
    "caregiver": {},
    "interpreter_needed": {},
    "declined_earlier": {"after_months": int},
    "new_service": {"services": list, "months": int},
    "new_welfare_technology": {"technologies": list, "months": int},
    "bereaved_relation": {"months": int},
    "many_medicines": {"min_medicines": int, "months": int},
    "multimorbidity": {"min_diagnoses": int, "months": int},
    "living_alone": {},
    "screening_band": {"instrument": str, "bands": list, "months": int},
    "screening_item": {"instrument": str, "items": list, "min_points": int, "months": int},
}
COMMON = {"min_age": int, "max_age": int, "exclude_services": list, "letter": str, "source": str}


class RuleFileError(ValueError):
    """The rule file is malformed; the message names the rule or setting."""


@dataclass(frozen=True)
class Rule:
    id: str
    type: str  # cohort or trigger
    kind: str
    priority: int
    label: dict
    params: dict = field(default_factory=dict)

    def text(self, language=None):
        code = (language or get_language() or "nb").split("-")[0]
        return self.label.get(code) or self.label["nb"]

    def get(self, name, default=None):
        return self.params.get(name, default)


@dataclass(frozen=True)
class RuleSet:
    slug: str
    unit: str  # the code of the unit that holds the worklist
    recent_contact_days: int
    rules: tuple
    cases: tuple

    def rule(self, rule_id):
        return next((r for r in self.rules if r.id == rule_id), None)

    def labels(self, language=None):
        return {r.id: r.text(language) for r in self.rules}


@lru_cache(maxsize=32)
def load(slug, directory=None):
    path = Path(directory or DATA_DIR) / slug / "rules.toml"
    if not path.exists():
        raise RuleFileError(f"{path}: no rule file for this municipality")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{path}: {exc}") from None
    return parse(slug, data)


def parse(slug, data):
    for name in ("unit", "recent_contact_days"):
        if name not in data:
            raise RuleFileError(f"{slug}: the setting {name} is missing")
    rules = tuple(_rule(number, raw) for number, raw in enumerate(data.get("rule", []), start=1))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuleFileError(f"{slug}: two rules have the same id")
    cases = tuple(_case(number, raw, set(ids)) for number, raw in enumerate(data.get("case", []), start=1))
    return RuleSet(slug, data["unit"], _positive(data["recent_contact_days"], "recent_contact_days"), rules, cases)


def _rule(number, raw):
    where = f"rule {number} ({raw.get('id', '?')})"
    if not isinstance(raw.get("id"), str) or not raw["id"].isidentifier():
        raise RuleFileError(f"{where}: id must be a word of letters, digits and _")
    if raw.get("type") not in (COHORT, TRIGGER):
        raise RuleFileError(f"{where}: type must be cohort or trigger")
    if raw.get("kind") not in KINDS:
        raise RuleFileError(f"{where}: kind must be one of {', '.join(sorted(KINDS))}")
    label = raw.get("label")
    if not isinstance(label, dict) or any(not label.get(lang) for lang in LANGUAGES):
        raise RuleFileError(f"{where}: label needs nb, nn and en")
    params = {k: v for k, v in raw.items() if k not in ("id", "type", "kind", "priority", "label")}
    _check_params(where, raw["kind"], params)
    priority = raw.get("priority", 1 if raw["type"] == TRIGGER else 5)
    return Rule(raw["id"], raw["type"], raw["kind"], _positive(priority, f"{where}: priority"), label, params)


def _check_params(where, kind, params):
    wanted = {**KINDS[kind], **COMMON}
    for name, value in params.items():
        if name not in wanted:
            raise RuleFileError(f"{where}: unknown setting {name}")
        if not isinstance(value, wanted[name]) or isinstance(value, bool):
            raise RuleFileError(f"{where}: {name} must be a {wanted[name].__name__}")
    for name in KINDS[kind]:
        if name not in params:
            raise RuleFileError(f"{where}: {name} is missing")
    unknown = set(params.get("technologies", [])) - set(WelfareTechnologyKind.values)
    if unknown:
        raise RuleFileError(f"{where}: unknown technologies {', '.join(sorted(unknown))}")
    for name in ("exclude_services", "services"):
        unknown = set(params.get(name, [])) - set(ServiceKind.values)
        if unknown:
            raise RuleFileError(f"{where}: unknown services {', '.join(sorted(unknown))}")
    if kind == "turning_age" and not all(isinstance(a, int) and 0 < a < 130 for a in params["ages"]):
        raise RuleFileError(f"{where}: ages must be whole years")


def _positive(value, where):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RuleFileError(f"{where} must be a whole number above 0")
    return value


def _case(number, raw, rule_ids):
    where = f"case {number} ({raw.get('name', '?')})"
    if not raw.get("name") or not isinstance(raw.get("person"), dict):
        raise RuleFileError(f"{where}: a case needs a name and a person")
    if not isinstance(raw.get("today"), datetime.date):
        raise RuleFileError(f"{where}: today must be a date")
    reasons = raw.get("reasons")
    if not isinstance(reasons, list) or set(reasons) - rule_ids:
        raise RuleFileError(f"{where}: reasons must be a list of rule ids")
    return raw


def municipalities():
    """Slugs of the municipalities that have a rule file."""
    return sorted(p.parent.name for p in DATA_DIR.glob("*/rules.toml"))
