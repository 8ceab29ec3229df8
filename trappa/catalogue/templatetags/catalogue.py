import functools
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from trappa.catalogue import loading

register = template.Library()


@register.filter
def tr(obj, field):
    """`{{ offering|tr:"name" }}`: the text in the active language, with fallback."""
    return obj.text(field)


@register.filter
def nok(amount):
    """Kroner with thin-space thousands, the way Norwegian plans write them: 1 300 000 kr."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount)
    digits = f"{value:,.0f}" if value == value.to_integral() else f"{value:,.2f}"
    return _("%(amount)s kr") % {"amount": digits.replace(",", "\u202f")}


@register.filter
def percent(value):
    value = Decimal(value)
    return f"{value.normalize():f} %" if value else "–"


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def lines(text):
    return [line for line in (text or "").splitlines() if line.strip()]


@register.simple_tag(takes_context=True)
def public_contact(context):
    """The contact of the page's municipality (a public page's, else the user's) for the footer:
    `[contact]` in its data/catalogue municipality.toml, {website, contact_url, phone,
    accessibility_statement_url, privacy_url, name}, or {} if none is known."""
    municipality = context.get("municipality") or getattr(context.get("user"), "municipality", None)
    if not getattr(municipality, "number", None):
        return {}
    contact = _contact(municipality.number)
    return {**contact, "name": municipality.name} if contact else {}


@functools.cache
def _contact(number):
    try:
        found = loading.folders(number)
    except loading.DataError:
        return {}
    return dict(found[0][1].get("contact", {}))
