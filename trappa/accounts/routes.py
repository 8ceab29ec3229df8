"""Every view declares who may reach it, with exactly one of these decorators.

The route-matrix test (tests/audit/test_routes.py) walks every URL route of the
project and reads the declaration from the view: a route whose view has none
fails the suite, so no new page can escape access control unnoticed.

- `@public`: anyone, logged in or not; shows no personal data.
- `@staff_required(*roles)`: a logged-in member of staff with one of the roles
  (any role if none are named); shows no personal data (lists of offerings,
  aggregates, import reports without names ...).
- `@person_view(*roles)` (trappa/audit/routes.py, since it rests on the care
  relationships of the audit app): like staff_required, and the view shows or
  changes a named person's data.

The menu (trappa/menu.py) reads the same declaration through `may_open`, so
it never lists a page the user's role cannot open.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PUBLIC = "public"
STAFF = "staff"
PERSON = "person"


def public(view):
    view.trappa_access = PUBLIC
    return view


def second_factor_first(view):
    """A public page that shows a logged-in user more (the staff menu on the front page):
    a user who gave only the password is sent to the second factor first."""
    view.trappa_second_factor_first = True
    return view


def staff_required(*roles):
    return guard(STAFF, frozenset(roles))


def guard(kind, roles, around=None):
    """Declare `kind` and `roles` on the view and check them on every request.

    `around`, if given, wraps the view inside the checks (person_view uses it
    to turn a refused person into the emergency access page).
    """

    def decorator(view):
        inner = around(view) if around else view

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_active or not user.role or user.role_has_expired or (roles and user.role not in roles):
                raise PermissionDenied
            if kind == PERSON and not user.sees_personal_data:
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        wrapper.trappa_access = kind
        wrapper.trappa_roles = roles
        return wrapper

    return decorator


def may_open(user, view):
    """Whether the view's declaration lets `user` open it (the view still checks the person)."""
    kind = getattr(view, "trappa_access", None)
    if kind == PUBLIC:
        return True
    if kind is None or not user.is_authenticated or not user.is_active or not user.role or user.role_has_expired:
        return False
    if kind == PERSON and not user.sees_personal_data:
        return False
    roles = getattr(view, "trappa_roles", frozenset())
    return not roles or user.role in roles
