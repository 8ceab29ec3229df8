import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from trappa.audit.access import AccessRefused, check_person_access, grants_for_persons
from trappa.audit.models import AccessReason, CareRelationship, CareRelationshipKind, EmergencyAccess
from trappa.people.access import visible_persons
from trappa.people.models import Sex
from trappa.test import BaseTestCase


class CheckPersonAccessTestCase(BaseTestCase):
    def test_it_grants_a_nurse_her_own_worklist_relationship(self):
        grant = check_person_access(self.alice, self.olga)
        self.assertEqual(grant.reason, AccessReason.CARE_RELATIONSHIP)
        self.assertEqual(grant.care_relationship.user, self.alice)
        self.assertFalse(grant.is_emergency)

    def test_it_grants_through_a_relationship_held_by_the_unit(self):
        grant = check_person_access(self.bob, self.olga)
        self.assertIsNone(grant.care_relationship.user)
        self.assertEqual(grant.care_relationship.unit, self.health)
        self.assertIn("Helsetjenesten", grant.detail)

    def test_it_refuses_a_person_without_a_relationship_and_offers_emergency_access(self):
        with self.assertRaises(AccessRefused) as refused:
            check_person_access(self.alice, self.per)
        self.assertEqual(refused.exception.person_id, self.per.pk)

    def test_it_refuses_a_user_of_another_unit(self):
        with self.assertRaises(PermissionDenied):
            check_person_access(self.therapist, self.olga)

    def test_it_refuses_after_the_relationship_ended(self):
        CareRelationship.objects.filter(person=self.olga).update(ended_at=timezone.now())
        with self.assertRaises(AccessRefused):
            check_person_access(self.alice, self.olga)

    def test_it_honours_a_relationship_ending_in_the_future(self):
        CareRelationship.objects.filter(person=self.olga).update(ended_at=timezone.now() + datetime.timedelta(days=1))
        self.assertEqual(check_person_access(self.alice, self.olga).reason, AccessReason.CARE_RELATIONSHIP)

    def test_it_ignores_a_relationship_that_has_not_started(self):
        CareRelationship.objects.create(
            person=self.per,
            user=self.alice,
            kind=CareRelationshipKind.WORKLIST,
            started_at=timezone.now() + datetime.timedelta(days=1),
        )
        with self.assertRaises(AccessRefused):
            check_person_access(self.alice, self.per)

    def test_it_hides_a_person_of_another_municipality_behind_a_404(self):
        with self.assertRaises(Http404):
            check_person_access(self.charlie, self.olga)

    def test_it_hides_a_person_of_another_municipality_even_with_a_relationship(self):
        CareRelationship.objects.create(person=self.olga, user=self.charlie, kind=CareRelationshipKind.WORKLIST)
        with self.assertRaises(Http404):
            check_person_access(self.charlie, self.olga)

    def test_it_never_lets_the_planner_or_administrator_see_a_person(self):
        for user in (self.planner, self.administrator):
            CareRelationship.objects.create(person=self.olga, user=user, kind=CareRelationshipKind.WORKLIST)
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied) as refused:
                check_person_access(user, self.olga)
            self.assertNotIsInstance(refused.exception, AccessRefused)

    def test_it_refuses_an_inactive_user(self):
        self.alice.is_active = False
        self.alice.save(update_fields=["is_active"])
        with self.assertRaises(PermissionDenied):
            check_person_access(self.alice, self.olga)

    def test_it_grants_an_active_emergency_access(self):
        emergency = EmergencyAccess.objects.create(
            user=self.alice,
            person=self.per,
            reason="Fell at home, ambulance asks",
            expires_at=timezone.now() + datetime.timedelta(minutes=5),
        )
        grant = check_person_access(self.alice, self.per)
        self.assertTrue(grant.is_emergency)
        self.assertEqual(grant.emergency_access, emergency)
        self.assertEqual(grant.detail, "Fell at home, ambulance asks")

    def test_it_refuses_an_expired_emergency_access(self):
        EmergencyAccess.objects.create(
            user=self.alice,
            person=self.per,
            reason="Fell at home, ambulance asks",
            granted_at=timezone.now() - datetime.timedelta(hours=3),
            expires_at=timezone.now() - datetime.timedelta(hours=1),
        )
        with self.assertRaises(AccessRefused):
            check_person_access(self.alice, self.per)

    def test_it_does_not_share_one_users_emergency_access_with_another(self):
        EmergencyAccess.objects.create(
            user=self.alice,
            person=self.per,
            reason="Fell at home, ambulance asks",
            expires_at=timezone.now() + datetime.timedelta(minutes=5),
        )
        with self.assertRaises(AccessRefused):
            check_person_access(self.bob, self.per)


class VisiblePersonsTestCase(BaseTestCase):
    def test_it_lists_only_persons_with_a_grant(self):
        self.assertEqual(list(visible_persons(self.alice)), [self.olga])
        self.assertEqual(list(visible_persons(self.bob)), [self.olga])
        self.assertEqual(list(visible_persons(self.therapist)), [])

    def test_it_lists_nothing_for_the_planner_administrator_and_other_municipality(self):
        CareRelationship.objects.create(person=self.olga, user=self.planner, kind=CareRelationshipKind.WORKLIST)
        CareRelationship.objects.create(person=self.olga, user=self.charlie, kind=CareRelationshipKind.WORKLIST)
        for user in (self.planner, self.administrator, self.charlie):
            with self.subTest(user=user.username):
                self.assertEqual(list(visible_persons(user)), [])

    def test_it_lists_a_person_once_even_with_several_grants(self):
        EmergencyAccess.objects.create(
            user=self.alice,
            person=self.olga,
            reason="Checking an old record now",
            expires_at=timezone.now() + datetime.timedelta(minutes=5),
        )
        self.assertEqual(list(visible_persons(self.alice)), [self.olga])

    def test_it_prefers_the_care_relationship_to_an_emergency_access(self):
        EmergencyAccess.objects.create(
            user=self.alice,
            person=self.olga,
            reason="Checking an old record now",
            expires_at=timezone.now() + datetime.timedelta(minutes=5),
        )
        grants = grants_for_persons(self.alice, [self.olga, self.per])
        self.assertEqual(list(grants), [self.olga.pk])
        self.assertEqual(grants[self.olga.pk].care_relationship.user, self.alice)

    def test_it_ignores_persons_of_another_municipality_in_bulk(self):
        other = self.make_person(
            "01917000039", "Nils", "Aurdal", datetime.date(1970, 11, 1), Sex.MALE, municipality=self.nord_aurdal
        )
        CareRelationship.objects.create(person=other, user=self.alice, kind=CareRelationshipKind.WORKLIST)
        self.assertEqual(grants_for_persons(self.alice, [other]), {})
