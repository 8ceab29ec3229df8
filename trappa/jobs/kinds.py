"""The kinds of job, and which roles may start them and see them run.

What differs between kinds is data: an app above `jobs` registers its own kind
(e.g. batch letters) in its AppConfig.ready() with `register`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Role


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    roles: frozenset
    result_template: str | None = None


KINDS = {}


def register(name, label, roles, result_template=None):
    """`result_template`, if given, is included in the job page to show the kind's result."""
    KINDS[name] = JobKind(name, label, frozenset(roles), result_template)


def roles_for(name):
    kind = KINDS.get(name)
    return kind.roles if kind else frozenset()


def result_template(name):
    kind = KINDS.get(name)
    return kind.result_template if kind else None


def kinds_for_role(role):
    return [name for name, kind in KINDS.items() if role in kind.roles]


IMPORT = "import"
IMPORT_ROLES = (Role.ADMINISTRATOR, Role.CASEWORKER)
register(IMPORT, _("Register import"), IMPORT_ROLES)
