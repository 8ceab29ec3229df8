"""The staff menu: the pages a logged-in user's role may open.

Who may open a page is declared once, on the view (trappa/accounts/routes.py);
the menu reads that declaration instead of repeating the roles here.
"""

from functools import cache

from django.urls import get_script_prefix, resolve, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trappa.accounts.middleware import needs_verification
from trappa.accounts.routes import may_open

# (URL name, label), in the order of the working day.
ENTRIES = [
    ("workday", _("My working day")),
    ("outreach:worklist", _("Worklist")),
    ("people:search", _("Find a person")),
    ("referrals:groups", _("Groups and courses")),
    ("referrals:waitlists", _("Waiting lists")),
    ("referrals:workload", _("Coordinators")),
    ("referrals:report", _("Rehabilitation report")),
    ("activity:statistics", _("Service statistics")),
    ("caregivers:worklist", _("Caregivers")),
    ("respite:plan", _("Respite beds")),
    ("respite:capacity", _("Capacity scenario")),
    ("daycare:index", _("Day care")),
    ("volunteers:register", _("Volunteers and partners")),
    ("outreach:acceptance", _("Acceptance rate")),
    ("catalogue:plans", _("Action plans and budget")),
    ("catalogue:effort", _("Effort staircase")),
    ("planning:index", _("Projections to 2050")),
    ("catalogue:manage", _("Edit the catalogue")),
    ("jobs:list", _("Imports and jobs")),
    ("audit:review", _("Access review")),
    ("accounts:users", _("Users")),
    ("accounts:units", _("Units and departments")),
    ("api:clients", _("API clients")),
    ("letters:index", _("Letters")),
    ("accounts:proposals", _("Role approvals")),
]


# The menu's groups, each naming its entries above; a role sees a group only if
# it may open one of its pages.
GROUPS = [
    (_("Today"), ["workday", "outreach:worklist", "people:search", "caregivers:worklist", "respite:plan"]),
    (
        _("Groups and referrals"),
        ["referrals:groups", "referrals:waitlists", "referrals:workload", "referrals:report", "volunteers:register"],
    ),
    (
        _("Planning"),
        [
            "outreach:acceptance",
            "activity:statistics",
            "respite:capacity",
            "daycare:index",
            "catalogue:plans",
            "catalogue:effort",
            "planning:index",
            "catalogue:manage",
        ],
    ),
    (_("Administration"), ["jobs:list", "audit:review", "accounts:users", "accounts:units", "api:clients"]),
]


def staff_menu(user):
    """The entries the user may open, flat, in the order of ENTRIES."""
    if not user.is_authenticated:
        return []
    items = []
    for name, label in ENTRIES:
        if may_open(user, _view(name)):
            items.append({"name": name, "url": reverse(name), "label": label})
    return items


@cache
def _view(name, **kwargs):
    """The view a URL name leads to: the URL configuration does not change while the process runs,
    so each name is resolved once (resolving every entry on every page was a tenth of a person page)."""
    return resolve(reverse(name, kwargs=kwargs)).func


def grouped_menu(user):
    """The same entries in GROUPS: [{label, items}], leaving out groups with nothing to open.

    The same for every user with the same role and state (see _role_key), so it is built once
    per process for each, not on every page; the caller must not change it."""
    return _once_per_role(_MENUS, user, _grouped_menu)


# {_role_key: grouped menu} and {_role_key: [(URL name, label)] of PERSON_ENTRIES}: a few roles,
# a few languages, so a handful of entries for the life of the process.
_MENUS = {}
_PERSON_ENTRIES = {}


def _once_per_role(made, user, make):
    """make(user), kept in `made` for every user alike in _role_key; [] for an anonymous user."""
    if not user.is_authenticated:
        return []
    key = _role_key(user)
    if key not in made:
        made[key] = make(user)
    return made[key]


def _role_key(user):
    """All that may_open reads of a user (trappa/accounts/routes.py), with the language and the
    URL prefix the links are made in: two users alike in these see the same menu."""
    state = (user.role, user.is_active, user.role_has_expired, user.sees_personal_data)
    return (*state, get_language(), get_script_prefix())


def _grouped_menu(user):
    items = {item["name"]: item for item in staff_menu(user)}
    groups = []
    for label, names in GROUPS:
        shown = [items.pop(name) for name in names if name in items]
        if shown:
            groups.append({"label": label, "items": shown})
    # An entry no group names yet is still shown, in the last group, rather than lost.
    if items and groups:
        groups[-1]["items"] += list(items.values())
    elif items:
        groups.append({"label": _("Administration"), "items": list(items.values())})
    return groups


# The pages about one person, linked from the person page.
PERSON_ENTRIES = [
    ("outreach:person", _("Outreach and contacts")),
    ("assessments:person_visits", _("Home visits")),
    ("referrals:person", _("Referrals and groups")),
    ("referrals:plans", _("Individual plan")),
    ("caregivers:recipient", _("Caregivers")),
    ("respite:person", _("Respite stays")),
    ("activity:welfare_technology", _("Welfare technology")),
    ("letters:person", _("Letters sent")),
]


def person_links(user, person_id):
    """The pages about this person the user's role may open (each still checks access itself).
    Which pages is worked out once per role (_role_key); only the person's URLs are made here."""
    entries = _once_per_role(_PERSON_ENTRIES, user, _person_entries)
    return [{"url": reverse(name, kwargs={"person_id": person_id}), "label": label} for name, label in entries]


def _person_entries(user):
    return [(name, label) for name, label in PERSON_ENTRIES if may_open(user, _view(name, person_id=1))]


def context(request):
    """Template context processor: `staff_menu`, computed only when a template uses it."""
    # A user who gave only the password sees no staff menu until the second factor is given.
    return {"staff_menu": lambda: [] if needs_verification(request) else grouped_menu(request.user)}
