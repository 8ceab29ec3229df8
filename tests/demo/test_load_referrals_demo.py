import datetime
import io
from collections import Counter

from django.core.management import CommandError, call_command

from tests.referrals.base import ReferralTestCase, make_offering
from trappa.accounts.models import Role
from trappa.people.models import Person, Sex
from trappa.referrals import reports
from trappa.referrals.models import (
    EnrollmentStatus,
    FirstContactMapping,
    Group,
    PhysiotherapySession,
    Referral,
    Status,
)


class LoadReferralsDemoTest(ReferralTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rehab.code = "hverdagsrehabilitering"
        cls.rehab.save(update_fields=["code"])
        cls.strong.code = "sterk-og-stodig"
        cls.strong.save(update_fields=["code"])
        make_offering(cls.vefsn, cls.health, "takk-bare-bra", "Takk, bare bra")
        Person.objects.bulk_create(
            [
                Person(
                    municipality=cls.vefsn,
                    national_id=f"6{i:010d}",
                    given_name=f"D{i}",
                    family_name="Demo",
                    birth_date=datetime.date(1940, 1, 1),
                    sex=Sex.MALE,
                    municipality_number="1824",
                )
                for i in range(160)
            ]
        )

    def test_it_loads_referrals_groups_and_waitlists_with_the_seeds_report(self):
        call_command("load_referrals_demo", "--municipality", "1824", "--year", "2024", stdout=io.StringIO())
        # The cohort is filed under 2017, the year seed 001 reports, whatever the demo year.
        rows = {(r.section, r.key): r.value for r in reports.build(self.rehab, 2017)}
        self.assertEqual((rows[("funnel", "received")], rows[("sppb", "better")]), (63, 19))
        self.assertEqual(reports.build(self.rehab, 2024)[0].value, 0)
        self.assertEqual(Referral.objects.filter(status=Status.WAITING).count(), 6)
        self.assertEqual(Group.objects.count(), 4)
        byparken = Group.objects.get(name="Sterk og stødig, Byparken")
        self.assertEqual(byparken.enrollments.filter(status=EnrollmentStatus.ENROLLED).count(), 12)
        self.assertEqual(byparken.enrollments.filter(status=EnrollmentStatus.WAITLISTED).count(), 5)
        # Issue #16: a few invented records of the pathways the plans name without figures.
        pathways = Counter(Referral.objects.values_list("pathway", flat=True))
        self.assertEqual(
            (pathways["rehabilitation_stay"], pathways["intervention_team"], pathways["day_rehabilitation"]), (2, 2, 1)
        )
        self.assertEqual(PhysiotherapySession.objects.count(), 21 + 8)
        self.assertEqual(FirstContactMapping.objects.count(), 1)

    def test_it_refuses_to_load_twice(self):
        call_command("load_referrals_demo", "--year", "2024", stdout=io.StringIO())
        with self.assertRaisesMessage(CommandError, "already has referrals"):
            call_command("load_referrals_demo", "--year", "2024", stdout=io.StringIO())

    def test_it_refuses_an_unknown_municipality(self):
        with self.assertRaisesMessage(CommandError, "No municipality 9999"):
            call_command("load_referrals_demo", "--municipality", "9999", stdout=io.StringIO())


class LoadNordAurdalReferralsDemoTest(ReferralTestCase):
    """Nord-Aurdal's plan gives about 40 users of everyday rehabilitation (seed 004 §5.2), and nothing more."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kvardag = make_offering(cls.nord_aurdal, cls.na_health, "kvardagsrehabilitering", "Kvardagsrehabilitering")
        cls.na_therapist = cls.make_user("tor", Role.THERAPIST, cls.na_health, municipality=cls.nord_aurdal)
        Person.objects.bulk_create(
            [
                Person(
                    municipality=cls.nord_aurdal,
                    national_id=f"5{i:010d}",
                    given_name=f"N{i}",
                    family_name="Demo",
                    birth_date=datetime.date(1938, 1, 1),
                    sex=Sex.FEMALE,
                    municipality_number="3451",
                )
                for i in range(45)
            ]
        )

    def test_it_loads_forty_started_everyday_rehabilitations_filed_under_2017(self):
        call_command("load_referrals_demo", "--municipality", "3451", "--year", "2024", stdout=io.StringIO())
        rows = {(r.section, r.key): r.value for r in reports.build(self.kvardag, 2017)}
        self.assertEqual((rows[("funnel", "received")], rows[("funnel", "started")]), (40, 40))
        self.assertEqual(rows[("funnel", "open")], 0)
        referrals = Referral.objects.filter(municipality=self.nord_aurdal)
        self.assertEqual(set(referrals.values_list("pathway", flat=True)), {"everyday_rehabilitation"})
        self.assertEqual(set(referrals.values_list("offering__code", flat=True)), {"kvardagsrehabilitering"})
        # Only the cohort: no groups, waitlists or pathways the plan does not name, and nothing in Vefsn.
        self.assertFalse(Group.objects.exists())
        self.assertFalse(Referral.objects.filter(municipality=self.vefsn).exists())

    def test_it_needs_forty_residents(self):
        Person.objects.filter(municipality=self.nord_aurdal, given_name__in=[f"N{i}" for i in range(10)]).delete()
        with self.assertRaisesMessage(CommandError, "Too few residents"):
            call_command("load_referrals_demo", "--municipality", "3451", "--year", "2024", stdout=io.StringIO())
