"""Access helpers for the administrator's pages: users, units and departments
of the administrator's own municipality only. Every user-administration view
gets its objects through these; another municipality's rows are a 404."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from trappa.accounts.models import Unit, User


def managed_municipality(request):
    municipality = request.user.municipality
    if municipality is None:  # an administrator must belong to a municipality to manage one
        raise PermissionDenied
    return municipality


def managed_users(request):
    q = User.objects.filter(municipality=managed_municipality(request))
    return q.select_related("unit", "department")


def get_managed_user(request, user_id):
    return get_object_or_404(managed_users(request), pk=user_id)


def managed_units(request):
    return Unit.objects.filter(municipality=managed_municipality(request)).prefetch_related("departments")
