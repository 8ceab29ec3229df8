import datetime
import zoneinfo

from django.utils import timezone

from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.people.signals import follow_up_ended
from trappa.test import BaseTestCase

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


class FollowUpEndedTestCase(BaseTestCase):
    def test_a_death_ends_the_persons_current_relationships_from_that_day(self):
        follow_up_ended.send(sender=None, person=self.olga, reason="died", date=datetime.date(2026, 10, 2))
        relationships = CareRelationship.objects.filter(person=self.olga)
        self.assertEqual(relationships.count(), 2)
        for relationship in relationships:
            self.assertEqual(relationship.ended_at, datetime.datetime(2026, 10, 2, tzinfo=OSLO))
            self.assertEqual(relationship.end_reason, "died")
        self.assertFalse(CareRelationship.objects.current().filter(person=self.olga).exists())

    def test_a_move_ends_them_too_and_deletes_nothing(self):
        follow_up_ended.send(sender=None, person=self.olga, reason="moved", date=timezone.localdate())
        self.assertEqual(CareRelationship.objects.filter(person=self.olga, end_reason="moved").count(), 2)

    def test_it_keeps_the_end_of_a_relationship_that_ended_before(self):
        earlier = datetime.datetime(2026, 1, 1, tzinfo=OSLO)
        old = CareRelationship.objects.create(
            person=self.olga,
            unit=self.physio,
            kind=CareRelationshipKind.REFERRAL,
            started_at=earlier - datetime.timedelta(days=30),
            ended_at=earlier,
            end_reason="done",
        )
        follow_up_ended.send(sender=None, person=self.olga, reason="died", date=datetime.date(2026, 10, 2))
        old.refresh_from_db()
        self.assertEqual((old.ended_at, old.end_reason), (earlier, "done"))

    def test_it_leaves_other_persons_alone(self):
        per_relationship = CareRelationship.objects.create(
            person=self.per, user=self.bob, kind=CareRelationshipKind.WORKLIST
        )
        follow_up_ended.send(sender=None, person=self.olga, reason="died", date=datetime.date(2026, 10, 2))
        per_relationship.refresh_from_db()
        self.assertIsNone(per_relationship.ended_at)

    def test_the_nurse_loses_access_after_the_death(self):
        follow_up_ended.send(sender=None, person=self.olga, reason="died", date=timezone.localdate())
        self.login(self.alice)
        from django.urls import reverse

        self.assertEqual(self.client.get(reverse("people:person", args=[self.olga.pk])).status_code, 403)

    def test_it_refuses_an_unknown_reason(self):
        with self.assertRaises(ValueError):
            follow_up_ended.send(sender=None, person=self.olga, reason="retired", date=timezone.localdate())
        self.assertIsNone(CareRelationship.objects.filter(person=self.olga).first().ended_at)
