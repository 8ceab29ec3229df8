import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trappa.audit.models import AccessLogEntry, AccessReason, EmergencyAccess
from trappa.test import PER_ID, BaseTestCase

REASON = "The home care team found him confused and asks for his services"


# Assertions read English text; the default language is Norwegian.
@override_settings(LANGUAGE_CODE="en")
class EmergencyAccessTestCase(BaseTestCase):
    def setUp(self):
        self.person_url = reverse("people:person", args=[self.per.pk])
        self.url = reverse("audit:emergency_access", args=[self.per.pk])

    def test_the_refusal_page_offers_emergency_access_without_naming_the_person(self):
        self.login(self.alice)
        response = self.client.get(self.person_url)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, f'action="{self.url}"', status_code=403)
        self.assertContains(response, 'name="reason"', status_code=403)
        self.assertNotContains(response, "Utenfor", status_code=403)
        self.assertNotContains(response, PER_ID, status_code=403)

    def test_it_requires_a_reason(self):
        self.login(self.alice)
        response = self.client.post(self.url, {"category": "acute", "reason": "  ", "next": self.person_url})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_it_requires_a_reason_of_some_words(self):
        self.login(self.alice)
        response = self.client.post(self.url, {"category": "acute", "reason": "urgent", "next": self.person_url})
        self.assertContains(response, "errorlist")
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_it_refuses_a_reason_that_is_not_a_sentence(self):
        # Issue 12, finding 7: "x y z" was accepted.
        self.login(self.alice)
        for reason in ("x y z", "a b c d e f g", "urgent urgent"):
            with self.subTest(reason=reason):
                response = self.client.post(self.url, {"category": "acute", "reason": reason})
                self.assertContains(response, "errorlist")
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_it_requires_a_category_from_the_list(self):
        self.login(self.alice)
        for category in ("", "because"):
            with self.subTest(category=category):
                response = self.client.post(self.url, {"category": category, "reason": REASON})
                self.assertContains(response, "errorlist")
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_the_category_and_reason_are_shown_in_the_persons_access_log(self):
        self.login(self.alice)
        self.client.post(self.url, {"category": "asked_for_help", "reason": REASON})
        self.assertEqual(EmergencyAccess.objects.get().category, "asked_for_help")
        response = self.client.get(reverse("people:access_log", args=[self.per.pk]), headers={"Accept-Language": "en"})
        self.assertContains(response, "The person asked for help")
        self.assertContains(response, REASON)

    @override_settings(EMERGENCY_ACCESS_MINUTES=30)
    def test_it_grants_access_for_the_configured_time_and_returns_to_the_page(self):
        self.login(self.alice)
        before = timezone.now()
        response = self.client.post(self.url, {"category": "acute", "reason": f"  {REASON}\n", "next": self.person_url})
        self.assertRedirects(response, self.person_url)
        emergency = EmergencyAccess.objects.get()
        self.assertEqual((emergency.user, emergency.person, emergency.reason), (self.alice, self.per, REASON))
        self.assertAlmostEqual(
            emergency.expires_at - before, datetime.timedelta(minutes=30), delta=datetime.timedelta(seconds=5)
        )
        self.assertEqual(self.client.get(self.person_url).status_code, 200)

    def test_every_entry_made_under_it_is_flagged_with_the_reason(self):
        self.login(self.alice)
        self.client.post(self.url, {"category": "acute", "reason": REASON})
        self.client.get(self.person_url)
        entry = AccessLogEntry.objects.get(person=self.per)
        self.assertEqual(entry.reason, AccessReason.EMERGENCY)
        self.assertEqual(entry.reason_detail, REASON)
        self.assertEqual(entry.emergency_access, EmergencyAccess.objects.get())

    def test_it_expires(self):
        self.login(self.alice)
        self.client.post(self.url, {"category": "acute", "reason": REASON})
        EmergencyAccess.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        self.assertEqual(self.client.get(self.person_url).status_code, 403)

    def test_it_ignores_a_next_address_on_another_site(self):
        self.login(self.alice)
        response = self.client.post(self.url, {"category": "acute", "reason": REASON, "next": "https://evil.example/"})
        self.assertRedirects(response, self.person_url)

    def test_it_grants_nothing_new_when_the_user_already_has_access(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("audit:emergency_access", args=[self.olga.pk]), {"category": "acute", "reason": REASON}
        )
        self.assertRedirects(response, reverse("people:person", args=[self.olga.pk]))
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_it_is_not_offered_for_a_person_of_another_municipality(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.person_url).status_code, 404)
        self.assertEqual(self.client.post(self.url, {"category": "acute", "reason": REASON}).status_code, 404)
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_the_planner_and_administrator_cannot_break_the_glass(self):
        for user in (self.planner, self.administrator):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.post(self.url, {"category": "acute", "reason": REASON}).status_code, 403)
                self.assertEqual(self.client.get(self.person_url).status_code, 403)
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_it_is_not_found_for_a_person_that_does_not_exist(self):
        self.login(self.alice)
        url = reverse("audit:emergency_access", args=[999999])
        self.assertEqual(self.client.post(url, {"category": "acute", "reason": REASON}).status_code, 404)

    def test_it_asks_a_logged_out_visitor_to_log_in(self):
        response = self.client.post(self.url, {"category": "acute", "reason": REASON})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertFalse(EmergencyAccess.objects.exists())
