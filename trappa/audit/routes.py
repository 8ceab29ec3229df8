"""`@person_view(*roles)`: the access declaration of a view that shows or
changes a named person's data (the others, `@public` and `@staff_required`,
are in trappa/accounts/routes.py, with the route-matrix rule).

Like staff_required, and such a view MUST get the person (or the protected
object) through its model's access helper, which checks the care relationship
and writes the access log. Planners and administrators never pass, whatever
roles are named. When the helper refuses a person of the user's own
municipality, the 403 page offers emergency access.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render

from trappa.accounts.models import PERSONAL_DATA_ROLES
from trappa.accounts.routes import PERSON, guard
from trappa.audit.access import AccessRefused, one_log_write
from trappa.audit.forms import EmergencyAccessForm


def person_view(*roles):
    allowed = frozenset(roles) & PERSONAL_DATA_ROLES if roles else PERSONAL_DATA_ROLES
    return guard(PERSON, allowed, around=_offer_emergency_access)


def _offer_emergency_access(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # What the page shows is logged in one write when the view is done (one_log_write).
        with one_log_write(request):
            try:
                return view(request, *args, **kwargs)
            except AccessRefused as refused:
                return _refused(request, refused)

    return wrapper


def _refused(request, refused):
    """The 403 page for a person without a grant: it names nobody, and offers
    emergency access with a reason (the user's municipality was checked)."""
    context = {
        "person_id": refused.person_id,
        "next": request.get_full_path(),
        "minutes": settings.EMERGENCY_ACCESS_MINUTES,
        "form": EmergencyAccessForm(),
    }
    return render(request, "audit/refused.html", context, status=403)
