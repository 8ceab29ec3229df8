"""Demo volunteers and partners, volunteers on groups, and their hours.

The partners are the ones the plans name: the volunteer centre ("frivillige tilbud og
Frivilligsentral"), the volunteer base for seniors ("Frivillighetsbase for seniorer"), the dementia
team ("demensteam/hukommelsesteam") and fire and rescue ("brann/redning"), all in seed 000 §3.0, and
Helgelandssykehuset (seed 002). Everything else is invented: the volunteers, their training and
police-certificate dates, the agreement dates, the hours and the visiting-friend matches with their
consent dates; the volunteers pages say so in the demo.
The two volunteer instructors are the ones load_referrals_demo names on the Sterk og stødig groups
("Randi (frivillig)", "Odd (frivillig)"), supervised by a physiotherapist as seed 000 §3.3.6 asks.

Run after load_demo and load_referrals_demo.
"""

import datetime
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from trappa.accounts.models import Municipality, Role, User
from trappa.people.access import visible_persons
from trappa.referrals.models import Group
from trappa.volunteers import services
from trappa.volunteers.models import (
    Meeting,
    MeetingPoint,
    Partner,
    PartnerKind,
    Volunteer,
    VolunteerHours,
    VolunteerRole,
)

# (name, kind, has an agreement, the seed naming it, its words there).
# The names are the plans'; the agreements are invented.
PARTNERS = [
    ("Frivilligsentralen", PartnerKind.VOLUNTEER_ORGANISATION, True, "000", "frivillige tilbud og Frivilligsentral"),
    ("Frivillighetsbase for seniorer", PartnerKind.VOLUNTEER_ORGANISATION, True, "000", "Frivillighetsbase for"),
    ("Demensteam/hukommelsesteam", PartnerKind.DEMENTIA_TEAM, False, "000", "demensteam/hukommelsesteam"),
    ("Brann og redning", PartnerKind.FIRE_RESCUE, False, "000", "brann/redning"),
    ("Helgelandssykehuset", PartnerKind.SPECIALIST, False, "002", "Helgelandssykehuset"),
]
# (name, role, organisation, training, the group's volunteer instructor on it): invented, see above.
VOLUNTEERS = [
    ("Randi Holm", VolunteerRole.INSTRUCTOR, "Frivillighetsbase for seniorer", "Sterk og stødig-instruktør", "Randi"),
    ("Odd Nilsen", VolunteerRole.INSTRUCTOR, "Frivillighetsbase for seniorer", "Sterk og stødig-instruktør", "Odd"),
    ("Gunn Berg", VolunteerRole.VISITING_FRIEND, "Frivilligsentralen", "Kurs for besøksvenner", None),
    ("Solveig Moen", VolunteerRole.MEETING_POINT, "Frivilligsentralen", "", None),
]
AGREEMENT = "Oppdiktet for demoen: frivillige instruktører og besøksvenner; kommunen gir opplæring og veiledning."
# Seed 002 §8 names the meeting point ("Møtepunkt for pårørende og frivilligheten"); its meetings are invented.
MEETING_POINT = "Møtepunkt for pårørende og frivilligheten"
MEETING_CAREGIVERS = (6, 9, 4, 8, 7, 5)  # caregivers who came to the monthly meetings, latest first (invented)
SESSION_HOURS = Decimal("1.5")  # an instructor's hours per session (invented)
OUTSIDE_GROUPS_HOURS = Decimal("3")  # a visit or an evening at the meeting point, once a month (invented)
# The visiting friend's matches: persons the caregiver coordinator may see, so the person's page shows them;
# the consent (days before the start) and the start (months ago) are invented.
MATCHES = 2
MATCH_CONSENT_DAYS = 14


