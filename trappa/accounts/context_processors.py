from django.conf import settings


def trappa(request):
    return {
        "trappa_demo": settings.DEMO,
        "oidc_enabled": settings.OIDC_ENABLED,
        # For the locked-out page, which django-axes renders with its own context.
        "lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
