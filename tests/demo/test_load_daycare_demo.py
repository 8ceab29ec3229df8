import datetime
import io

from django.core.management import CommandError, call_command

from tests.daycare.base import day_care_offering
from tests.referrals.base import make_offering
from trappa.daycare import services
from trappa.daycare.models import AttendanceDays, DayCarePlace
from trappa.demo.management.commands.load_daycare_demo import PART_WEEK, PLACES, SHARED, SKIP
from trappa.people.models import Person, Sex
from trappa.referrals.models import EnrollmentStatus
from trappa.test import BaseTestCase


class LoadDayCareDemoTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        day_care_offering(cls.vefsn, cls.service_office)
        make_offering(cls.vefsn, cls.service_office, "dagplass-eldre", "Dagtilbud for eldre")
        make_offering(cls.vefsn, cls.service_office, "dagplass-funksjonshemmede", "Dagtilbud")
        Person.objects.bulk_create(
            [
                Person(
                    municipality=cls.vefsn,
                    national_id=f"6{i:010d}",
                    given_name=f"D{i}",
                    family_name="Demo",
                    birth_date=datetime.date(1930, 1, 1),
                    sex=Sex.MALE,
                    municipality_number="1824",
                )
                for i in range(SKIP + 40)
            ]
        )

    def test_it_loads_places_with_persons_holding_them_and_waiting(self):
        call_command("load_daycare_demo", stdout=io.StringIO())
        places = DayCarePlace.objects.filter(group__municipality=self.vefsn).select_related("group")
        self.assertEqual(places.count(), len(PLACES))
        shared = {name for name, _days in SHARED}
        for place in places.exclude(group__name__in=shared):
            row = next(r for r in PLACES if r[1] == place.group.name)
            enrollments = place.group.enrollments
            self.assertEqual(enrollments.filter(status=EnrollmentStatus.ENROLLED).count(), row[5])
            self.assertEqual(enrollments.filter(status=EnrollmentStatus.WAITLISTED).count(), row[6] - row[5])
        # Some hold their place part of the week, on days the place is open.
        part_week = AttendanceDays.objects.select_related("enrollment__group__day_care")
        self.assertEqual(sorted(a.weekdays for a in part_week), sorted(days for _name, days in PART_WEEK + SHARED))
        for days in part_week:
            self.assertLessEqual(set(days.weekdays), set(days.enrollment.group.day_care.weekdays))

    def test_it_is_loaded_once(self):
        call_command("load_daycare_demo", stdout=io.StringIO())
        with self.assertRaises(CommandError):
            call_command("load_daycare_demo", stdout=io.StringIO())

    def test_two_persons_share_one_place_on_different_weekdays(self):
        call_command("load_daycare_demo", stdout=io.StringIO())
        [name] = {name for name, _days in SHARED}
        place = DayCarePlace.objects.select_related("group").get(group__name=name)
        self.assertEqual(place.group.capacity, 1)
        self.assertEqual(place.group.enrollments.filter(status=EnrollmentStatus.ENROLLED).count(), 2)
        self.assertEqual(services.attendance([place])[place.pk], [1, 1, 1, 1, 1, 0, 0])
