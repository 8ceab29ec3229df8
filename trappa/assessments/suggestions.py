"""Suggestions after a visit: offerings the person is eligible for and that fit what the visit found.

What fits what is data: data/outreach/<slug>/suggestions.toml names signals
(screening bands, recent bereavement, caring for someone) and, for each, the
offerings (by code) or themes that fit, with the reason shown to the nurse.
Eligibility is the catalogue's: only offerings whose rules all say yes are
suggested; those the visit could not decide are listed apart, with what to ask.
"""

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from trappa.catalogue import eligibility
from trappa.catalogue.models import Offering
from trappa.catalogue.subjects import check_offering
from trappa.people.models import RelationKind

# The municipality's folder of outreach data (its rules.toml is read by trappa.outreach.rules,
# which sits above this app and so cannot be imported here).
DATA_DIR = Path(settings.BASE_DIR) / "data" / "outreach"


@dataclass(frozen=True)
class Suggestion:
    offering: object
    reasons: tuple  # why it fits, in the active language
    outcome: str  # eligibility.YES or eligibility.UNKNOWN
    unknown: tuple = ()  # the eligibility rules nobody has answered yet

    @property
    def name(self):
        return self.offering.text("name")


@lru_cache(maxsize=16)
def load(slug):
    path = DATA_DIR / slug / "suggestions.toml"
    if not path.exists():
        return {"signal": [], "suggestion": []}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def signals(visit, config, day):
    """The ids of the signals the visit and the register show."""
    found = set()
    bands = {(s.instrument_id, s.band) for s in visit.screenings.all()}
    for signal in config["signal"]:
        if any((s["instrument"], band) in bands for s in signal.get("screenings", []) for band in s["bands"]):
            found.add(signal["id"])
        if signal.get("bereaved_months") and _bereaved(visit.person, signal["bereaved_months"], day):
            found.add(signal["id"])
        if signal.get("caregiver") and visit.person.relations_from.filter(kind=RelationKind.CAREGIVER).exists():
            found.add(signal["id"])
    return found


def _bereaved(person, months, day):
    subject = eligibility.Subject(marital_status=person.marital_status, marital_status_date=person.marital_status_date)
    rule = {"kind": "recently_bereaved", "months": months, "explanation": {}}
    return eligibility.RULES["recently_bereaved"][0](rule, subject, day) == eligibility.YES


def suggest(visit):
    """Suggestions for the visit, eligible ones first, each offering once with all its reasons."""
    config = load(visit.person.municipality.slug)
    day = visit.visited_on
    found = signals(visit, config, day)
    reasons = {}
    offerings = list(Offering.objects.filter(municipality=visit.person.municipality, published=True))
    for rule in config["suggestion"]:
        if rule["signal"] not in found:
            continue
        for offering in offerings:
            if offering.code in rule.get("offerings", []) or set(rule.get("themes", [])) & set(offering.themes):
                reasons.setdefault(offering, []).append(_text(rule["reason"]))
    return checked(visit.person, reasons, day, visit.facts())


def checked(person, reasons, day, facts=None):
    """{offering: [reason, ...]} as Suggestions: the ineligible left out, the eligible first.

    Also used by the first-contact mapping (trappa/referrals/mapping.py)."""
    result = []
    for offering, why in reasons.items():
        outcome = check_offering(offering, person, day, facts)
        if outcome.outcome == eligibility.NO:
            continue
        unknown = tuple(_text(r.explanation) for r in outcome.unknown)
        result.append(Suggestion(offering, tuple(why), outcome.outcome, unknown))
    result.sort(key=lambda s: (s.outcome != eligibility.YES, s.offering.text("name")))
    return result


def _text(texts):
    code = (get_language() or "nb").split("-")[0]
    return texts.get(code) or texts.get("nb", "")
