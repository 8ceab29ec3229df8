"""What the eligibility engine knows about a registered person.

Callers pass a Person they already got through the access helper (a person
page, a worklist); this module never looks a person up itself.
"""

from trappa.catalogue import eligibility


def subject_for_person(person, day, facts=None):
    """Facts (e.g. {"walks_indoors_without_aids": True} from a screening) come from the caller."""
    decisions = [(d.service, d.start_date, d.end_date) for d in person.decisions.all()]
    return eligibility.build_subject(
        day,
        birth_date=person.birth_date,
        marital_status=person.marital_status,
        marital_status_date=person.marital_status_date,
        decisions=decisions,
        facts=facts,
    )


def check_offering(offering, person, day, facts=None):
    """Is this person eligible for the offering on `day`? A `eligibility.Result` with reasons."""
    return eligibility.evaluate(offering.eligibility, subject_for_person(person, day, facts), day)
