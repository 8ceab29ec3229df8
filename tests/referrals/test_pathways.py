"""The pathways that are a service of their own (issue #16): the intervention team after a hospital
or short-term stay (seed 000 §2.5), day rehabilitation (001 §9) and the rehabilitation stay with
its plan and daily physiotherapy (001 §7.1)."""

import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from tests.referrals.base import ReferralTestCase
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.people.models import Sex
from trappa.referrals import reports, services
from trappa.referrals.models import (
    PHYSIOTHERAPY_MINUTES_PER_DAY,
    Pathway,
    PhysiotherapySession,
    Referral,
    Source,
    Status,
)

DAY = datetime.date(2026, 1, 5)


def stay(case, person, on=DAY, **details):
    return services.refer(
        person,
        None,
        Source.HOSPITAL,
        case.alice,
        "hoftebrudd",
        unit=case.physio,
        pathway=Pathway.REHABILITATION_STAY,
        on=on,
        details=details,
    )


def started(referral, user, on):
    services.change_status(referral, Status.RELEVANT, user, on=on)
    return services.change_status(referral, Status.STARTED, user, on=on)


class PathwayServicesTest(ReferralTestCase):
    def test_a_rehabilitation_stay_needs_no_offering_and_keeps_its_plan(self):
        referral = stay(self, self.olga, planned_from=DAY, planned_until=DAY + datetime.timedelta(days=20), ward="LMS")
        self.assertEqual(
            (referral.target, referral.ward, referral.planned_until.day), ("Rehabilitation stay", "LMS", 25)
        )
        self.assertTrue(referral.care_relationship_id)

    def test_the_intervention_team_is_referred_by_the_hospital_or_the_nursing_home(self):
        for source in (Source.HOSPITAL, Source.NURSING_HOME):
            referral = services.refer(
                self.olga, None, source, self.alice, "", unit=self.health, pathway=Pathway.INTERVENTION_TEAM
            )
            self.assertEqual(referral.source, source)
        with self.assertRaisesMessage(ValidationError, "after a hospital or a short-term stay"):
            services.refer(
                self.olga, None, Source.GP, self.alice, "", unit=self.health, pathway=Pathway.INTERVENTION_TEAM
            )

    def test_the_plan_gives_no_length_so_the_follow_up_period_stays_empty(self):
        referral = services.refer(
            self.olga, None, Source.HOSPITAL, self.alice, "", unit=self.health, pathway=Pathway.INTERVENTION_TEAM
        )
        referral = started(referral, self.alice, services.today())
        self.assertEqual((referral.follow_up_until, referral.planned_until), (None, None))

    def test_a_general_referral_still_needs_an_offering_or_a_service(self):
        with self.assertRaisesMessage(ValidationError, "Refer to an offering or a service."):
            services.refer(self.olga, None, Source.GP, self.alice, "", unit=self.health)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Referral.objects.create(
                municipality=self.vefsn, person=self.olga, source="gp", unit=self.health, referred_on=DAY, status_on=DAY
            )

    def test_a_planned_period_that_ends_before_it_starts_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "ends before it starts"):
            stay(self, self.olga, planned_from=DAY, planned_until=DAY - datetime.timedelta(days=1))
        referral = stay(self, self.olga, planned_from=DAY)
        with self.assertRaisesMessage(ValidationError, "ends before it starts"):
            services.set_pathway_details(referral, {"planned_until": DAY - datetime.timedelta(days=3)})

    def test_physiotherapy_is_one_session_a_day_an_hour_unless_told(self):
        referral = stay(self, self.olga)
        services.record_physiotherapy(referral, DAY, self.therapist)
        services.record_physiotherapy(referral, DAY, self.therapist, minutes=45)  # the same day: replaced
        services.record_physiotherapy(referral, DAY + datetime.timedelta(days=1), self.therapist)
        minutes = list(referral.physiotherapy.values_list("minutes", flat=True))
        self.assertEqual(minutes, [45, PHYSIOTHERAPY_MINUTES_PER_DAY])
        self.assertEqual(PHYSIOTHERAPY_MINUTES_PER_DAY, 60)  # seed 001 §7.1: «1 time per dag»

    def test_physiotherapy_is_for_rehabilitation_stays_and_not_in_the_future(self):
        day_rehab = services.refer(
            self.olga, None, Source.GP, self.alice, "", unit=self.physio, pathway=Pathway.DAY_REHABILITATION
        )
        with self.assertRaisesMessage(ValidationError, "recorded for rehabilitation stays"):
            services.record_physiotherapy(day_rehab, services.today(), self.therapist)
        with self.assertRaisesMessage(ValidationError, "cannot be in the future"):
            services.record_physiotherapy(stay(self, self.olga), services.today() + datetime.timedelta(days=1), None)
        self.assertFalse(PhysiotherapySession.objects.exists())

    def test_no_physiotherapy_after_the_stay_ended(self):
        referral = started(stay(self, self.olga), self.therapist, DAY)
        services.change_status(referral, Status.COMPLETED, self.therapist, on=DAY + datetime.timedelta(days=3))
        referral.refresh_from_db()
        services.record_physiotherapy(referral, DAY + datetime.timedelta(days=3), self.therapist)
        with self.assertRaisesMessage(ValidationError, "after the stay ended"):
            services.record_physiotherapy(referral, DAY + datetime.timedelta(days=4), self.therapist)

    def test_no_physiotherapy_on_a_stay_declined_or_assessed_not_relevant(self):
        declined = services.change_status(stay(self, self.olga), Status.DECLINED, self.therapist, on=DAY)
        not_relevant = services.change_status(
            stay(self, self.olga), Status.NOT_RELEVANT, self.therapist, on=DAY, reason="Klarer seg hjemme"
        )
        for referral in (declined, not_relevant):
            with self.subTest(status=referral.status), self.assertRaisesMessage(ValidationError, "no stay"):
                services.record_physiotherapy(referral, DAY + datetime.timedelta(days=1), self.therapist)
        self.assertFalse(PhysiotherapySession.objects.exists())


