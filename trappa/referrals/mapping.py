"""The first-contact mapping (hverdagsmestring, early intervention) and the suggestions it ends in.

Seed 001 §5.1: the hverdagsmestring project «Ressurser i fokus – hverdag med mestring» maps
those who apply for home services for the first time and starts measures that increase their
own coping. Seed 004 §5.2: Nord-Aurdal's early intervention, «kartlegging ved første henvendelse»,
at the foot of its pyramid under everyday rehabilitation. The questions are the plans' own
(see FirstContactMapping); what each answer suggests is below, with the plan it comes from.

A suggestion is an offering of the catalogue whose eligibility rules do not say no
(trappa/assessments/suggestions.py), and one click turns it into a referral: the person's
answer to "what matters" becomes the referral's goals, the hard things its reason.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trappa.assessments import suggestions
from trappa.assessments.models import FactAnswer
from trappa.catalogue.models import Offering
from trappa.referrals import services
from trappa.referrals.models import ContactKind, FirstContactMapping, Pathway

# (answer field, catalogue themes that fit a yes, why), from seed 001 §5.1 «Å fremme selvstendighet».
RULES = (
    ("can_train", {"exercise"}, gettext_lazy("The person can train to become more independent.")),
    (
        "surroundings",
        {"home"},
        gettext_lazy("Something in the surroundings can be changed or adapted."),
    ),
    ("welfare_technology", {"home"}, gettext_lazy("Welfare technology can be of use.")),
)
# Offerings that fit by the kind of contact: hverdagsmestring is Vefsn's project for first-time
# applicants for home services.
BY_KIND = {
    ContactKind.HOME_SERVICES_APPLICATION: (
        {"hverdagsmestring"},
        gettext_lazy("Everyday coping is for those who apply for home services for the first time."),
    ),
}
# A referral to one of these offerings follows its pathway (the report counts it there).
OFFERING_PATHWAYS = {
    "hverdagsrehabilitering": Pathway.EVERYDAY_REHABILITATION,
    "kvardagsrehabilitering": Pathway.EVERYDAY_REHABILITATION,
    "frisklivssentral": Pathway.HEALTHY_LIFE,
    "frisklivssentralen": Pathway.HEALTHY_LIFE,
}
FIELDS = (
    "kind",
    "source",
    "mapped_on",
    "what_matters",
    "challenges",
    "resources",
    "can_train",
    "medical_conditions",
    "surroundings",
    "welfare_technology",
)


def create(person, user, data):
    """Save a mapping from the form's cleaned data."""
    if not person.is_active:
        raise ValidationError(_("The person has died or moved out of the municipality."))
    values = {name: data.get(name) or "" for name in FIELDS if name != "mapped_on"}
    return FirstContactMapping.objects.create(
        municipality=person.municipality, person=person, by=user, mapped_on=data["mapped_on"], **values
    )


def suggest(mapping):
    """The offerings the answers point to, eligible first (the catalogue's rules), each with its reasons."""
    offerings = list(Offering.objects.filter(municipality=mapping.municipality, published=True))
    reasons = {}
    for field, themes, why in RULES:
        if getattr(mapping, field) != FactAnswer.YES:
            continue
        for offering in offerings:
            if themes & set(offering.themes):
                reasons.setdefault(offering, []).append(str(why))
    codes, why = BY_KIND.get(mapping.kind, (set(), ""))
    for offering in offerings:
        if offering.code in codes:
            reasons.setdefault(offering, []).append(str(why))
    return suggestions.checked(mapping.person, reasons, mapping.mapped_on)


@transaction.atomic
def refer(mapping, offering_id, user):
    """One click: refer the person to a suggested offering, from the mapping.

    Under the mapping's row lock, so two clicks at once (a double click, two tabs) refer once."""
    FirstContactMapping.objects.select_for_update().get(pk=mapping.pk)
    suggested = {s.offering.pk: s.offering for s in suggest(mapping)}
    offering = suggested.get(offering_id)
    if offering is None:
        raise ValidationError(_("Only a suggested offering can be referred to from the mapping."))
    if mapping.referrals.filter(offering=offering).open().exists():
        raise ValidationError(_("The person is already referred to this offering from the mapping."))
    referral = services.refer(
        mapping.person,
        offering,
        mapping.source,
        user,
        mapping.challenges,
        unit=offering.unit or user.unit,
        pathway=OFFERING_PATHWAYS.get(offering.code, Pathway.GENERAL),
        mapping=mapping,
    )
    if mapping.what_matters:
        referral.goals = mapping.what_matters
        referral.save(update_fields=["goals"])
    return referral
