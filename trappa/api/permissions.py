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
