"""Public pages of the staircase: no login, no personal data (`@public`)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation

from trappa.accounts.models import Municipality
from trappa.accounts.routes import public
from trappa.catalogue import public as pages
from trappa.catalogue.models import CaregiverInfo, Offering, TargetGroup


def municipalities_with_catalogue():
    return Municipality.objects.filter(steps__isnull=False).distinct().order_by("name")


def _render(request, municipality, template, context):
    with translation.override(pages.language_for(request, municipality)):
        return render(request, template, {"municipality": municipality, "entries": pages.ENTRIES, **context})


@public
def index(request):
    """All municipalities; with only one, its staircase straight away."""
    municipalities = list(municipalities_with_catalogue())
    if len(municipalities) == 1:
        return redirect("catalogue:staircase", municipality=municipalities[0].slug)
    return render(request, "catalogue/index.html", {"municipalities": municipalities})


@public
def staircase(request, municipality):
    municipality = get_object_or_404(Municipality, slug=municipality)
    steps = pages.group_by_step(municipality, pages.published(municipality))
    return _render(request, municipality, "catalogue/staircase.html", {"steps": steps})


@public
def offering_detail(request, municipality, code):
    municipality = get_object_or_404(Municipality, slug=municipality)
    offering = get_object_or_404(
        Offering.objects.published().select_related("step", "municipality"), municipality=municipality, code=code
    )
    with translation.override(pages.language_for(request, municipality)):
        target_groups = [str(TargetGroup(value).label) for value in offering.target_groups]
    context = {"offering": offering, "target_groups": target_groups}
    return _render(request, municipality, "catalogue/offering.html", context)


@public
def entry(request, municipality, entry):
    municipality = get_object_or_404(Municipality, slug=municipality)
    if entry not in pages.ENTRIES_BY_CODE:
        raise Http404
    chosen = pages.ENTRIES_BY_CODE[entry]
    offerings = pages.offerings_for_entry(municipality, chosen)
    context = {
        "entry": chosen,
        "steps": [(s, o) for s, o in pages.group_by_step(municipality, offerings) if o],
        "caregiver_info": CaregiverInfo.objects.filter(municipality=municipality).first()
        if chosen.code == "caregiver"
        else None,
    }
    return _render(request, municipality, "catalogue/entry.html", context)


def urls_for_accessibility_tests():
    """Concrete public URLs with kwargs, for the axe-core browser test (needs loaded data)."""
    urls = [reverse("catalogue:index")]
    for municipality in municipalities_with_catalogue():
        urls.append(reverse("catalogue:staircase", args=[municipality.slug]))
        first = Offering.objects.published().filter(municipality=municipality).order_by("step__position").first()
        if first:
            urls.append(reverse("catalogue:offering", args=[municipality.slug, first.code]))
        urls += [reverse("catalogue:entry", args=[municipality.slug, e.code]) for e in pages.ENTRIES]
    return urls
