"""Scores answers against an instrument. Pure Python: no Django, no database.

`score(instrument, answers)` returns a Result or raises AnswerErrors listing
every problem. It never returns a total made from partial or impossible
answers: a missing item, a value outside the valid range, an unknown option or
a test recorded after the protocol's stop rule all stop the scoring.

Answers are a mapping from item id to:
- an option id (choice), True/False (yes/no), a number (measure), or for a
  measure with several timed attempts a list of numbers (the best is used);
- {"code": "<reason>"} when the test was not done (tried but unable, refused ...).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from . import problems as p
from .model import CHOICE, MEASURE, NONE, SUM, YES_NO, Band, Code, Instrument, Item
from .problems import AnswerErrors, Message

_MISSING = object()


@dataclass(frozen=True)
class Result:
    """A complete scoring. `total` is None only when the instrument has no total (IPLOS) or the
    protocol gives none for a test not done (Timed Up and Go refused); `messages` then says why."""

    total: Decimal | int | None
    band: Band | None
    item_points: dict[str, int | None]
    messages: list[Message] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)


def score(instrument: Instrument, answers: Mapping) -> Result:
    if not isinstance(answers, Mapping):
        raise AnswerErrors([Message(p.NOT_A_MAPPING)])
    state = _State()
    state.problems += _unknown_items(instrument, answers)
    state.labels = {item.id: item.label for item in instrument.items}
    for item in instrument.items:
        _score_item(item, answers.get(item.id, _MISSING), state)
    if state.problems:
        raise AnswerErrors(state.problems)
    return _result(instrument, state)


@dataclass
class _State:
    problems: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)  # validated answers (Code for "not done")
    points: dict[str, int | None] = field(default_factory=dict)
    undecided: set[str] = field(default_factory=set)  # items whose own answer was invalid
    labels: dict = field(default_factory=dict)


def _unknown_items(instrument: Instrument, answers: Mapping) -> list[Message]:
    known = {item.id for item in instrument.items}
    return [Message(p.UNKNOWN_ITEM, str(key), {"item_id": key}) for key in answers if key not in known]


def _score_item(item: Item, answer: object, state: _State) -> None:
    allowed = _allowed_by_stop_rule(item, state)
    if allowed is False:
        # The protocol stopped before this test: it must not be recorded, and scores as the protocol says.
        if answer is not _MISSING:
            required = state.labels[item.requires.item]
            state.problems.append(Message(p.AFTER_STOP, item.id, {"item": item.label, "required": required}))
        if item.scored:
            state.points[item.id] = item.points_when_stopped
        return
    if answer is _MISSING:
        # When an earlier answer was invalid we cannot tell whether this one was due; say nothing more.
        if allowed is True:
            state.problems.append(Message(p.MISSING, item.id, {"item": item.label}))
        state.undecided.add(item.id)
        return
    value, problem = _read(item, answer)
    if problem:
        state.problems.append(problem)
        state.undecided.add(item.id)
        return
    state.values[item.id] = value
    if item.scored:
        state.points[item.id] = _points(item, value)
    if isinstance(value, Code) and value.note:
        state.notes.append(Message(p.CODE_NOTE, item.id, {"item": item.label, "note": value.note}))


def _allowed_by_stop_rule(item: Item, state: _State) -> bool | None:
    """True: the item is due. False: the protocol stopped before it. None: unknown (an earlier answer was invalid)."""
    rule = item.requires
    if rule is None:
        return True
    if rule.item in state.undecided:
        return None
    if rule.min_points is not None:
        return (state.points.get(rule.item) or 0) >= rule.min_points
    return state.values.get(rule.item) == rule.answer and not isinstance(state.values.get(rule.item), Code)


def _read(item: Item, answer: object) -> tuple[object, Message | None]:
    """The validated answer, or a problem saying what is wrong with it."""
    if isinstance(answer, Mapping) and set(answer) == {"code"}:
        return _read_code(item, answer["code"])
    if item.kind == CHOICE:
        return _read_choice(item, answer)
    if item.kind == YES_NO:
        if isinstance(answer, bool):
            return answer, None
        return None, Message(p.NOT_YES_NO, item.id, {"item": item.label})
    return _read_measure(item, answer)


def _read_code(item: Item, code_id: object) -> tuple[object, Message | None]:
    code = item.code(code_id) if isinstance(code_id, str) else None
    if code is None:
        return None, Message(p.UNKNOWN_CODE, item.id, {"item": item.label, "value": code_id})
    return code, None


def _read_choice(item: Item, answer: object) -> tuple[object, Message | None]:
    if isinstance(answer, str) and item.option(answer):
        return answer, None
    return None, Message(p.UNKNOWN_OPTION, item.id, {"item": item.label, "value": answer})


def _read_measure(item: Item, answer: object) -> tuple[object, Message | None]:
    attempts = answer if isinstance(answer, list | tuple) else [answer]
    if not 1 <= len(attempts) <= item.trials:
        return None, Message(p.TRIALS, item.id, {"item": item.label, "trials": item.trials, "count": len(attempts)})
    values = []
    for attempt in attempts:
        value, problem = _read_number(item, attempt)
        if problem:
            return None, problem
        values.append(value)
    # With several timed attempts the protocols use the best, which for a time is the shortest.
    return min(values), None


def _read_number(item: Item, answer: object) -> tuple[Decimal | None, Message | None]:
    number = _decimal(answer)
    if number is None:
        return None, Message(p.NOT_A_NUMBER, item.id, {"item": item.label})
    params = {"item": item.label, "value": answer, "min": item.min, "max": item.max, "unit": item.unit or ""}
    if not item.min <= number <= item.max:
        return None, Message(p.OUT_OF_RANGE, item.id, params)
    if number != number.quantize(Decimal(1).scaleb(-item.decimals)):
        return None, Message(p.TOO_MANY_DECIMALS, item.id, {**params, "decimals": item.decimals})
    return number, None


def _decimal(answer: object) -> Decimal | None:
    if isinstance(answer, bool) or not isinstance(answer, int | float | Decimal):
        return None
    if isinstance(answer, float) and not math.isfinite(answer):
        return None
    try:
        # repr() gives the shortest text that reads back as the same float: 4.82, not 4.8199999...
        number = Decimal(repr(answer)) if isinstance(answer, float) else Decimal(answer)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _points(item: Item, value: object) -> int | None:
    if isinstance(value, Code):
        return value.points
    if item.kind == CHOICE:
        return item.option(value).points
    if item.kind == YES_NO:
        return item.yes_points if value else item.no_points
    if item.bands:
        return next(band.points for band in item.bands if band.min <= value <= band.max)
    return None  # a measurement that is itself the result (method "value")


def _result(instrument: Instrument, state: _State) -> Result:
    total, notes = _total(instrument, state)
    band = None
    if total is not None and instrument.bands:
        band = _band(instrument, total, state.values)
        if band is None:
            notes.append(Message(p.NO_NORMS))
    return Result(total, band, state.points, state.notes + notes, state.values)


def _total(instrument: Instrument, state: _State) -> tuple[Decimal | int | None, list[Message]]:
    if instrument.method == SUM:
        return sum(state.points.values()), []
    if instrument.method == NONE:
        return None, []
    # Method "value": the one scored measurement is the result.
    item = next(item for item in instrument.items if item.scored and item.kind == MEASURE)
    value = state.values[item.id]
    if isinstance(value, Code):
        return None, [Message(p.NOT_DONE, item.id, {"item": item.label, "reason": value.label})]
    return value, []


def _band(instrument: Instrument, total: Decimal | int, values: dict) -> Band | None:
    for band in instrument.bands:
        if band.min <= total <= band.max and all(_fits(values.get(key), rule) for key, rule in band.when):
            return band
    return None


def _fits(value: object, rule: object) -> bool:
    if value is None or isinstance(value, Code):
        return False
    if isinstance(rule, tuple):
        return isinstance(value, Decimal) and rule[0] <= value <= rule[1]
    return value == rule
