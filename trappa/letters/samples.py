"""A made-up reader for previews of a letter text: no one's personal data is printed."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from trappa.letters.documents import Letter, Offer, answer_by
from trappa.people.models import Person


def sample_person(municipality, language):
    return Person(
        municipality=municipality,
        given_name="Kari",
        family_name="Nordmann",
        street_address="Storgata 1",
        postal_code="0000",
        postal_place=municipality.name,
        written_standard="" if language == "en" else language,
        language="en" if language == "en" else "",
        interpreter_needed=True,
    )


def sample_letter(name, unit, today, language):
    """A letter of this name to the sample person, with made-up values for what the letter shows."""
    municipality = unit.municipality if unit else None
    if municipality is None:
        return Letter(name, None, None, "preview")
    person = sample_person(municipality, language)
    letter = Letter(name, person, unit, "preview", values={"offering": _("Strong and steady"), "about": "Ola Nordmann"})
    letter.values["version"] = 1
    if letter.kind.offer:
        letter.offer = Offer(
            what=_("Strong and steady"),
            where="Storgata 1",
            when=today + datetime.timedelta(days=21),
            fee=Decimal("300"),
            answer_by=answer_by(municipality, today),
        )
    if name in ("respite", "respite_caregiver"):
        day = today + datetime.timedelta(days=14)
        stays = [{"start": day, "end": day + datetime.timedelta(days=7), "where": unit.name}]
        letter.extra_template, letter.extra = "letters/stays.html", {"stays": stays}
    if name == "agreement":
        letter.extra_template = "letters/agreement_terms.html"
        letter.extra = {"caregiver_does": "…", "service_does": "…", "review_date": today + datetime.timedelta(days=180)}
    return letter