class PathwayReportTest(ReferralTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        persons = [
            cls.make_person(f"8{i:010d}", f"Stay{i}", "Rehab", datetime.date(1940, 1, 1), Sex.FEMALE) for i in range(5)
        ]
        for n, person in enumerate(persons):
            referral = started(
                stay(cls, person, on=datetime.date(2025, 3, 1)), cls.therapist, datetime.date(2025, 3, 2)
            )
            for day in range(n + 1):
                services.record_physiotherapy(referral, datetime.date(2025, 3, 2 + day), cls.therapist)
        services.refer(
            cls.olga, None, Source.NURSING_HOME, cls.alice, "", unit=cls.health, pathway=Pathway.INTERVENTION_TEAM
        )

    def test_the_rehabilitation_stays_report_counts_the_physiotherapy(self):
        rows = {
            (r.section, r.key): r.value for r in reports.build_pathway(self.vefsn, Pathway.REHABILITATION_STAY, 2025)
        }
        self.assertEqual(rows[("funnel", "received")], 5)
        self.assertEqual(rows[("physiotherapy", "stays")], 5)
        self.assertEqual(rows[("physiotherapy", "sessions")], 15)  # 1 + 2 + 3 + 4 + 5
        self.assertEqual(rows[("physiotherapy", "mean")], 3)

    @override_settings(SMALL_COUNT_THRESHOLD=2)
    def test_the_intervention_team_report_counts_days_from_discharge_and_the_planned_period(self):
        persons = [
            self.make_person(f"9{i:010d}", f"Home{i}", "Team", datetime.date(1940, 1, 1), Sex.MALE) for i in range(5)
        ]
        for n, person in enumerate(persons):
            discharged = datetime.date(2025, 5, 1)
            details = {"discharged_on": discharged, "planned_until": datetime.date(2025, 5, 20)}
            referral = services.refer(
                person,
                None,
                Source.HOSPITAL,
                self.alice,
                "",
                unit=self.health,
                pathway=Pathway.INTERVENTION_TEAM,
                on=discharged,
                details=details,
            )
            started(referral, self.alice, discharged + datetime.timedelta(days=n))
            services.change_status(referral, Status.COMPLETED, self.alice, on=datetime.date(2025, 5, 18 + n))
        rows = {(r.section, r.key): r.value for r in reports.build_pathway(self.vefsn, Pathway.INTERVENTION_TEAM, 2025)}
        self.assertEqual((rows[("discharge", "mean_days")], rows[("discharge", "p75_days")]), (2, 3))
        # Ended on 18, 19, 20, 21 and 22 May, planned until 20 May.
        self.assertEqual(
            (rows[("planned", "within")], rows[("planned", "after")], rows[("planned", "none")]), (3, 2, 0)
        )
        self.assertEqual((rows[("funnel", "received")], rows[("funnel", "completed")]), (5, 5))

    @override_settings(SMALL_COUNT_THRESHOLD=2)
    def test_day_rehabilitation_is_referred_without_an_offering_and_reported_on_its_own(self):
        # Seed 001 §9: day rehabilitation, a service of its own with no offering in the catalogue.
        for n in range(3):
            person = self.make_person(f"7{n:010d}", f"Day{n}", "Rehab", datetime.date(1941, 1, 1), Sex.MALE)
            referral = services.refer(
                person,
                None,
                Source.GP,
                self.therapist,
                "",
                unit=self.physio,
                pathway=Pathway.DAY_REHABILITATION,
                on=datetime.date(2025, 6, 2),
            )
            started(referral, self.therapist, datetime.date(2025, 6, 9))
        rows = {
            (r.section, r.key): r.value for r in reports.build_pathway(self.vefsn, Pathway.DAY_REHABILITATION, 2025)
        }
        self.assertEqual((rows[("funnel", "received")], rows[("funnel", "started")]), (3, 3))
        self.assertNotIn(("physiotherapy", "sessions"), rows)
        other = reports.build_pathway(self.vefsn, Pathway.REHABILITATION_STAY, 2025)
        self.assertEqual(other[0].value, 5)  # the stays of setUpTestData, not these

    @override_settings(SMALL_COUNT_THRESHOLD=6)
    def test_few_stays_hide_their_sessions(self):
        rows = {
            (r.section, r.key): r.value for r in reports.build_pathway(self.vefsn, Pathway.REHABILITATION_STAY, 2025)
        }
        self.assertEqual((rows[("physiotherapy", "stays")], rows[("physiotherapy", "sessions")]), ("<6", None))

    def test_the_report_page_takes_a_pathway_instead_of_an_offering(self):
        self.login(self.planner)
        url = reverse("referrals:report")
        response = self.client.get(url, {"pathway": "rehabilitation_stay", "year": 2025, "format": "csv"})
        rows = {
            (r["section"], r["key"]): r["value"]
            for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        }
        self.assertEqual(rows[("physiotherapy", "sessions")], "15")
        response = self.client.get(url, {"pathway": "rehabilitation_stay", "offering": self.rehab.pk, "year": 2025})
        self.assertContains(response, "Choose an offering or a pathway.")


class PathwayPagesTest(ReferralTestCase):
    def test_the_form_refers_to_a_rehabilitation_stay_with_its_plan_and_logs_it(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("referrals:new", args=[self.olga.pk]),
            {
                "source": "hospital",
                "pathway": "rehabilitation_stay",
                "unit": self.physio.pk,
                "reason": "hoftebrudd",
                "goals": "Gå trappa hjemme",
                "planned_from": "2026-01-05",
                "planned_until": "2026-01-26",
                "ward": "LMS",
            },
        )
        referral = Referral.objects.get()
        self.assertRedirects(response, reverse("referrals:referral", args=[referral.pk]))
        self.assertEqual(
            (referral.pathway, referral.ward, str(referral.planned_until)), ("rehabilitation_stay", "LMS", "2026-01-26")
        )
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, action=AccessAction.CREATE).exists())

    def test_the_form_refuses_the_intervention_team_from_the_gp(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("referrals:new", args=[self.olga.pk]),
            {"source": "gp", "pathway": "intervention_team", "unit": self.health.pk, "reason": "x"},
        )
        self.assertContains(response, "after a hospital or a short-term stay")
        self.assertFalse(Referral.objects.exists())

    def test_sessions_are_recorded_and_counted_on_the_referral_and_person_pages(self):
        referral = stay(self, self.olga)
        self.login(self.therapist)
        url = reverse("referrals:physiotherapy", args=[referral.pk])
        for day in ("2026-01-06", "2026-01-07"):
            self.assertRedirects(
                self.client.post(url, {"on": day, "minutes": "60"}), reverse("referrals:referral", args=[referral.pk])
            )
        self.assertEqual(referral.physiotherapy.count(), 2)
        self.assertTrue(
            AccessLogEntry.objects.filter(
                person=self.olga, action=AccessAction.CHANGE, what=f"referral {referral.pk}"
            ).exists()
        )
        self.assertContains(self.client.get(reverse("referrals:referral", args=[referral.pk])), "2 sessions recorded")
        self.login(self.alice)
        self.assertContains(
            self.client.get(reverse("referrals:person", args=[self.olga.pk])), "2 physiotherapy sessions"
        )

    def test_the_plan_is_changed_from_the_referral_page(self):
        referral = stay(self, self.olga)
        self.login(self.therapist)
        response = self.client.post(
            reverse("referrals:pathway_details", args=[referral.pk]),
            {"goals": "Handle selv", "planned_from": "2026-01-05", "planned_until": "2026-01-02"},
        )
        self.assertContains(response, "The planned period ends before it starts.")
        self.client.post(
            reverse("referrals:pathway_details", args=[referral.pk]),
            {"goals": "Handle selv", "planned_from": "2026-01-05", "planned_until": "2026-01-30", "ward": "Solina"},
        )
        referral.refresh_from_db()
        self.assertEqual(
            (referral.goals, referral.ward, str(referral.planned_until)), ("Handle selv", "Solina", "2026-01-30")
        )

    def test_per_s_stay_is_refused(self):
        referral = stay(self, self.per)
        self.login(self.alice)
        response = self.client.post(reverse("referrals:physiotherapy", args=[referral.pk]), {"on": "2026-01-06"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(PhysiotherapySession.objects.exists())


class FormsOnlyForTheirPathwaysTest(ReferralTestCase):
    """The plan and physiotherapy forms are shown only for their pathways; a POST to another referral is
    refused with a message the page shows, and writes nothing (found by review, #16)."""

    def general(self):
        return services.refer(self.olga, self.rehab, Source.GP, self.alice, "x", unit=self.physio, on=DAY)

    def test_a_plan_is_not_set_on_a_referral_of_another_pathway(self):
        referral = self.general()
        with self.assertRaises(ValidationError):
            services.set_pathway_details(referral, {"ward": "LMS"}, goals="Gå")
        self.login(self.therapist)
        response = self.client.post(
            reverse("referrals:pathway_details", args=[referral.pk]), {"goals": "Gå", "ward": "LMS"}, follow=True
        )
        self.assertContains(response, "has no plan of its own here")
        referral.refresh_from_db()
        self.assertEqual((referral.ward, referral.goals), ("", ""))

    def test_physiotherapy_on_another_pathway_is_refused_with_a_message_shown(self):
        referral = self.general()
        self.login(self.therapist)
        response = self.client.post(
            reverse("referrals:physiotherapy", args=[referral.pk]), {"on": "2026-01-06", "minutes": "60"}, follow=True
        )
        self.assertContains(response, "Physiotherapy sessions are recorded for rehabilitation stays.")
        self.assertFalse(PhysiotherapySession.objects.exists())
