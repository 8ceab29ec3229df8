from django.conf import settings


def trappa(request):
    return {"trappa_demo": settings.DEMO}
