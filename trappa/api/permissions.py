"""Scope checks: a view names the scope it needs as `required_scope`."""

from rest_framework.permissions import BasePermission

from trappa.api.authentication import ApiIdentity


class HasScope(BasePermission):
    message = "The token does not carry the scope this endpoint needs."

    def has_permission(self, request, view):
        identity = request.auth
        if not isinstance(identity, ApiIdentity):
            return False
        return view.required_scope in identity.scopes


class HasRole(BasePermission):
    """As the pages' role lists (@person_view(*ROLES)): a view with `required_roles` refuses a client whose
    role is not among them, before any lookup, so the refusal reveals nothing."""

    def has_permission(self, request, view):
        roles = getattr(view, "required_roles", None)
        if roles is None or request.user.role in roles:
            return True
        self.message = view.role_refusal
        return False
