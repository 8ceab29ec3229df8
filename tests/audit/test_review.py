import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trappa.audit.models import AccessLogEntry, AccessReason, CareRelationshipKind, EmergencyAccess, EmergencyCategory
from trappa.test import BaseTestCase

REASON = "Ambulance asked about her medicines"


# Assertions read English text; the default language is Norwegian.
@override_settings(ACCESS_REVIEW_THRESHOLD=2, ACCESS_REVIEW_DAYS=30, LANGUAGE_CODE="en")
class ReviewTestCase(BaseTestCase):
    url = reverse("audit:review")

    def test_it_shows_emergency_accesses_of_the_leaders_unit_without_naming_the_person(self):
        emergency = self._emergency(self.alice)
        self.login(self.unit_leader)
        response = self.client.get(self.url)
        self.assertContains(response, REASON)
        self.assertContains(response, "alice")
        self.assertContains(response, f"</span> {emergency.pk}")
        self.assertNotContains(response, "Utenfor")

    def test_it_shows_the_category_of_the_emergency_access(self):
        self._emergency(self.alice, category=EmergencyCategory.RELATIVE_CALLED)
        self.login(self.unit_leader)
        self.assertContains(self.client.get(self.url), "A relative or caregiver contacted us about the person")

    def test_it_leaves_out_other_units_and_other_periods(self):
        self._emergency(self.therapist)
        self._emergency(self.alice, granted_at=timezone.now() - datetime.timedelta(days=40))
        self.login(self.unit_leader)
        self.assertNotContains(self.client.get(self.url), REASON)

    def test_it_shows_an_older_period_when_asked(self):
        self._emergency(self.alice, granted_at=timezone.now() - datetime.timedelta(days=40))
        self.login(self.unit_leader)
        start = timezone.localdate() - datetime.timedelta(days=50)
        self.assertContains(self.client.get(self.url, {"start": start.isoformat()}), REASON)

    def test_it_rejects_a_period_that_ends_before_it_starts(self):
        self.login(self.unit_leader)
        response = self.client.get(self.url, {"start": "2026-05-01", "end": "2026-04-01"})
        self.assertContains(response, "The period must start before it ends.")

    def test_it_rejects_a_date_that_is_not_a_date(self):
        self.login(self.unit_leader)
        self.assertContains(self.client.get(self.url, {"start": "yesterday"}), "errorlist")

    def test_it_flags_a_user_who_opened_many_persons_outside_the_worklist(self):
        persons = self._persons(3)
        for person in persons:
            self._log(self.bob, person, CareRelationshipKind.REFERRAL)
        self.login(self.unit_leader)
        response = self.client.get(self.url)
        self.assertContains(response, '<span class="flag">Unusual</span>', html=True)
        self.assertContains(response, "(bob)")

    def test_worklist_accesses_do_not_count(self):
        for person in self._persons(3):
            self._log(self.bob, person, CareRelationshipKind.WORKLIST)
        self.login(self.unit_leader)
        self.assertNotContains(self.client.get(self.url), "(bob)")

    def test_emergency_accesses_count(self):
        for person in self._persons(3):
            self._log(self.bob, person, None)
        self.login(self.unit_leader)
        self.assertContains(self.client.get(self.url), "(bob)")

    def test_persons_only_listed_do_not_count(self):
        for person in self._persons(3):
            self._log(self.bob, person, CareRelationshipKind.REFERRAL, action="list")
        self.login(self.unit_leader)
        self.assertNotContains(self.client.get(self.url), "(bob)")

    def test_the_same_person_opened_many_times_counts_once(self):
        person = self._persons(1)[0]
        for _ in range(5):
            self._log(self.bob, person, CareRelationshipKind.REFERRAL)
        self.login(self.unit_leader)
        self.assertNotContains(self.client.get(self.url), "(bob)")

    def test_only_the_unit_leader_may_see_it(self):
        for user in (self.alice, self.planner, self.administrator):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def _emergency(self, user, granted_at=None, category=EmergencyCategory.ACUTE):
        granted_at = granted_at or timezone.now()
        return EmergencyAccess.objects.create(
            user=user,
            person=self.per,
            category=category,
            reason=REASON,
            granted_at=granted_at,
            expires_at=granted_at + datetime.timedelta(hours=2),
        )

    def _persons(self, n):
        return [
            self.make_person(f"0{i}0101000{i:02d}", f"Test{i}", "Person", datetime.date(1940, 1, 1), "F")
            for i in range(1, n + 1)
        ]

    def _log(self, user, person, kind, action="view"):
        relationship = emergency = None
        if kind:
            relationship = user.care_relationships.create(person=person, kind=kind)
        else:
            emergency = self._emergency(user)
        AccessLogEntry.objects.create(
            user=user,
            username=user.username,
            role=user.role,
            municipality=self.vefsn,
            person=person,
            action=action,
            what="person page",
            care_relationship=relationship,
            emergency_access=emergency,
            reason=AccessReason.EMERGENCY if emergency else AccessReason.CARE_RELATIONSHIP,
        )
