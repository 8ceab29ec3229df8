"""The staff menu: the pages a logged-in user's role may open.

Who may open a page is declared once, on the view (trappa/accounts/routes.py);
the menu reads that declaration instead of repeating the roles here.
"""

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from trappa.accounts.middleware import needs_verification
from trappa.accounts.routes import may_open

# (URL name, label), in the order of the working day.
ENTRIES = [
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
]


def staff_menu(user):
    if not user.is_authenticated:
        return []
    items = []
    for name, label in ENTRIES:
        url = reverse(name)
        if may_open(user, resolve(url).func):
            items.append({"url": url, "label": label})
    return items


# The pages about one person, linked from the person page.
PERSON_ENTRIES = [
    ("outreach:person", _("Outreach and contacts")),
    ("assessments:person_visits", _("Home visits")),
    ("referrals:person", _("Referrals and groups")),
    ("referrals:plans", _("Individual plan")),
    ("caregivers:recipient", _("Caregivers")),
    ("respite:person", _("Respite stays")),
]


def person_links(user, person_id):
    """The pages about this person the user's role may open (each still checks access itself)."""
    items = []
    for name, label in PERSON_ENTRIES:
        url = reverse(name, kwargs={"person_id": person_id})
        if may_open(user, resolve(url).func):
            items.append({"url": url, "label": label})
    return items


def context(request):
    """Template context processor: `staff_menu`, computed only when a template uses it."""
    # A user who gave only the password sees no staff menu until the second factor is given.
    return {"staff_menu": lambda: [] if needs_verification(request) else staff_menu(request.user)}
