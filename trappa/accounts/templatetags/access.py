"""`may_open`: show a link only to a user whose role may open it.

    {% url 'referrals:person' e.person_id as href %}
    {% if href|may_open:user %}<a href="{{ href }}">{{ name }}</a>{% else %}{{ name }}{% endif %}

It reads the route's declaration (trappa/accounts/routes.py), as the menu does, so
no page shows a link that answers 403. It is a builtin (settings.TEMPLATES): every
template has it without `{% load %}`.
"""

from urllib.parse import urlsplit

from django import template
from django.urls import Resolver404, resolve

from trappa.accounts import routes

register = template.Library()


@register.filter
def may_open(url, user):
    """Whether `user` may open the page at `url` (a path, or a URL name without arguments)."""
    path = urlsplit(str(url)).path
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    return routes.may_open(user, view)
