"""Staff pages for the catalogue: edit offerings, their costs and the steps.

Each member of staff edits their own municipality's catalogue only; every save
is versioned (trappa.catalogue.versions) with who and when. No personal data.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trappa.accounts.routes import staff_required
from trappa.catalogue import public, versions
from trappa.catalogue.forms import CaregiverInfoForm, LocationForm, OfferingForm, StepForm, YearlyCostFormSet
from trappa.catalogue.models import Access, CaregiverInfo, Location, Offering, Step
from trappa.catalogue.roles import CAREGIVER_PAGE_EDITORS, CONFIGURATION, EDITORS


def own_municipality(request):
    if request.user.municipality_id is None:
        raise PermissionDenied
    return request.user.municipality


def _get_offering(request, code):
    return get_object_or_404(Offering, municipality=own_municipality(request), code=code)


# Values a citizen needs on the page of an offering one takes part in (not a service by decision):
# when the plans do not give them, the files leave them empty and the staff page lists them here.
TAKE_PART = (Access.OPEN, Access.SIGN_UP, Access.INVITATION)
MISSING_VALUES = (
    ("schedule", gettext_lazy("season and schedule"), lambda o: not o.schedule_nb),
    ("locations", gettext_lazy("where it is held"), lambda o: not o.locations.all()),
    ("fee", gettext_lazy("fee"), lambda o: o.fee is None),
    ("capacity", gettext_lazy("places per group"), lambda o: o.access == Access.SIGN_UP and not o.capacity_per_group),
)


def missing_values(offerings):
    """[(offering, [what is missing])] for the offerings one takes part in that lack values."""
    rows = []
    for offering in offerings.filter(access__in=TAKE_PART).prefetch_related("locations"):
        missing = [label for _code, label, lacks in MISSING_VALUES if lacks(offering)]
        if missing:
            rows.append((offering, missing))
    return rows


@staff_required(*EDITORS)
def manage(request):
    municipality = own_municipality(request)
    offerings = Offering.objects.filter(municipality=municipality).select_related("step", "municipality")
    context = {
        "municipality": municipality,
        "steps": public.group_by_step(municipality, offerings.order_by("step__position", "name_nb")),
        "can_configure": request.user.role in CONFIGURATION,
        "can_edit_caregiver_page": request.user.role in CAREGIVER_PAGE_EDITORS,
        "locations": municipality.locations.all(),
        # Published offerings whose public page can give no phone or e-mail: the data to fill in.
        "missing_contact": offerings.published().filter(contact_phone="", contact_email="").order_by("name_nb"),
        # Values the plans do not give (schedule, place, fee, group size): left empty, listed to fill in.
        "missing_values": missing_values(offerings.order_by("name_nb")),
    }
    return render(request, "catalogue/manage.html", context)


@staff_required(*EDITORS)
def offering_edit(request, code=None):
    municipality = own_municipality(request)
    offering = _get_offering(request, code) if code else Offering(municipality=municipality)
    form = OfferingForm(request.POST or None, instance=offering, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            offering = form.save()
            versions.record(offering, request.user, "created" if code is None else "edited")
        messages.success(request, _("The offering was saved."))
        return redirect("catalogue:manage")
    return render(request, "catalogue/offering_form.html", {"form": form, "offering": offering})


@staff_required(*EDITORS)
def offering_costs(request, code):
    offering = _get_offering(request, code)
    formset = YearlyCostFormSet(request.POST or None, instance=offering)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
            versions.record(offering, request.user, "costs")
        messages.success(request, _("The costs were saved."))
        return redirect("catalogue:manage")
    return render(request, "catalogue/costs_form.html", {"formset": formset, "offering": offering})


@staff_required(*EDITORS)
def offering_history(request, code):
    offering = _get_offering(request, code)
    changes = versions.changes(versions.history(offering))
    return render(request, "catalogue/history.html", {"object": offering, "changes": changes})


@staff_required(*CONFIGURATION)
def step_edit(request, code):
    municipality = own_municipality(request)
    step = get_object_or_404(Step, municipality=municipality, code=code)
    form = StepForm(request.POST or None, instance=step, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            versions.record(step, request.user, "edited")
        messages.success(request, _("The step was saved."))
        return redirect("catalogue:manage")
    changes = versions.changes(versions.history(step))
    return render(request, "catalogue/step_form.html", {"form": form, "step": step, "changes": changes})


@staff_required(*CAREGIVER_PAGE_EDITORS)
def caregiver_edit(request):
    municipality = own_municipality(request)
    info = CaregiverInfo.objects.filter(municipality=municipality).first() or CaregiverInfo(municipality=municipality)
    form = CaregiverInfoForm(request.POST or None, instance=info)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            versions.record(info, request.user, "edited")
        messages.success(request, _("The caregiver page was saved."))
        return redirect("catalogue:manage")
    changes = versions.changes(versions.history(info)) if info.pk else []
    return render(request, "catalogue/caregiver_form.html", {"form": form, "changes": changes})


@staff_required(*CONFIGURATION)
def location_edit(request, code=None):
    municipality = own_municipality(request)
    location = Location(municipality=municipality)
    if code:
        location = get_object_or_404(Location, municipality=municipality, code=code)
    form = LocationForm(request.POST or None, instance=location, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            versions.record(location, request.user, "created" if code is None else "edited")
        messages.success(request, _("The location was saved."))
        return redirect("catalogue:manage")
    changes = versions.changes(versions.history(location)) if location.pk else []
    return render(request, "catalogue/location_form.html", {"form": form, "location": location, "changes": changes})
