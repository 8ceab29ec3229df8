"""setup_demo: the whole demo as `make demo` loads it, end to end through HTTP."""

import io

from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from trappa.accounts.models import User
from trappa.assessments.models import HomeVisit, Screening
from trappa.caregivers.models import CaregiverLink
from trappa.catalogue.models import Offering
from trappa.daycare.models import DayCarePlace
from trappa.outreach.models import WorklistEntry
from trappa.people.models import Person
from trappa.planning.models import PlanningRun
from trappa.referrals.models import Referral
from trappa.respite.models import PlannedStay
from trappa.volunteers.models import VisitingFriendMatch, VolunteerHours

PASSWORD = "a demo password that is long"


@override_settings(
    DEMO=True, ALLOW_SYNTHETIC_NATIONAL_IDS=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
)
class SetupDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = io.StringIO()
        call_command(
            "setup_demo", "--residents", "2000", "--residents-nord-aurdal", "300", "--password", PASSWORD, stdout=out
        )
        cls.output = out.getvalue()

    def login(self, username):
        user = User.objects.get(username=username)
        self.client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    def test_it_ends_with_the_url_and_the_logins(self):
        tail = self.output[-1500:]
        self.assertIn("http://127.0.0.1:8000", tail)
        self.assertIn(PASSWORD, tail)
        self.assertIn("nurse", tail)

    def test_it_ends_with_fresh_planner_statistics(self):
        self.assertIn("-- analyze:", self.output)
        if connection.vendor == "sqlite":  # on PostgreSQL the suite's role may not analyze (the owner may)
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'people_person'")
                self.assertGreater(cursor.fetchone()[0], 0)

    def test_nord_aurdal_has_residents_users_and_its_own_worklist(self):
        nord_aurdal = Person.objects.filter(municipality__number="3451", municipality_number="3451").active()
        self.assertEqual(nord_aurdal.count(), 300)
        self.assertTrue(User.objects.filter(username="na_nurse", municipality__number="3451").exists())
        self.assertIn("Nord-Aurdal", self.output.split("== build_worklist")[2])

    def test_every_step_loaded_its_data(self):
        self.assertTrue(Offering.objects.filter(municipality__number="1824").exists())
        self.assertTrue(Offering.objects.filter(municipality__number="3451").exists())
        self.assertTrue(WorklistEntry.objects.exists())
        self.assertTrue(PlanningRun.objects.exists())
        self.assertTrue(VolunteerHours.objects.filter(group__isnull=False).exists())
        self.assertTrue(Referral.objects.exists())
        self.assertTrue(CaregiverLink.objects.exists())
        self.assertTrue(DayCarePlace.objects.filter(group__enrollments__status="waitlisted").exists())
        self.assertTrue(PlannedStay.objects.exists())

    def test_the_demo_caregiver_coordinator_sees_the_visiting_friend_matches_marked_invented(self):
        match = VisitingFriendMatch.objects.filter(person__municipality__number="1824").first()
        self.assertIsNotNone(match)
        self.login("caregiver_coordinator")
        self.client.cookies["django_language"] = "en"
        response = self.client.get(f"/volunteers/person/{match.person_id}/")
        self.assertContains(response, match.volunteer.name)
        self.assertContains(response, "the visiting friends and the dates of the consents are invented")

    def test_the_demo_nurse_sees_her_worklist_with_reasons(self):
        self.login("nurse")
        response = self.client.get("/outreach/")
        self.assertEqual(response.status_code, 200)
        entry = WorklistEntry.objects.select_related("person").first()
        self.assertContains(response, entry.person.family_name)

    def test_the_demo_planner_sees_the_projection(self):
        self.login("planner")
        run = PlanningRun.objects.first()
        self.assertEqual(self.client.get(f"/planning/runs/{run.pk}/").status_code, 200)

    @override_settings(LANGUAGE_CODE="en")
    def test_nord_aurdals_planner_sees_its_forty_everyday_rehabilitation_users_marked_invented(self):
        self.login("na_planner")
        offering = Offering.objects.get(municipality__number="3451", code="kvardagsrehabilitering")
        response = self.client.get("/referrals/report/", {"offering": offering.pk, "year": 2017})
        rows = {(row.section, row.key): row.value for row in response.context["rows"]}
        self.assertEqual((rows[("funnel", "received")], rows[("funnel", "started")]), (40, 40))
        self.assertContains(response, "about 40 users have received everyday rehabilitation")

    def test_both_municipalities_have_screenings_before_and_after_their_nurse_may_open(self):
        for number, nurse in (("1824", "nurse"), ("3451", "na_nurse")):
            screenings = Screening.objects.filter(person__municipality__number=number)
            self.assertGreaterEqual(screenings.values("person").distinct().count(), 12)
            self.login(nurse)
            visit = HomeVisit.objects.filter(municipality__number=number).first()
            with self.subTest(number=number):
                self.assertEqual(self.client.get(f"/assessments/visits/{visit.pk}/").status_code, 200)
