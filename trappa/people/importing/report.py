"""The report of a checked file: every bad row as line, column and reason.

Reasons are fixed English sentences marked for translation (gettext_noop) and
translated when shown; they never contain the value itself, so a report holds
no personal data and can be shown to anyone who may run imports.
"""

from typing import NamedTuple

# A file in the wrong layout can have a problem on every one of its 700,000
# rows; the report keeps the first ones and counts the rest.
MAX_REPORTED = 10_000


class Problem(NamedTuple):
    line: int
    column: str
    reason: str

    def as_dict(self):
        return {"line": self.line, "column": self.column, "reason": self.reason}


class Report:
    def __init__(self):
        self.problems = []
        self.count = 0
        self.bad_lines = set()

    def add(self, problem):
        self.count += 1
        self.bad_lines.add(problem.line)
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(problem)

    def extend(self, problems):
        for problem in problems:
            self.add(problem)

    def __bool__(self):
        return self.count > 0

    def as_json(self):
        return [p.as_dict() for p in sorted(self.problems)]
