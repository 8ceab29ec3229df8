"""Every view declares who may reach it, with exactly one of these decorators.

The route-matrix test (tests/audit/test_routes.py) walks every URL route of the
project and reads the declaration from the view: a route whose view has none
fails the suite, so no new page can escape access control unnoticed.

- `@public`: anyone, logged in or not; shows no personal data.
- `@staff_required(*roles)`: a logged-in member of staff with one of the roles
  (any role if none are named); shows no personal data (lists of offerings,
  aggregates, import reports without names ...).
- `@person_view(*roles)`: like staff_required, and the view shows or changes a
  named person's data. Such a view MUST get the person (or the protected
  object) through its model's access helper, which checks the care
  relationship and writes the access log. Planners and administrators never
  pass, whatever roles are named. When the helper refuses a person of the
  user's own municipality, the 403 page offers emergency access.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from trappa.accounts.models import PERSONAL_DATA_ROLES
from trappa.audit.access import AccessRefused

PUBLIC = "public"
STAFF = "staff"
PERSON = "person"


def public(view):
    view.trappa_access = PUBLIC
    return view


def staff_required(*roles):
    return _guard(STAFF, frozenset(roles))


def person_view(*roles):
    allowed = frozenset(roles) & PERSONAL_DATA_ROLES if roles else PERSONAL_DATA_ROLES
    return _guard(PERSON, allowed)


def _guard(kind, roles):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_active or not user.role or (roles and user.role not in roles):
                raise PermissionDenied
            if kind == PERSON and not user.sees_personal_data:
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except AccessRefused as refused:
                return _refused(request, refused)

        wrapper.trappa_access = kind
        wrapper.trappa_roles = roles
        return wrapper

    return decorator


def _refused(request, refused):
    """The 403 page for a person without a grant: it names nobody, and offers
    emergency access with a reason (the user's municipality was checked)."""
    context = {
        "person_id": refused.person_id,
        "next": request.get_full_path(),
        "minutes": settings.EMERGENCY_ACCESS_MINUTES,
    }
    return render(request, "audit/refused.html", context, status=403)
