"""One day-care place shared by two persons who come part of the week on different days: the places
count per weekday (daycare.services.enroll_on_days), so Monday to Wednesday and Thursday and Friday
fill one place, and a day already full is refused."""

import datetime
import threading
from unittest import skipUnless

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, connections
from django.test import TransactionTestCase

from tests.daycare.base import day_care_offering, make_place
from trappa.accounts.models import Municipality, Unit
from trappa.audit.models import AccessLogEntry, CareRelationship, CareRelationshipKind
from trappa.daycare import services
from trappa.daycare.models import AttendanceDays
from trappa.people.models import Person, Sex
from trappa.referrals import services as groups
from trappa.referrals.models import Enrollment, EnrollmentStatus
from trappa.test import BaseTestCase


class SharedPlaceTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offering = day_care_offering(cls.vefsn, cls.service_office)
        cls.persons = [
            cls.make_person(f"0101{n:02d}40000", f"D{n}", "Dagplass", datetime.date(1940, 1, 1), "F") for n in range(4)
        ]

    def setUp(self):
        super().setUp()
        self.place = make_place(self.offering, capacity=1, weekdays="12345")
        self.early = services.enroll_on_days(self.place, self.persons[0], "123")

    def test_two_persons_on_different_weekdays_fill_one_place(self):
        late = services.enroll_on_days(self.place, self.persons[1], ["4", "5"])
        self.assertEqual((self.early.status, late.status), (EnrollmentStatus.ENROLLED, EnrollmentStatus.ENROLLED))
        self.assertEqual(services.attendance([self.place])[self.place.pk], [1, 1, 1, 1, 1, 0, 0])
        [(_kind, _time, days)] = services.weekday_use([self.place])
        self.assertEqual(days[:5], [(1, 1)] * 5)

    def test_a_person_on_a_day_already_full_is_refused_and_nothing_written(self):
        with self.assertRaisesMessage(ValidationError, "Every place is taken on"):
            services.enroll_on_days(self.place, self.persons[1], "34")
        self.assertEqual(Enrollment.objects.filter(group=self.place.group).count(), 1)
        self.assertEqual(AttendanceDays.objects.count(), 1)

    def test_the_days_of_a_person_sharing_the_place_cannot_grow_onto_the_others(self):
        services.enroll_on_days(self.place, self.persons[1], "45")
        with self.assertRaisesMessage(ValidationError, "Every place is taken on"):
            services.set_days(self.early, "12345")
        self.assertEqual(AttendanceDays.objects.get(enrollment=self.early).weekdays, "123")
        services.set_days(self.early, "12")  # fewer days always fit
        self.assertEqual(services.attendance([self.place])[self.place.pk], [1, 1, 0, 1, 1, 0, 0])

    def test_a_whole_week_person_waits_while_every_day_is_full(self):
        services.enroll_on_days(self.place, self.persons[1], "45")
        self.assertEqual(groups.enroll(self.place.group, self.persons[2]).status, EnrollmentStatus.WAITLISTED)
        self.assertIsNone(groups.offer_freed_seat(self.place.group))

    def test_a_whole_week_person_gets_a_place_free_every_day_though_part_week_persons_share_one(self):
        services.set_capacity(self.place, 2)
        services.enroll_on_days(self.place, self.persons[1], "45")  # with the first: one place, two persons
        whole_week = groups.enroll(self.place.group, self.persons[2])
        self.assertEqual(whole_week.status, EnrollmentStatus.ENROLLED)  # three persons, two places, no day full
        waiting = groups.enroll(self.place.group, self.persons[3])
        self.assertEqual(waiting.status, EnrollmentStatus.WAITLISTED)  # now every day is full
        groups.withdraw(whole_week)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, EnrollmentStatus.OFFERED)  # a place free every day again: offered
        self.assertEqual(services.attendance([self.place])[self.place.pk], [2, 2, 2, 2, 2, 0, 0])

    def test_a_place_freed_on_some_days_only_is_not_offered_to_a_whole_week_person(self):
        late = services.enroll_on_days(self.place, self.persons[1], "45")
        waiting = groups.enroll(self.place.group, self.persons[2])
        self.assertIsNone(groups.withdraw(late))  # Thursday and Friday free, Monday to Wednesday still taken
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, EnrollmentStatus.WAITLISTED)

    def test_the_places_may_be_lowered_to_the_busiest_day_and_no_further(self):
        services.enroll_on_days(self.place, self.persons[1], "45")
        services.set_capacity(self.place, 2)
        self.assertEqual(services.set_capacity(self.place, 1), [])
        with self.assertRaises(ValidationError):
            services.set_capacity(self.place, 0)

    def test_a_person_already_holding_the_place_or_on_a_closed_day_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "already holds"):
            services.enroll_on_days(self.place, self.persons[0], "5")
        with self.assertRaisesMessage(ValidationError, "not open"):
            services.enroll_on_days(self.place, self.persons[1], "6")

    def test_the_service_office_gives_a_place_on_some_days_on_the_person_s_page_and_it_is_logged(self):
        person = self.persons[1]
        CareRelationship.objects.create(
            person=person, user=self.caseworker, kind=CareRelationshipKind.WORKLIST, source="test"
        )
        self.login(self.caseworker)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        url = f"/day-care/person/{person.pk}/"
        self.assertContains(self.client.get(url), "Give a place on some weekdays")
        response = self.client.post(url, {"place": self.place.pk, "weekdays": ["4", "5"]})
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertEqual(AttendanceDays.objects.get(enrollment__person=person).weekdays, "45")
        self.assertTrue(AccessLogEntry.objects.filter(person=person, user=self.caseworker).exists())
        other = self.persons[2]
        CareRelationship.objects.create(
            person=other, user=self.caseworker, kind=CareRelationshipKind.WORKLIST, source="t"
        )
        refused = self.client.post(
            f"/day-care/person/{other.pk}/", {"place": self.place.pk, "weekdays": ["5"]}, follow=True
        )
        self.assertContains(refused, "Every place is taken on Friday")
        self.assertFalse(Enrollment.objects.filter(person=other).exists())


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has one writer and no row locks")
class ConcurrentSharedPlaceTest(TransactionTestCase):
    """Two persons asking for the same free days of a shared place at once, from two connections: one gets them."""

    def test_two_requests_for_the_last_free_days_give_them_once(self):
        vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        unit = Unit.objects.create(municipality=vefsn, code="tjenestekontoret", name="Tjenestekontoret")
        place = make_place(day_care_offering(vefsn, unit), capacity=1, weekdays="12345")
        persons = [
            Person.objects.create(
                municipality=vefsn,
                national_id=f"8{n:010d}",
                given_name="P",
                family_name="Test",
                birth_date=datetime.date(1940, 1, 1),
                sex=Sex.FEMALE,
                municipality_number="1824",
            )
            for n in range(3)
        ]
        services.enroll_on_days(place, persons[0], "123")
        barrier, outcomes = threading.Barrier(2), []

        def give(person):
            close_old_connections()
            try:
                barrier.wait()
                services.enroll_on_days(place, person, "45")
                outcomes.append("given")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=give, args=(person,)) for person in persons[1:]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["given", "refused"])
        self.assertEqual(services.attendance([place])[place.pk], [1, 1, 1, 1, 1, 0, 0])


class SeatCountTest(BaseTestCase):
    """The group machinery counts a day-care place's busiest day and a plain group's seats, and knows which it
    is from the group's locked read: a plain group's count is one query."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from tests.referrals.base import make_group, make_offering

        cls.offering = day_care_offering(cls.vefsn, cls.service_office)
        cls.plain = make_group(make_offering(cls.vefsn, cls.physio), capacity=3)
        cls.persons = [
            cls.make_person(f"0201{n:02d}40000", f"S{n}", "Sete", datetime.date(1940, 1, 1), "F") for n in range(3)
        ]

    def test_a_plain_groups_seats_cost_one_query_and_a_places_its_busiest_day(self):
        groups.enroll(self.plain, self.persons[0])
        groups.enroll(self.plain, self.persons[1])
        group = groups.locked_group(self.plain.pk)
        with self.assertNumQueries(1):
            self.assertEqual(groups.seats_taken(group), 2)
        place = make_place(self.offering, capacity=2, weekdays="12345")
        services.enroll_on_days(place, self.persons[0], "123")
        services.enroll_on_days(place, self.persons[1], "45")
        services.enroll_on_days(place, self.persons[2], "1")
        self.assertEqual(groups.seats_taken(groups.locked_group(place.group_id)), 2)
