import datetime

from django.core.exceptions import ValidationError

from tests.referrals.base import ReferralTestCase, make_offering, make_referral
from trappa.audit.access import has_grant
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.referrals import reports, services
from trappa.referrals.models import Referral, Source, Status


class ReferTest(ReferralTestCase):
    def test_it_refers_in_one_step_and_gives_the_unit_access(self):
        referral = make_referral(self, self.per, source=Source.GP)
        self.assertEqual(referral.status, Status.REFERRED)
        self.assertEqual(referral.unit, self.physio)
        relationship = CareRelationship.objects.get(source=f"referral:{referral.pk}")
        self.assertEqual((relationship.kind, relationship.unit), (CareRelationshipKind.REFERRAL, self.physio))
        self.assertTrue(has_grant(self.therapist, self.per))
        self.assertEqual(list(referral.steps.values_list("status", flat=True)), [Status.REFERRED])

    def test_it_rejects_an_unknown_source_and_writes_nothing(self):
        with self.assertRaises(ValidationError):
            make_referral(self, self.per, source="neighbour")
        self.assertFalse(Referral.objects.exists())
        self.assertFalse(CareRelationship.objects.filter(kind=CareRelationshipKind.REFERRAL).exists())

    def test_it_rejects_an_offering_of_another_municipality(self):
        other = make_offering(self.nord_aurdal, self.na_health, "trim", "Trim")
        with self.assertRaises(ValidationError):
            make_referral(self, self.per, offering=other)
        self.assertFalse(Referral.objects.exists())

    def test_it_keeps_the_date_of_each_step(self):
        referral = make_referral(self, self.per, on=datetime.date(2026, 1, 5))
        services.change_status(referral, Status.RELEVANT, self.therapist, on=datetime.date(2026, 1, 7))
        services.change_status(referral, Status.WAITING, self.therapist, on=datetime.date(2026, 1, 8))
        services.change_status(referral, Status.STARTED, self.therapist, on=datetime.date(2026, 2, 1))
        steps = list(referral.steps.values_list("status", "on"))
        self.assertEqual(steps[-1], (Status.STARTED, datetime.date(2026, 2, 1)))
        self.assertEqual(len(steps), 4)

    def test_it_refuses_a_step_out_of_order(self):
        referral = make_referral(self, self.per)
        with self.assertRaises(ValidationError):
            services.change_status(referral, Status.COMPLETED, self.therapist)
        referral.refresh_from_db()
        self.assertEqual(referral.status, Status.REFERRED)

    def test_it_requires_the_reason_for_not_relevant(self):
        referral = make_referral(self, self.per)
        with self.assertRaises(ValidationError):
            services.change_status(referral, Status.NOT_RELEVANT, self.therapist, reason="  ")

    def test_a_closed_referral_keeps_access_for_thirty_days(self):
        referral = make_referral(self, self.per)
        services.change_status(referral, Status.NOT_RELEVANT, self.therapist, reason="manages well")
        relationship = CareRelationship.objects.get(source=f"referral:{referral.pk}")
        self.assertIsNotNone(relationship.ended_at)
        self.assertTrue(has_grant(self.therapist, self.per))
        relationship.ended_at = relationship.ended_at - services.REFERRAL_ACCESS_AFTER_CLOSE
        relationship.save(update_fields=["ended_at"])
        self.assertFalse(has_grant(self.therapist, self.per))

    def test_a_healthy_life_prescription_follows_up_for_twelve_weeks(self):
        referral = make_referral(self, self.per, pathway="healthy_life", on=datetime.date(2026, 2, 27))
        services.change_status(referral, Status.RELEVANT, self.therapist, on=datetime.date(2026, 3, 1))
        services.change_status(referral, Status.STARTED, self.therapist, on=datetime.date(2026, 3, 2))
        referral.refresh_from_db()
        self.assertEqual(referral.follow_up_until, datetime.date(2026, 5, 25))

    def test_it_refuses_a_person_who_has_died(self):
        self.per.date_of_death = datetime.date(2026, 1, 1)
        self.per.save(update_fields=["date_of_death"])
        with self.assertRaises(ValidationError):
            make_referral(self, self.per)
        self.assertFalse(Referral.objects.exists())

    def test_the_partners_who_find_people_are_referral_sources_counted_in_the_report(self):
        # Seed 000 §3.0: fire and rescue, the dementia team, the volunteer sector and specialist services
        # find and refer people beside the GP and the home services.
        partners = (Source.FIRE_RESCUE, Source.DEMENTIA_TEAM, Source.VOLUNTEER, Source.SPECIALIST)
        for source in partners:
            make_referral(self, self.per, source=source, on=datetime.date(2026, 3, 2))
            services.change_status(Referral.objects.latest("pk"), Status.NOT_RELEVANT, self.therapist, reason="x")
        with self.settings(SMALL_COUNT_THRESHOLD=1):
            rows = {(r.section, r.key): r.value for r in reports.build(self.rehab, 2026)}
        self.assertEqual([rows[("source", source.value)] for source in partners], [1, 1, 1, 1])
