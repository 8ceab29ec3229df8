"""What the public pages need: entry points, the municipality's language, grouping.

The entry points match how citizens think ("I care for someone"), not how the
municipality is organised. Each selects offerings by target group, theme or
place; what differs between municipalities is their offerings' data, never
this list.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from trappa.catalogue.models import Offering


@dataclass(frozen=True)
class Entry:
    code: str
    title: str
    intro: str
    target_groups: frozenset = frozenset()
    themes: frozenset = frozenset()
    outside_centre: bool = False

    def matches(self, offering, outside_codes):
        return bool(
            self.target_groups & set(offering.target_groups)
            or self.themes & set(offering.themes)
            or (self.outside_centre and offering.id in outside_codes)
        )


ENTRIES = [
    Entry(
        "caregiver",
        _("I care for someone"),
        _("Offers that give you as a caregiver information, someone to talk to and a break."),
        target_groups=frozenset({"caregivers", "child_caregivers"}),
        themes=frozenset({"relief"}),
    ),
    Entry(
        "bereaved",
        _("I have lost someone"),
        _("Losing a spouse or someone close is hard. These offers can help."),
        target_groups=frozenset({"bereaved"}),
    ),
    Entry(
        "over-75",
        _("I am over 75"),
        _("Offers for older adults, from meeting places to help at home."),
        target_groups=frozenset({"older_75_79", "older_80_plus"}),
    ),
    Entry(
        "outside-centre",
        _("I live outside the centre"),
        _("Offers in the villages, and help that comes to your home."),
        outside_centre=True,
    ),
    Entry(
        "exercise",
        _("I want to exercise"),
        _("Training for strength, balance and a healthier everyday life."),
        themes=frozenset({"exercise"}),
    ),
    Entry(
        "alone",
        _("I feel alone"),
        _("Places and groups where you can meet other people."),
        themes=frozenset({"company"}),
    ),
]
ENTRIES_BY_CODE = {entry.code: entry for entry in ENTRIES}


def language_for(request, municipality):
    """The reader's chosen language, else the municipality's written standard."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return translation.get_language()
    return municipality.written_standard


def published(municipality):
    return (
        Offering.objects.published()
        .filter(municipality=municipality)
        .select_related("step", "municipality")
        .prefetch_related("locations")
        .order_by("step__position", "name_nb")
    )


def offerings_for_entry(municipality, entry):
    offerings = list(published(municipality))
    # "Outside the centre": offerings at a village, or that come to your home.
    outside = {o.id for o in offerings if any(loc.outside_centre or loc.at_home for loc in o.locations.all())}
    return [o for o in offerings if entry.matches(o, outside)]


def group_by_step(municipality, offerings):
    """[(step, [offerings])] for every step, lowest first, empty steps included."""
    groups = {step.id: (step, []) for step in municipality.steps.order_by("position")}
    for offering in offerings:
        groups[offering.step_id][1].append(offering)
    return list(groups.values())