class Command(BaseCommand):
    help = "Load demo volunteers and partners, volunteers on groups and their hours (after load_referrals_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="1824", help="municipality number (default: 1824, Vefsn)")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']}: run load_demo first.")
        if Volunteer.objects.filter(municipality=municipality).exists():
            raise CommandError("This municipality already has volunteers: the demo is loaded once.")
        therapist = User.objects.filter(municipality=municipality, role=Role.THERAPIST).order_by("username").first()
        if therapist is None:
            raise CommandError("The municipality has no physiotherapist to supervise the instructors: run load_demo.")
        today = timezone.localdate()
        with transaction.atomic():
            partners = self._partners(municipality, today)
            volunteers = self._volunteers(municipality, partners, therapist, today)
            assigned, hours = self._groups_and_hours(municipality, volunteers, today)
            self._meeting_point(municipality, partners, volunteers, today)
            matches = self._matches(municipality, volunteers, today)
        self.stdout.write(
            f"Volunteers: {len(volunteers)} volunteers, {len(partners)} partners, {assigned} on groups, {hours} hours,"
            f" {matches} visiting-friend matches."
        )

    def _partners(self, municipality, today):
        partners = {}
        for name, kind, agreement, _seed, _words in PARTNERS:
            partners[name] = Partner.objects.create(
                municipality=municipality,
                name=name,
                kind=kind,
                agreement_signed_on=datetime.date(today.year - 1, 3, 1) if agreement else None,
                agreement_until=datetime.date(today.year + 2, 12, 31) if agreement else None,
                agreement_summary=AGREEMENT if agreement else "",
            )
        return partners

    def _volunteers(self, municipality, partners, therapist, today):
        volunteers = []
        for n, (name, role, organisation, training, _leader) in enumerate(VOLUNTEERS):
            certified = datetime.date(today.year - 2, 1 + n, 15)
            # One certificate is due for renewal within the month, so the register shows a flag.
            renew = today + datetime.timedelta(days=20) if n == 1 else datetime.date(today.year + 1, 1 + n, 15)
            volunteers.append(
                Volunteer.objects.create(
                    municipality=municipality,
                    name=name,
                    role=role,
                    organisation=partners[organisation],
                    training=training,
                    trained_on=datetime.date(today.year - 2, 2, 1) if training else None,
                    police_certificate_on=certified,
                    police_certificate_renew_on=renew,
                    supervisor=therapist if role == VolunteerRole.INSTRUCTOR else None,
                    availability="Tirsdager og torsdager" if role == VolunteerRole.INSTRUCTOR else "Etter avtale",
                )
            )
        return volunteers

    def _groups_and_hours(self, municipality, volunteers, today):
        """Each instructor on the Sterk og stødig group that names them, with hours on its sessions so far;
        the others with a few hours a month outside groups."""
        groups = Group.objects.filter(municipality=municipality, offering__code="sterk-og-stodig")
        assigned, rows = 0, []
        for volunteer, (*_rest, leader) in zip(volunteers, VOLUNTEERS, strict=True):
            group = next((g for g in groups if leader and g.volunteer_leader.startswith(leader)), None)
            if group is not None:
                services.assign_to_group(volunteer, group, group.starts_on)
                assigned += 1
                days = {s.starts_at.date() for s in group.sessions.all()}
                rows += [
                    VolunteerHours(volunteer=volunteer, group=group, on=day, hours=SESSION_HOURS)
                    for day in sorted(days)
                    if day <= today
                ]
            elif leader is None:
                for months_ago in range(1, 7):
                    day = _months_before(today, months_ago)
                    rows.append(VolunteerHours(volunteer=volunteer, on=day, hours=OUTSIDE_GROUPS_HOURS))
        VolunteerHours.objects.bulk_create(rows)
        return assigned, sum((row.hours for row in rows), Decimal(0))

    def _meeting_point(self, municipality, partners, volunteers, today):
        """The meeting point, run with the volunteer centre, with a meeting a month hosted by its volunteer."""
        point = MeetingPoint.objects.create(
            municipality=municipality, name=MEETING_POINT, partner=partners["Frivilligsentralen"]
        )
        hosts = [v for v in volunteers if v.role == VolunteerRole.MEETING_POINT]
        for months_ago, caregivers in enumerate(MEETING_CAREGIVERS, start=1):
            meeting = Meeting.objects.create(
                meeting_point=point, held_on=_months_before(today, months_ago), caregivers=caregivers
            )
            meeting.hosts.set(hosts)

    def _matches(self, municipality, volunteers, today):
        """The visiting friend matched, with consent, with persons the caregiver coordinator may see."""
        coordinator = (
            User.objects.filter(municipality=municipality, role=Role.CAREGIVER_COORDINATOR, is_active=True)
            .order_by("username")
            .first()
        )
        friend = next((v for v in volunteers if v.role == VolunteerRole.VISITING_FRIEND), None)
        if coordinator is None or friend is None:
            return 0
        persons = visible_persons(coordinator).filter(date_of_death__isnull=True).order_by("pk")[:MATCHES]
        for months_ago, person in enumerate(persons, start=2):
            started = _months_before(today, months_ago)
            consent = started - datetime.timedelta(days=MATCH_CONSENT_DAYS)
            services.match_visiting_friend(friend, person, consent, started, coordinator)
        return len(persons)


def _months_before(day, months):
    """The 10th of the month `months` before `day`'s month."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 10)
