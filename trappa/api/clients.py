"""Registering and approving machine clients, with the separation of duties of staff accounts:
an administrator registers a client, and a different administrator approves it before it
gets a token. Scopes are checked against the Scope list."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from trappa.accounts.models import Role, User
from trappa.api.models import SERVICE_USER_PREFIX, Client
from trappa.api.scopes import Scope


def _check_manager(user, municipality):
    if not (user.is_active and user.role == Role.ADMINISTRATOR and user.municipality_id == municipality.pk):
        raise PermissionDenied


@transaction.atomic
def register_client(by, name, scopes, *, unit=None, role=Role.CASEWORKER, helseid_client_id=None):
    """Register a client (not yet usable); returns (client, secret). The secret is shown only now."""
    municipality = by.municipality
    _check_manager(by, municipality)
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise ValidationError(f"Unknown or no scopes: {sorted(unknown)}")
    if unit is not None and unit.municipality_id != municipality.pk:
        raise PermissionDenied
    user = User(username=f"{SERVICE_USER_PREFIX}{municipality.number}:{name}"[:150], first_name=name[:150])
    user.municipality, user.unit, user.role = municipality, unit, role
    user.set_unusable_password()
    user.save()
    client = Client(municipality=municipality, name=name, scopes=sorted(set(scopes)), user=user, created_by=by)
    client.client_id, secret = Client.new_client_id(), Client.new_secret()
    client.set_secret(secret)
    client.helseid_client_id = helseid_client_id or None
    client.save()
    return client, secret


def approve_client(by, client):
    """Approve a client: an administrator of its municipality other than the one who registered it."""
    _check_manager(by, client.municipality)
    if by.pk == client.created_by_id:
        raise PermissionDenied("A client is approved by someone other than the one who registered it")
    client.approved_by, client.approved_at = by, timezone.now()
    client.save(update_fields=["approved_by", "approved_at"])


def new_secret(by, client):
    """Replace a client's secret (the old one stops working at once); returns the new secret."""
    _check_manager(by, client.municipality)
    secret = Client.new_secret()
    client.set_secret(secret)
    client.save(update_fields=["secret_hash"])
    return secret


def deactivate_client(by, client):
    _check_manager(by, client.municipality)
    client.active = False
    client.save(update_fields=["active"])
    client.tokens.all().delete()
