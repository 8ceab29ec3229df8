"""Screening instruments in the visit form: fields made from the instrument data,
answers read back from the form, and scoring by the instrument engine.

Field names are `<instrument>__<item>` (and `__<n>` for each timed attempt, and
`__code` for "not done"). An instrument with no field filled in was not done;
one filled in partly is scored, so the engine names what is missing.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from trappa.assessments.instruments import AnswerErrors, get, score
from trappa.assessments.instruments.model import CHOICE, MEASURE, YES_NO
from trappa.assessments.models import Screening

# The instruments a preventive home visit offers, in the order of the form, as its collapsed sections:
# the two short screenings of mental health (loneliness, mood) share one section, so the form keeps
# its Tab stops (tests/browser/test_visit_tab_stops.py); a section of one instrument has its name.
VISIT_SECTIONS = (
    (None, ("sppb",)),
    (None, ("tug",)),
    (_("Loneliness and mood: UCLA-3 and GDS-15"), ("loneliness_3item", "gds_15")),
    (None, ("steadi_stay_independent",)),
    (None, ("iplos_function",)),
)
VISIT_INSTRUMENTS = tuple(instrument for _label, ids in VISIT_SECTIONS for instrument in ids)
BOTH_VALUE_AND_CODE = _("%(item)s: record either a result or why the test was not done, not both.")


@dataclass
class Scored:
    instrument: object
    answers: dict
    result: object = None
    problems: tuple = ()


def language():
    return (get_language() or "nb").split("-")[0]


def field_name(instrument, item, suffix=""):
    return f"{instrument.id}__{item.id}" + (f"__{suffix}" if suffix else "")


def form_items(instrument, data):
    """What the template needs to draw each item, with the values sent back."""
    lang = language()
    items = []
    for item in instrument.items:
        if not item.scored and item.kind == MEASURE:
            continue  # context items (age, sex) come from the register, not the form
        names = (
            [field_name(instrument, item, n) for n in range(1, item.trials + 1)]
            if item.trials > 1
            else [field_name(instrument, item)]
        )
        items.append(
            {
                "item": item,
                "label": item.label.get(lang),
                "help": item.help.get(lang) if item.help else "",
                "unit": item.unit.get(lang) if item.unit else "",
                "kind": item.kind,
                "fields": [(name, data.get(name, "")) for name in names],
                "options": [(o.id, o.label.get(lang)) for o in item.options],
                "codes": [(c.id, c.label.get(lang)) for c in item.codes],
                "code_field": (
                    field_name(instrument, item, "code"),
                    data.get(field_name(instrument, item, "code"), ""),
                ),
            }
        )
    return items


def read_answers(instrument, data):
    """(answers, own problems) from the form; answers is None when nothing was filled in."""
    answers, problems = {}, []
    for item in instrument.items:
        value = _read_item(instrument, item, data)
        code = data.get(field_name(instrument, item, "code"), "").strip()
        if code and value is not None:
            problems.append(BOTH_VALUE_AND_CODE % {"item": item.label.get(language())})
        if code:
            answers[item.id] = {"code": code}
        elif value is not None:
            answers[item.id] = value
    return (answers or None), problems


def _read_item(instrument, item, data):
    if item.kind == MEASURE:
        if item.trials > 1:
            values = [data.get(field_name(instrument, item, n), "").strip() for n in range(1, item.trials + 1)]
            values = [_number(v) for v in values if v]
            return values or None
        raw = data.get(field_name(instrument, item), "").strip()
        return _number(raw) if raw else None
    raw = data.get(field_name(instrument, item), "").strip()
    if not raw:
        return None
    if item.kind == YES_NO:
        return {"yes": True, "no": False}.get(raw, raw)
    return raw  # CHOICE: the option id; the engine refuses an unknown one


def _number(raw):
    """A decimal number, with a comma or a point; anything else goes to the engine as text, which refuses it."""
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return raw


def score_form(data):
    """Every instrument filled in, scored or with the engine's problems, in form order."""
    scored = []
    for instrument_id in VISIT_INSTRUMENTS:
        instrument = get(instrument_id)
        answers, own = read_answers(instrument, data)
        if answers is None:
            continue
        entry = Scored(instrument, answers, problems=tuple(own))
        try:
            entry.result = score(instrument, answers)
        except AnswerErrors as error:
            entry.problems += tuple(p.text(gettext, language()) for p in error.problems)
        if entry.problems:
            entry.result = None
        scored.append(entry)
    return scored


def jsonable(answers):
    """Answers as JSON: numbers as text, so 4.80 stays 4.80 and is read back exactly."""

    def one(value):
        if isinstance(value, list):
            return [one(v) for v in value]
        return str(value) if isinstance(value, Decimal) else value

    return {key: one(value) for key, value in answers.items()}


def stored(visit, scored):
    """The Screening row (unsaved) of an instrument the engine scored (`scored.result`) at `visit`."""
    result = scored.result
    return Screening(
        visit=visit,
        person=visit.person,
        instrument_id=scored.instrument.id,
        instrument_version=scored.instrument.version,
        answers=jsonable(scored.answers),
        total=result.total,
        band=result.band.id if result.band else "",
        item_points=dict(result.item_points),
        screened_on=visit.visited_on,
    )


__all__ = [
    "CHOICE",
    "VISIT_INSTRUMENTS",
    "VISIT_SECTIONS",
    "form_items",
    "jsonable",
    "read_answers",
    "score_form",
    "stored",
]


def describe(item, lang=None):
    """A stored screening as it is shown: the instrument's name, and the band's label and meaning in the
    user's language (the band the engine gave when it scored)."""
    lang = lang or language()
    try:
        instrument = get(item.instrument_id)
    except KeyError:
        # An instrument no longer shipped: the stored result is still shown, by its id and score alone.
        return {"screening": item, "name": item.instrument_id, "band": "", "meaning": ""}
    band = instrument.band(item.band) if item.band else None
    return {
        "screening": item,
        "name": instrument.name.get(lang),
        "band": band.label.get(lang) if band else "",
        "meaning": band.meaning.get(lang) if band else "",
    }


def latest_results(person):
    """The person's latest screening per instrument, most recent first, described as on the visit page."""
    latest = {}
    for item in Screening.objects.filter(person=person).order_by("-screened_on", "-id"):
        latest.setdefault(item.instrument_id, item)
    lang = language()
    return [describe(item, lang) for item in latest.values()]
