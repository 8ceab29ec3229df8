import datetime
import io

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests import seeds
from tests.referrals.base import make_group, make_offering
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.demo.management.commands.load_volunteers_demo import MEETING_CAREGIVERS, PARTNERS, VOLUNTEERS
from trappa.referrals import services as groups
from trappa.test import BaseTestCase
from trappa.volunteers.models import (
    GroupAssignment,
    MeetingPoint,
    Partner,
    VisitingFriendMatch,
    Volunteer,
    VolunteerHours,
    VolunteerRole,
)


class LoadVolunteersDemoTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        strong = make_offering(cls.vefsn, cls.health, "sterk-og-stodig", "Sterk og stødig")
        today = timezone.localdate()
        cls.randis = make_group(
            strong, name="Sterk og stødig, Byparken", volunteer_leader="Randi (frivillig)", starts_on=today
        )
        cls.odds = make_group(strong, name="Sterk og stødig, Elsfjord", volunteer_leader="Odd (frivillig)")
        # Randi's group: five sessions held, five to come.
        first = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(weeks=4), datetime.time(11)))
        groups.add_weekly_sessions(cls.randis, first, 10)

    def test_it_loads_the_plans_partners_and_invented_volunteers(self):
        call_command("load_volunteers_demo", stdout=io.StringIO())
        self.assertEqual(
            sorted(Partner.objects.filter(municipality=self.vefsn).values_list("name", flat=True)),
            sorted(row[0] for row in PARTNERS),
        )
        for name, _kind, _agreement, seed, words in PARTNERS:
            with self.subTest(partner=name):
                self.assertIn(words.lower(), " ".join(seeds.text(seed).split()).lower())
        volunteers = Volunteer.objects.filter(municipality=self.vefsn)
        self.assertEqual(volunteers.count(), len(VOLUNTEERS))
        for volunteer in volunteers.filter(role=VolunteerRole.INSTRUCTOR):
            self.assertEqual(volunteer.supervisor, self.therapist)  # seed 000 §3.3.6
        self.assertTrue(all(v.police_certificate_on and v.police_certificate_renew_on for v in volunteers))
        self.assertEqual(volunteers.certificate_due(timezone.localdate() + datetime.timedelta(days=30)).count(), 1)

    def test_the_instructors_are_on_the_groups_that_name_them_with_hours_on_sessions_held(self):
        call_command("load_volunteers_demo", stdout=io.StringIO())
        self.assertEqual(GroupAssignment.objects.get(group=self.randis).volunteer.name, "Randi Holm")
        self.assertEqual(GroupAssignment.objects.get(group=self.odds).volunteer.name, "Odd Nilsen")
        randi = VolunteerHours.objects.filter(group=self.randis)
        self.assertEqual(randi.count(), 5)  # the sessions held, none to come
        self.assertTrue(all(h.on <= timezone.localdate() for h in VolunteerHours.objects.all()))
        outside = VolunteerHours.objects.filter(group=None)
        self.assertEqual(set(outside.values_list("volunteer__role", flat=True)), {"visiting_friend", "meeting_point"})

    def test_the_meeting_point_the_strategy_names_has_monthly_meetings(self):
        call_command("load_volunteers_demo", stdout=io.StringIO())
        point = MeetingPoint.objects.get(municipality=self.vefsn)
        self.assertIn(point.name.lower(), " ".join(seeds.text("002").split()).lower())
        meetings = point.meetings.all()
        self.assertEqual([m.caregivers for m in meetings], list(MEETING_CAREGIVERS))
        self.assertTrue(all(m.held_on < timezone.localdate() for m in meetings))
        self.assertEqual({h.name for m in meetings for h in m.hosts.all()}, {"Solveig Moen"})

    def test_it_is_loaded_once(self):
        call_command("load_volunteers_demo", stdout=io.StringIO())
        with self.assertRaises(CommandError):
            call_command("load_volunteers_demo", stdout=io.StringIO())

    @override_settings(DEMO=True, LANGUAGE_CODE="en")
    def test_the_register_shows_them_and_says_what_is_invented(self):
        call_command("load_volunteers_demo", stdout=io.StringIO())
        self.login(self.coordinator)
        response = self.client.get(reverse("volunteers:register"))
        self.assertContains(response, "Randi Holm")
        self.assertContains(response, "Brann og redning")
        self.assertContains(response, "the volunteers, their dates, the agreements and the hours are invented")

    @override_settings(DEMO=True, LANGUAGE_CODE="en")
    def test_the_visiting_friend_is_matched_with_consent_to_a_person_the_coordinator_may_see(self):
        # Per is the service office's case, so the caregiver coordinator may see him; Olga is not.
        CareRelationship.objects.create(
            person=self.per, unit=self.service_office, kind=CareRelationshipKind.CASE, source="test"
        )
        call_command("load_volunteers_demo", stdout=io.StringIO())
        match = VisitingFriendMatch.objects.get()
        self.assertEqual(match.person, self.per)
        self.assertEqual(match.volunteer.role, VolunteerRole.VISITING_FRIEND)
        self.assertLess(match.consent_on, match.started_on)
        self.assertLessEqual(match.started_on, timezone.localdate())
        self.assertEqual(match.created_by, self.coordinator)
        self.login(self.coordinator)
        response = self.client.get(reverse("volunteers:person", args=[self.per.pk]))
        self.assertContains(response, "Gunn Berg")
        self.assertContains(response, "the visiting friends and the dates of the consents are invented")
