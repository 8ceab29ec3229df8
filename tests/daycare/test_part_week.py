"""Day care taken part of the week: a person's place on some of its weekdays only, the persons coming
each weekday in the overview, and the person's page where the weekdays are set."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError

from tests.daycare.base import day_care_offering, make_place
from trappa.audit.models import AccessLogEntry, CareRelationship, CareRelationshipKind
from trappa.daycare import services
from trappa.daycare.models import AttendanceDays, Kind, TimeOfDay
from trappa.referrals import services as groups
from trappa.test import BaseTestCase


class PartWeekTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offering = day_care_offering(cls.vefsn, cls.service_office)
        cls.persons = [
            cls.make_person(f"0101{n:02d}40000", f"D{n}", "Dagplass", datetime.date(1940, 1, 1), "F") for n in range(3)
        ]

    def setUp(self):
        super().setUp()
        self.place = make_place(self.offering, capacity=2, weekdays="12345")
        self.first = groups.enroll(self.place.group, self.persons[0])
        self.second = groups.enroll(self.place.group, self.persons[1])

    def test_a_person_comes_on_some_of_the_place_s_days_and_the_others_are_free(self):
        self.assertEqual(services.set_days(self.first, ["4", "1"]), "14")
        coming = services.attendance([self.place])[self.place.pk]
        self.assertEqual(coming, [2, 1, 1, 2, 1, 0, 0])
        [(kind, time, days)] = services.weekday_use([self.place])
        self.assertEqual((kind, time), (Kind.DEMENTIA.label, TimeOfDay.DAY.label))
        self.assertEqual(days, [(2, 2), (2, 1), (2, 1), (2, 2), (2, 1), (0, 0), (0, 0)])

    def test_all_the_open_days_is_the_whole_week_again(self):
        services.set_days(self.first, "14")
        services.set_days(self.first, "12345")
        self.assertFalse(AttendanceDays.objects.exists())
        self.assertEqual(services.days_of(self.first, self.place), "12345")

    def test_no_day_a_day_the_place_is_closed_or_a_person_on_the_waitlist_is_refused(self):
        waiting = groups.enroll(self.place.group, self.persons[2])
        for enrollment, days in ((self.first, ""), (self.first, "16"), (waiting, "1")):
            with self.subTest(days=days), self.assertRaises(ValidationError):
                services.set_days(enrollment, days)
        self.assertFalse(AttendanceDays.objects.exists())

    def test_the_overview_shows_the_persons_coming_each_weekday_and_no_names(self):
        services.set_days(self.first, "14")
        self.login(self.caseworker)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        page = self.client.get("/day-care/")
        self.assertContains(page, "Persons coming per weekday")
        self.assertContains(page, "<td>1 of 2</td>", html=False)
        self.assertNotContains(page, "Dagplass")

    def test_the_service_office_sets_a_person_s_days_on_their_page_and_it_is_logged(self):
        person = self.persons[0]
        CareRelationship.objects.create(
            person=person, user=self.caseworker, kind=CareRelationshipKind.WORKLIST, source="test"
        )
        self.login(self.caseworker)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        url = f"/day-care/person/{person.pk}/"
        page = self.client.get(url)
        self.assertContains(page, 'name="weekdays" value="5"')
        self.assertNotContains(page, 'name="weekdays" value="6"')  # the place is closed on Saturday
        response = self.client.post(url, {"enrollment": self.first.pk, "weekdays": ["2", "3"]})
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertEqual(AttendanceDays.objects.get(enrollment=self.first).weekdays, "23")
        self.assertContains(self.client.get(url), "part of the week")
        self.assertTrue(AccessLogEntry.objects.filter(person=person, user=self.caseworker).exists())
        self.assertContains(self.client.get(f"/people/{person.pk}/"), f'href="{url}"')

    def test_another_person_s_place_cannot_be_changed_through_this_person_s_page(self):
        person = self.persons[0]
        CareRelationship.objects.create(
            person=person, user=self.caseworker, kind=CareRelationshipKind.WORKLIST, source="test"
        )
        self.login(self.caseworker)
        self.client.post(f"/day-care/person/{person.pk}/", {"enrollment": self.second.pk, "weekdays": ["2"]})
        self.assertFalse(AttendanceDays.objects.exists())

    def test_a_nurse_may_not_set_the_days(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/day-care/person/{self.olga.pk}/").status_code, 403)
