"""The client's address, as the access log and the login lockout see it."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address. Behind TRAPPA_TRUSTED_PROXIES proxies, read X-Forwarded-For
    from the right, since the left part is whatever the client chose to send."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip_for_lockout(request):
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address, never None."""
    return client_ip(request) or ""
