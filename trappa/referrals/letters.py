"""Offers of a place on a course or group, and of a seat freed on the waitlist, printed through
trappa.letters: what, where, when, the fee and the date to answer by."""

from django.utils import timezone
from django.utils.translation import gettext as _

from trappa.letters.documents import Letter, LetterRefused, Offer, answer_by
from trappa.referrals.models import EnrollmentStatus


def offer_letter(enrollment, fallback_unit, today=None):
    """The offer for this enrollment; LetterRefused for an enrollment that holds no place to offer."""
    if enrollment.status not in (EnrollmentStatus.ENROLLED, EnrollmentStatus.OFFERED):
        raise LetterRefused(_("Only a person with a place, or a place offered, can get an offer letter."))
    group = enrollment.group
    offering = group.offering
    unit = offering.unit or fallback_unit
    today = today or timezone.localdate()
    name = "waitlist_offer" if enrollment.status == EnrollmentStatus.OFFERED else "course_offer"
    first = group.sessions.order_by("starts_at").first()
    offer = Offer(
        what=offering.text("name", enrollment.person.preferred_written_standard()),
        where=", ".join(part for part in (group.location.name, group.location.address) if part)
        if group.location
        else "",
        when=group.starts_on,
        fee=group.fee,
        # An offered seat expires on its own date (services.offer_freed_seat): the letter says that date.
        answer_by=enrollment.offer_expires_on
        if enrollment.status == EnrollmentStatus.OFFERED and enrollment.offer_expires_on
        else answer_by(unit.municipality if unit else enrollment.person.municipality, today),
        when_note=_("First time at %(time)s.") % {"time": timezone.localtime(first.starts_at).strftime("%H:%M")}
        if first
        else "",
    )
    return Letter(
        name,
        enrollment.person,
        unit,
        # One record per enrollment and status: a second offer after a new vacancy is a new letter.
        f"enrollment-{enrollment.pk}-{enrollment.status}-{enrollment.status_at.date().isoformat()}",
        values={"offering": offer.what},
        offer=offer,
        # The group's leader, else the catalogue's contact for the offering, else the unit's contact person.
        responsible=group.leader_name or offering.contact_name,
    )
