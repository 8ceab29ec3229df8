"""The kinds of job, and which roles may start them and see them run.

What differs between kinds is data: an app above `jobs` registers its own kind
(e.g. batch letters, the register import) in its AppConfig.ready() with `register`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    roles: frozenset
    result_template: str | None = None
    result_context: object = None  # callable(job) -> dict, for result_template
    start_url: str | None = None
    start_label: str | None = None


KINDS = {}


def register(name, label, roles, result_template=None, result_context=None, start_url=None, start_label=None):
    """`result_template`, if given, is included in the job page to show the kind's result, with
    what `result_context(job)` returns added to the page's context (a "heading" replaces the
    page's heading). `start_url` names the page that starts such a job; the job list links to it
    for the kind's roles, as `start_label`."""
    KINDS[name] = JobKind(name, label, frozenset(roles), result_template, result_context, start_url, start_label)


def roles_for(name):
    kind = KINDS.get(name)
    return kind.roles if kind else frozenset()


def result_template(name):
    kind = KINDS.get(name)
    return kind.result_template if kind else None


def result_context(job):
    kind = KINDS.get(job.kind)
    return kind.result_context(job) if kind and kind.result_context else {}


def kinds_for_role(role):
    return [name for name, kind in KINDS.items() if role in kind.roles]


def start_links(role):
    """(URL name, label) of the pages that start a job the role may start."""
    return [(kind.start_url, kind.start_label) for kind in KINDS.values() if kind.start_url and role in kind.roles]
