"""The first-contact mapping: a short form, then the suggestions it ends in, each a referral in one click."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.people.access import get_person_for_user
from trappa.referrals import mapping as first_contact
from trappa.referrals.access import get_mapping_for_user, get_referral_for_user
from trappa.referrals.forms import MappingForm
from trappa.referrals.roles import REFERRAL_ROLES


@person_view(*REFERRAL_ROLES)
def new_mapping(request, person_id):
    person = get_person_for_user(request, person_id, "first-contact mapping form")
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                mapping = first_contact.create(person, request.user, form.cleaned_data)
                get_mapping_for_user(request, mapping.pk, AccessAction.CREATE)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The mapping is saved."))
            return redirect("referrals:mapping", mapping_id=mapping.pk)
    return render(request, "referrals/new_mapping.html", {"person": person, "form": form})


@person_view(*REFERRAL_ROLES)
def mapping_detail(request, mapping_id):
    mapping = get_mapping_for_user(request, mapping_id)
    referred = {r.offering_id: r for r in mapping.referrals.open()}
    context = {
        "mapping": mapping,
        "person": mapping.person,
        "suggestions": [(s, referred.get(s.offering.pk)) for s in first_contact.suggest(mapping)],
        "referrals": mapping.referrals.select_related("offering__municipality"),
    }
    return render(request, "referrals/mapping.html", context)


@person_view(*REFERRAL_ROLES)
@require_POST
def refer_from_mapping(request, mapping_id):
    """One click on a suggestion: the referral, logged in its transaction."""
    mapping = get_mapping_for_user(request, mapping_id)
    raw = request.POST.get("offering", "")
    # Only ASCII digits: str.isdigit() also takes "²", which int() refuses (a 500, issue #16).
    offering_id = int(raw) if raw.isascii() and raw.isdigit() else None
    try:
        with transaction.atomic():
            referral = first_contact.refer(mapping, offering_id, request.user)
            get_referral_for_user(request, referral.pk, AccessAction.CREATE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The referral is saved."))
    return redirect("referrals:mapping", mapping_id=mapping.pk)
