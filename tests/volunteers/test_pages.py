"""The pages that assign volunteers to groups, record their hours and match visiting friends with consent."""

import datetime

from django.urls import reverse

from tests.referrals.base import make_group, make_offering
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.test import BaseTestCase
from trappa.volunteers.models import GroupAssignment, VisitingFriendMatch, Volunteer, VolunteerHours, VolunteerRole

DAY = datetime.date(2026, 12, 1)


class VolunteerPagesTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.instructor = Volunteer.objects.create(
            municipality=cls.vefsn, name="Ingrid Instruktør", role=VolunteerRole.INSTRUCTOR, supervisor=cls.therapist
        )
        cls.unsupervised = Volunteer.objects.create(
            municipality=cls.vefsn, name="Uno Uten", role=VolunteerRole.INSTRUCTOR
        )
        cls.friend = Volunteer.objects.create(
            municipality=cls.vefsn, name="Frida Venn", role=VolunteerRole.VISITING_FRIEND
        )
        cls.group = make_group(make_offering(cls.vefsn, cls.health, "sterk-og-stodig", "Sterk og stødig"))

    def test_the_register_links_to_the_assignments_and_the_hours(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("volunteers:register"))
        self.assertContains(response, reverse("volunteers:assignments"))
        self.assertContains(response, reverse("volunteers:hours"))

    def test_a_coordinator_assigns_a_supervised_instructor_to_a_group(self):
        self.login(self.coordinator)
        data = {"volunteer": self.instructor.pk, "group": self.group.pk, "starts_on": "2026-12-01"}
        response = self.client.post(reverse("volunteers:assignments"), data, follow=True)
        self.assertContains(response, "Ingrid Instruktør helps with")
        self.assertEqual(GroupAssignment.objects.get().group, self.group)

    def test_an_unsupervised_instructor_is_refused_with_the_reason_and_nothing_saved(self):
        self.login(self.coordinator)
        data = {"volunteer": self.unsupervised.pk, "group": self.group.pk, "starts_on": "2026-12-01"}
        response = self.client.post(reverse("volunteers:assignments"), data)
        self.assertContains(response, "a physiotherapist")
        self.assertFalse(GroupAssignment.objects.exists())

    def test_assigning_the_same_volunteer_twice_is_refused_with_the_reason(self):
        self.login(self.coordinator)
        data = {"volunteer": self.instructor.pk, "group": self.group.pk, "starts_on": "2026-12-01"}
        self.client.post(reverse("volunteers:assignments"), data)
        response = self.client.post(reverse("volunteers:assignments"), data)
        self.assertContains(response, "already helps with this group")
        self.assertEqual(GroupAssignment.objects.count(), 1)

    def test_bad_input_is_refused_with_an_error(self):
        self.login(self.coordinator)
        response = self.client.post(reverse("volunteers:assignments"), {"volunteer": "x", "starts_on": "soon"})
        self.assertContains(response, "The assignment was not saved")
        self.assertFalse(GroupAssignment.objects.exists())

    def test_the_get_writes_nothing(self):
        self.login(self.coordinator)
        query = {"volunteer": self.instructor.pk, "group": self.group.pk, "starts_on": "2026-12-01"}
        self.assertEqual(self.client.get(reverse("volunteers:assignments"), query).status_code, 200)
        self.assertEqual(self.client.get(reverse("volunteers:hours"), query).status_code, 200)
        self.assertFalse(GroupAssignment.objects.exists())
        self.assertFalse(VolunteerHours.objects.exists())

    def test_another_municipalitys_volunteer_cannot_be_chosen(self):
        other = Volunteer.objects.create(municipality=self.nord_aurdal, name="Nils", role=VolunteerRole.OTHER)
        self.login(self.coordinator)
        data = {"volunteer": other.pk, "group": self.group.pk, "on": "2026-12-01", "hours": "2"}
        response = self.client.post(reverse("volunteers:hours"), data)
        self.assertContains(response, "The hours were not recorded")
        self.assertFalse(VolunteerHours.objects.exists())

    def test_a_therapist_records_hours_for_a_group_and_outside_groups(self):
        self.login(self.therapist)
        url = reverse("volunteers:hours")
        response = self.client.post(
            url,
            {"volunteer": self.instructor.pk, "group": self.group.pk, "on": "2026-12-01", "hours": "1.5"},
            follow=True,
        )
        self.assertContains(response, "The hours are recorded.")
        self.client.post(url, {"volunteer": self.friend.pk, "group": "", "on": "2026-12-02", "hours": "2"})
        self.assertEqual(sorted(str(h.hours) for h in VolunteerHours.objects.all()), ["1.5", "2.0"])

    def test_hours_out_of_range_are_refused(self):
        self.login(self.therapist)
        for hours in ("0", "-1", "25"):
            data = {"volunteer": self.friend.pk, "on": "2026-12-02", "hours": hours}
            self.assertContains(self.client.post(reverse("volunteers:hours"), data), "at most 24")
        self.assertFalse(VolunteerHours.objects.exists())

    def test_a_planner_may_not_open_the_pages(self):
        self.login(self.planner)
        for name in ("volunteers:assignments", "volunteers:hours"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 403)
        self.assertEqual(self.client.get(reverse("volunteers:person", args=[self.olga.pk])).status_code, 403)

    def test_alice_matches_a_visiting_friend_with_olgas_consent_and_it_is_logged(self):
        self.login(self.alice)
        url = reverse("volunteers:person", args=[self.olga.pk])
        self.assertContains(self.client.get(url), "Frida Venn")
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, user=self.alice).exists())
        data = {"volunteer": self.friend.pk, "consent_on": "2026-11-20", "started_on": "2026-12-01"}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "matched with the person")
        self.assertEqual(VisitingFriendMatch.objects.get().person, self.olga)
        created = AccessLogEntry.objects.filter(person=self.olga, user=self.alice, action=AccessAction.CREATE)
        self.assertTrue(created.exists())

    def test_a_match_without_consent_before_the_visits_is_refused(self):
        self.login(self.alice)
        url = reverse("volunteers:person", args=[self.olga.pk])
        data = {"volunteer": self.friend.pk, "consent_on": "2026-12-05", "started_on": "2026-12-01"}
        self.assertContains(self.client.post(url, data), "must consent before the visits start")
        self.assertContains(
            self.client.post(url, {"volunteer": self.friend.pk, "started_on": "2026-12-01"}), "not saved"
        )
        self.assertFalse(VisitingFriendMatch.objects.exists())

    def test_the_person_page_is_refused_without_a_care_relationship(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("volunteers:person", args=[self.per.pk])).status_code, 403)

    def test_the_persons_page_links_to_the_visiting_friends(self):
        self.login(self.alice)
        response = self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.assertContains(response, reverse("volunteers:person", args=[self.olga.pk]))
