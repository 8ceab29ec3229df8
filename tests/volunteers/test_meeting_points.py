"""The meeting point for caregivers and volunteers (seed 002 §8) as a record of its own: counts, no names."""

import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trappa.test import BaseTestCase
from trappa.volunteers.models import Meeting, MeetingPoint, Partner, PartnerKind, Volunteer, VolunteerRole


@override_settings(LANGUAGE_CODE="en")
class MeetingPointsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.centre = Partner.objects.create(
            municipality=cls.vefsn, name="Frivilligsentralen", kind=PartnerKind.VOLUNTEER_ORGANISATION
        )
        cls.host = Volunteer.objects.create(
            municipality=cls.vefsn, name="Solveig Moen", role=VolunteerRole.MEETING_POINT
        )
        cls.point = MeetingPoint.objects.create(municipality=cls.vefsn, name="Pårørendekafé", partner=cls.centre)

    def test_the_register_links_to_the_meeting_points(self):
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("volunteers:register")), reverse("volunteers:meeting_points"))

    def test_the_coordinator_adds_a_meeting_point_and_records_a_meeting_with_its_hosts(self):
        self.login(self.coordinator)
        url = reverse("volunteers:meeting_points")
        response = self.client.post(url, {"point-name": "Møtepunkt Mosjøen", "point-place": "Byparken"}, follow=True)
        self.assertContains(response, "The meeting point is saved.")
        self.assertEqual(MeetingPoint.objects.get(name="Møtepunkt Mosjøen").municipality, self.vefsn)
        today = timezone.localdate()
        data = {
            "meeting-meeting_point": self.point.pk,
            "meeting-held_on": today.isoformat(),
            "meeting-caregivers": "7",
            "meeting-hosts": [self.host.pk],
            "meeting-topic": "Avlastning",
        }
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "The meeting is recorded.")
        meeting = Meeting.objects.get()
        self.assertEqual((meeting.caregivers, list(meeting.hosts.all())), (7, [self.host]))
        Meeting.objects.create(meeting_point=self.point, held_on=today - datetime.timedelta(days=400), caregivers=50)
        response = self.client.get(url)
        # One meeting and seven caregivers in the last twelve months: the older meeting is not counted.
        self.assertContains(
            response, "<td>Pårørendekafé</td><td>–</td><td>Frivilligsentralen</td><td>1</td><td>7</td>", html=True
        )

    def test_bad_input_and_a_second_point_of_the_same_name_are_refused(self):
        self.login(self.coordinator)
        url = reverse("volunteers:meeting_points")
        response = self.client.post(url, {"meeting-meeting_point": self.point.pk, "meeting-caregivers": "-1"})
        self.assertContains(response, "Nothing was saved")
        response = self.client.post(url, {"point-name": "Pårørendekafé"})
        self.assertContains(response, "already has a meeting point of that name")
        self.assertFalse(Meeting.objects.exists())
        self.assertEqual(MeetingPoint.objects.count(), 1)

    def test_another_municipality_sees_none_of_it_and_the_planner_is_refused(self):
        self.login(self.charlie)
        self.assertNotContains(self.client.get(reverse("volunteers:meeting_points")), "Pårørendekafé")
        self.login(self.planner)
        self.assertEqual(self.client.get(reverse("volunteers:meeting_points")).status_code, 403)
