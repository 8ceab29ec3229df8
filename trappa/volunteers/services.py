"""Assigning volunteers to groups and matching visiting friends, with the rules the plans give."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trappa.accounts.models import Role
from trappa.volunteers.models import GroupAssignment, VisitingFriendMatch, VolunteerRole


def assign_to_group(volunteer, group, starts_on):
    if volunteer.municipality_id != group.municipality_id or not volunteer.active:
        raise ValidationError(_("Only an active volunteer of the municipality can help with its groups."))
    # Seed 000 §3.3.6: volunteer instructors of Sterk og stødig are supervised by physiotherapists.
    supervisor = volunteer.supervisor
    if volunteer.role == VolunteerRole.INSTRUCTOR and (supervisor is None or supervisor.role != Role.THERAPIST):
        raise ValidationError(_("A volunteer instructor needs a supervisor (a physiotherapist) first."))
    if GroupAssignment.objects.filter(volunteer=volunteer, group=group).exists():
        raise ValidationError(_("The volunteer already helps with this group."))
    return GroupAssignment.objects.create(volunteer=volunteer, group=group, starts_on=starts_on)


def match_visiting_friend(volunteer, person, consent_on, started_on, user):
    """Match a visiting friend with a person who has consented; refused without consent."""
    if consent_on is None or consent_on > started_on:
        raise ValidationError(_("The person must consent before the visits start."))
    if volunteer.role != VolunteerRole.VISITING_FRIEND or not volunteer.active:
        raise ValidationError(_("Only an active visiting friend can be matched."))
    if volunteer.municipality_id != person.municipality_id:
        raise ValidationError(_("The volunteer and the person belong to different municipalities."))
    return VisitingFriendMatch.objects.create(
        volunteer=volunteer, person=person, consent_on=consent_on, started_on=started_on, created_by=user
    )
