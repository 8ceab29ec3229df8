"""The register of volunteers and partners, volunteers on groups, visiting friends with consent, and their hours."""

import datetime

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from tests.activity.base import StatisticsTestCase
from tests.referrals.base import make_group, make_offering
from trappa.volunteers import services
from trappa.volunteers.models import Partner, PartnerKind, Volunteer, VolunteerHours, VolunteerRole

TODAY = datetime.date(2026, 12, 3)


class RegisterTest(StatisticsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.red_cross = Partner.objects.create(
            municipality=cls.vefsn,
            name="Røde Kors",
            kind=PartnerKind.VOLUNTEER_ORGANISATION,
            agreement_signed_on=datetime.date(2025, 1, 1),
        )
        cls.instructor = Volunteer.objects.create(
            municipality=cls.vefsn,
            name="Ingrid Instruktør",
            role=VolunteerRole.INSTRUCTOR,
            organisation=cls.red_cross,
            supervisor=cls.therapist,
            police_certificate_on=datetime.date(2023, 1, 1),
            police_certificate_renew_on=datetime.date(2026, 1, 1),
        )
        cls.friend = Volunteer.objects.create(
            municipality=cls.vefsn, name="Frida Venn", role=VolunteerRole.VISITING_FRIEND
        )
        cls.strong = make_offering(cls.vefsn, cls.health, "sterk-og-stodig", "Sterk og stødig")
        cls.group = make_group(cls.strong)

    def test_the_register_lists_volunteers_partners_and_certificates_due(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("volunteers:register"))
        self.assertContains(response, "Ingrid Instruktør")
        self.assertContains(response, "Røde Kors")
        self.assertEqual(set(Volunteer.objects.certificate_due(TODAY)), {self.instructor, self.friend})

    def test_a_coordinator_adds_a_volunteer(self):
        self.login(self.coordinator)
        data = {"volunteer-name": "Ny Frivillig", "volunteer-role": "meeting_point"}
        self.assertEqual(self.client.post(reverse("volunteers:register"), data).status_code, 302)
        self.assertEqual(Volunteer.objects.get(name="Ny Frivillig").municipality, self.vefsn)

    def test_a_planner_and_charlie_see_nothing_of_vefsns_volunteers(self):
        self.login(self.planner)
        self.assertEqual(self.client.get(reverse("volunteers:register")).status_code, 403)
        self.login(self.charlie)
        self.assertNotContains(self.client.get(reverse("volunteers:register")), "Ingrid")

    def test_an_instructor_needs_a_supervisor_before_a_group(self):
        services.assign_to_group(self.instructor, self.group, TODAY)
        unsupervised = Volunteer.objects.create(municipality=self.vefsn, name="U", role=VolunteerRole.INSTRUCTOR)
        with self.assertRaises(ValidationError):
            services.assign_to_group(unsupervised, self.group, TODAY)
        unsupervised.supervisor = self.alice  # a nurse: the plan has physiotherapists supervise them
        unsupervised.save(update_fields=["supervisor"])
        with self.assertRaisesMessage(ValidationError, "a physiotherapist"):
            services.assign_to_group(unsupervised, self.group, TODAY)

    def test_a_visiting_friend_is_matched_only_with_consent(self):
        with self.assertRaises(ValidationError):
            services.match_visiting_friend(self.friend, self.olga, None, TODAY, self.coordinator)
        with self.assertRaises(ValidationError):
            services.match_visiting_friend(
                self.friend, self.olga, TODAY + datetime.timedelta(days=1), TODAY, self.coordinator
            )
        match = services.match_visiting_friend(self.friend, self.olga, TODAY, TODAY, self.coordinator)
        self.assertEqual(match.person, self.olga)

    @override_settings(SMALL_COUNT_THRESHOLD=1)
    def test_volunteer_hours_are_counted_per_offering(self):
        VolunteerHours.objects.create(
            volunteer=self.instructor, group=self.group, on=datetime.date(2026, 3, 1), hours=2
        )
        VolunteerHours.objects.create(
            volunteer=self.instructor, group=self.group, on=datetime.date(2026, 3, 8), hours=1.5
        )
        VolunteerHours.objects.create(volunteer=self.friend, on=datetime.date(2026, 3, 8), hours=3)
        table = self.csv_table(self.statistics(table="volunteer_hours", year=2026))
        self.assertEqual(table["sterk-og-stodig"]["hours"], "3.5")
        self.assertEqual(table["outside_groups"]["hours"], "3.0")
        self.assertEqual(table["total"]["volunteers"], "2")
