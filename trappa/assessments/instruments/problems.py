"""What the engine says about answers: problems (the answers cannot be scored) and notes.

The engine imports nothing from Django, yet its messages reach users. So every
template is an English source string marked with `gettext_noop` (which
`makemessages` collects), and a message is rendered by the caller with its own
translation function: `problem.text(gettext, language)` in a Django view.
Texts from instrument files (item labels, reasons) come in nb/nn/en already and
are picked by `language`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .model import Text


def gettext_noop(message: str) -> str:
    """Marks a string for translation without translating it (Django's name, so makemessages finds it)."""
    return message


UNKNOWN_ITEM = "unknown_item"
MISSING = "missing"
UNKNOWN_OPTION = "unknown_option"
NOT_YES_NO = "not_yes_no"
NOT_A_NUMBER = "not_a_number"
OUT_OF_RANGE = "out_of_range"
TOO_MANY_DECIMALS = "too_many_decimals"
UNKNOWN_CODE = "unknown_code"
AFTER_STOP = "after_stop"
TRIALS = "trials"
NOT_A_MAPPING = "not_a_mapping"

# Notes: the answers were scored, but the reader should know this.
CODE_NOTE = "code_note"
NOT_DONE = "not_done"
NO_NORMS = "no_norms"

TEMPLATES = {
    UNKNOWN_ITEM: gettext_noop("This instrument has no question called “%(item_id)s”."),
    MISSING: gettext_noop("%(item)s: no answer is recorded."),
    UNKNOWN_OPTION: gettext_noop("%(item)s: “%(value)s” is not one of the answer options."),
    NOT_YES_NO: gettext_noop("%(item)s: the answer must be yes or no."),
    NOT_A_NUMBER: gettext_noop("%(item)s: the answer must be a number."),
    OUT_OF_RANGE: gettext_noop("%(item)s: %(value)s is outside the valid range %(min)s to %(max)s %(unit)s."),
    TOO_MANY_DECIMALS: gettext_noop("%(item)s: record %(value)s with at most %(decimals)s decimals."),
    UNKNOWN_CODE: gettext_noop("%(item)s: “%(value)s” is not a reason this test can be recorded as not done."),
    AFTER_STOP: gettext_noop(
        "%(item)s must not be recorded: the protocol stops here because of the result of %(required)s."
    ),
    TRIALS: gettext_noop("%(item)s: record from 1 to %(trials)s timed attempts, not %(count)s."),
    NOT_A_MAPPING: gettext_noop("The answers must be a set of question and answer pairs."),
    CODE_NOTE: gettext_noop("%(item)s: %(note)s"),
    NOT_DONE: gettext_noop("%(item)s was not done (%(reason)s), so there is no total."),
    NO_NORMS: gettext_noop("There are no published norms for this person, so the result has no interpretation."),
}


def _identity(message: str) -> str:
    return message


@dataclass(frozen=True)
class Message:
    """One problem or note: a code, the item it is about, and the parameters of its template."""

    code: str
    item: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, translate: Callable[[str], str] = _identity, language: str = "en") -> str:
        values = {key: _render(value, language) for key, value in self.params.items()}
        return translate(TEMPLATES[self.code]) % values

    def __str__(self) -> str:
        return self.text()


def _render(value: object, language: str) -> str:
    return value.get(language) if isinstance(value, Text) else str(value)


class AnswerErrors(ValueError):
    """The answers cannot be scored. `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list[Message]):
        self.problems = problems
        super().__init__(" ".join(problem.text() for problem in problems))

    def codes(self) -> list[tuple[str, str | None]]:
        return [(problem.code, problem.item) for problem in self.problems]
