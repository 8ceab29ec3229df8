"""The kinds of letters Trappa prints, what each may say, and what its privacy notice tells.

An outreach rule may name its own invitation letter (`klassefest`, `disability_benefit` ...):
any letter name not listed here is an invitation.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from trappa.letters.wording import COMMON_PLACEHOLDERS

# Where the data came from (GDPR art. 14(2)(f)); said in the letter's language.
REGISTER = gettext_noop("the National Population Register (Folkeregisteret), through the municipality's copy of it")
DECISION = gettext_noop("the decision on the services you receive, and our case file")
REFERRAL = gettext_noop("the referral or application about you, and our case file")
CAREGIVER = gettext_noop("what you, and the person you help, have told us")

PREVENTION = gettext_noop("to offer older people in the municipality help to stay well and live safely at home")
PLACE = gettext_noop("to give you a place on the course or group, and to follow up your place")
STAYS = gettext_noop("to plan the respite stays that have been decided, and to tell those concerned about them")
AGREEMENT = gettext_noop("to follow up the agreement between you and the municipality")


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    source: str
    purpose: str
    placeholders: tuple = ()
    offer: bool = False

    @property
    def allowed(self):
        return COMMON_PLACEHOLDERS + self.placeholders


KINDS = {
    kind.name: kind
    for kind in [
        Kind("home_visit", _("Invitation to a preventive home visit"), REGISTER, PREVENTION),
        Kind("reminder", _("Reminder of an invitation"), REGISTER, PREVENTION),
        Kind("course_offer", _("Offer of a place on a course or group"), REFERRAL, PLACE, ("offering",), offer=True),
        Kind("waitlist_offer", _("Offer of a freed place (waitlist)"), REFERRAL, PLACE, ("offering",), offer=True),
        Kind("respite", _("Respite and rotation stays, to the person"), DECISION, STAYS),
        Kind("respite_caregiver", _("Respite and rotation stays, to a caregiver"), DECISION, STAYS, ("about",)),
        Kind("agreement", _("Collaboration agreement with a caregiver"), CAREGIVER, AGREEMENT, ("about", "version")),
    ]
}
# The privacy notice printed at the end of every letter (GDPR art. 14), editable like the letters.
PRIVACY = Kind(
    "privacy",
    _("Privacy notice (in every letter)"),
    "",
    "",
    ("source", "purpose", "legal_basis", "retention", "dpo"),
)


def kind_of(name):
    if name == PRIVACY.name:
        return PRIVACY
    return KINDS.get(name) or Kind(name, name, REGISTER, PREVENTION)
