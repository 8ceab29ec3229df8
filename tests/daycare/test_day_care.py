"""Day care: places by kind, weekdays and time of day, on the groups' seats, waitlist and offers."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.daycare.base import START, day_care_offering, make_place
from trappa.daycare import services
from trappa.daycare.models import DayCarePlace, Kind, TimeOfDay
from trappa.referrals import services as groups
from trappa.referrals.models import EnrollmentStatus
from trappa.test import BaseTestCase


class DayCareTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offering = day_care_offering(cls.vefsn, cls.service_office)
        cls.persons = [
            cls.make_person(f"0101{n:02d}40000", f"D{n}", "Dagplass", datetime.date(1940, 1, 1), "F") for n in range(5)
        ]

    def test_a_place_keeps_its_weekdays_in_order_and_refuses_none(self):
        place = make_place(self.offering, weekdays="531")
        self.assertEqual(place.weekdays, "135")
        self.assertTrue(place.is_open_on(3))
        self.assertFalse(place.is_open_on(2))
        with self.assertRaises(ValidationError):
            make_place(self.offering, weekdays="")

    def test_the_places_fill_then_the_waitlist_and_a_freed_place_is_offered(self):
        place = make_place(self.offering, capacity=2)
        statuses = [groups.enroll(place.group, p, priority=0).status for p in self.persons[:4]]
        self.assertEqual(statuses, ["enrolled", "enrolled", "waitlisted", "waitlisted"])
        first = place.group.enrollments.get(person=self.persons[0])
        offered = groups.withdraw(first)
        self.assertEqual(offered.person, self.persons[2])
        self.assertEqual(offered.status, EnrollmentStatus.OFFERED)

    def test_more_places_are_offered_to_the_waitlist_at_once_by_priority(self):
        place = make_place(self.offering, capacity=1)
        groups.enroll(place.group, self.persons[0])
        groups.enroll(place.group, self.persons[1])
        groups.enroll(place.group, self.persons[2], priority=5)  # came later, more urgent
        offered = services.set_capacity(place, 2)
        self.assertEqual([e.person for e in offered], [self.persons[2]])
        self.assertEqual(place.group.enrollments.filter(status=EnrollmentStatus.OFFERED).count(), 1)
        self.assertEqual(services.set_capacity(place, 2), [])  # nothing more to offer

    def test_the_places_cannot_go_below_those_holding_one(self):
        place = make_place(self.offering, capacity=2)
        groups.enroll(place.group, self.persons[0])
        groups.enroll(place.group, self.persons[1])
        with self.assertRaises(ValidationError):
            services.set_capacity(place, 1)
        place.group.refresh_from_db()
        self.assertEqual(place.group.capacity, 2)

    def test_the_weekday_grid_adds_the_places_open_each_day(self):
        make_place(self.offering, capacity=2, weekdays="12345")
        make_place(self.offering, capacity=3, weekdays="5")
        make_place(self.offering, capacity=4, kind=Kind.SOMATIC, time_of_day=TimeOfDay.EVENING, weekdays="67")
        grid = services.weekday_grid(services.running(self.vefsn, START))
        self.assertEqual([days for _k, _t, days in grid], [[2, 2, 2, 2, 5, 0, 0], [0, 0, 0, 0, 0, 4, 4]])

    def test_a_place_not_yet_started_or_ended_is_not_counted(self):
        make_place(self.offering, starts_on=START + datetime.timedelta(days=30))
        ended = make_place(self.offering)
        ended.group.ends_on = START - datetime.timedelta(days=1)
        ended.group.save(update_fields=["ends_on"])
        self.assertEqual(list(services.running(self.vefsn, START)), [])

    def test_the_scenario_counts_a_person_waiting_twice_once(self):
        day, evening = make_place(self.offering, capacity=1), make_place(self.offering, capacity=1, weekdays="2")
        for place in (day, evening):
            groups.enroll(place.group, self.persons[0])
            groups.enroll(place.group, self.persons[1])  # waits for both
        groups.enroll(day.group, self.persons[2])
        rows = {s.kind: s for s in services.scenario(self.vefsn, {Kind.DEMENTIA: 1}, on=START)}
        dementia = rows[Kind.DEMENTIA]
        self.assertEqual((dementia.places, dementia.seated, dementia.waiting), (2, 2, 2))
        self.assertEqual(dementia.still_waiting, 1)
        self.assertEqual(rows[Kind.SOMATIC].waiting, 0)


class DayCarePagesTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offering = day_care_offering(cls.vefsn, cls.service_office)
        cls.place = make_place(cls.offering, capacity=1, name="Parken dagtilbud")
        groups.enroll(cls.place.group, cls.olga)
        groups.enroll(cls.place.group, cls.per)

    def test_the_overview_shows_counts_and_no_names(self):
        self.login(self.caseworker)
        response = self.client.get(reverse("daycare:index"), {"extra_dementia": 1})
        self.assertContains(response, "Parken dagtilbud")
        self.assertNotContains(response, "Olga")
        self.assertNotContains(response, "Per ")
        summary = {s.kind: (s, waiting, still) for s, _seated, waiting, still in response.context["summary"]}
        self.assertEqual(summary[Kind.DEMENTIA][1:], (1, 0))

    def test_the_planner_sees_small_counts_hidden(self):
        self.login(self.planner)
        response = self.client.get(reverse("daycare:index"))
        self.assertEqual(response.status_code, 200)
        summary = {s.kind: waiting for s, _seated, waiting, _still in response.context["summary"]}
        self.assertEqual(summary[Kind.DEMENTIA], "<5")
        self.assertNotContains(response, reverse("daycare:new"))

    def test_an_administrator_may_not_open_it(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get(reverse("daycare:index")).status_code, 403)

    def test_a_manager_creates_a_place_with_its_weekdays(self):
        self.login(self.unit_leader)
        data = {
            "offering": self.offering.pk,
            "name": "Kveldstilbud demens",
            "kind": Kind.DEMENTIA,
            "time_of_day": TimeOfDay.EVENING,
            "weekdays": ["2", "4"],
            "holidays": "on",
            "capacity": 6,
            "starts_on": "2026-02-02",
        }
        response = self.client.post(reverse("daycare:new"), data)
        self.assertRedirects(response, reverse("daycare:index"))
        place = DayCarePlace.objects.get(group__name="Kveldstilbud demens")
        self.assertEqual((place.weekdays, place.holidays, place.group.capacity), ("24", True, 6))
        self.assertEqual(place.group.municipality, self.vefsn)

    def test_a_nurse_may_not_create_a_place(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("daycare:new")).status_code, 403)

    def test_raising_the_places_offers_the_next_on_the_waitlist(self):
        self.login(self.caseworker)
        response = self.client.post(reverse("daycare:capacity", args=[self.place.pk]), {"capacity": 2})
        self.assertRedirects(response, reverse("daycare:index"))
        waiting = self.place.group.enrollments.get(person=self.per)
        self.assertEqual(waiting.status, EnrollmentStatus.OFFERED)

    def test_another_municipality_cannot_change_the_places(self):
        self.charlie.role = "unit_leader"
        self.charlie.save(update_fields=["role"])
        self.login(self.charlie)
        response = self.client.post(reverse("daycare:capacity", args=[self.place.pk]), {"capacity": 5})
        self.assertEqual(response.status_code, 404)
