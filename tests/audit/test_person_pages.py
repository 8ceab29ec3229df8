import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trappa.audit.models import AccessAction, AccessLogEntry, CareRelationship, CareRelationshipKind, EmergencyAccess
from trappa.people.models import PersonFieldChange, PersonRelation, RelationKind, ServiceDecision, ServiceKind
from trappa.test import OLGA_ID, PER_ID, BaseTestCase


# Assertions read English text; the default language is Norwegian.
@override_settings(LANGUAGE_CODE="en")
class SearchTestCase(BaseTestCase):
    url = reverse("people:search")

    def test_it_finds_a_person_on_the_worklist_by_name(self):
        self.login(self.alice)
        response = self.client.post(self.url, {"q": "olga nord"})
        self.assertContains(response, "Nordmann, Olga")
        self.assertContains(response, OLGA_ID)

    def test_it_finds_a_person_by_national_id(self):
        self.login(self.alice)
        self.assertContains(self.client.post(self.url, {"q": OLGA_ID}), "Nordmann, Olga")
        self.assertContains(self.client.post(self.url, {"q": "138841 00008"}), "Nordmann, Olga")

    def test_it_says_it_only_finds_persons_with_a_care_relationship(self):
        self.login(self.alice)
        self.assertContains(self.client.get(self.url), "Only persons you have a care relationship with are found")

    def test_it_never_finds_a_person_without_a_care_relationship(self):
        self.login(self.alice)
        for query in ("Per", "Utenfor", PER_ID):
            with self.subTest(query=query):
                response = self.client.post(self.url, {"q": query})
                # The query itself is echoed in the search box; the results must be empty.
                self.assertContains(response, "Nobody you have a care relationship with matches the search.")
                self.assertNotContains(response, "<table")
                self.assertNotContains(response, f"/people/{self.per.pk}/")

    def test_it_finds_nothing_for_another_municipality(self):
        self.login(self.charlie)
        self.assertNotContains(self.client.post(self.url, {"q": "Olga"}), "Nordmann")

    def test_it_logs_every_person_listed(self):
        self.login(self.alice)
        self.client.post(self.url, {"q": "Olga"})
        entry = AccessLogEntry.objects.get()
        self.assertEqual((entry.person, entry.action, entry.what), (self.olga, AccessAction.LIST, "person search"))

    def test_an_empty_search_lists_and_logs_nobody(self):
        self.login(self.alice)
        self.client.post(self.url, {"q": "O"})
        self.assertFalse(AccessLogEntry.objects.exists())

    def test_listing_more_persons_takes_no_more_queries(self):
        self.login(self.bob)
        self._count_queries({"q": "Olga"})  # the first request also loads the session's device
        few = self._count_queries({"q": "Olga"})
        for i in range(10):
            person = self.make_person(f"0{i}0101000{i:02d}", "Olga", f"Mange{i}", datetime.date(1940, 1, 1), "F")
            self.health.care_relationships.create(person=person, kind=CareRelationshipKind.WORKLIST)
        self.assertEqual(self._count_queries({"q": "Olga"}), few)
        self.assertEqual(AccessLogEntry.objects.filter(what="person search").count(), 13)

    def _count_queries(self, params):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.post(self.url, params).status_code, 200)
        return len(queries)

    def test_the_planner_and_administrator_may_not_search(self):
        for user in (self.planner, self.administrator):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.post(self.url, {"q": "Olga"}).status_code, 403)


# Assertions read English text; the default language is Norwegian.
@override_settings(LANGUAGE_CODE="en")
class PersonPageTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("people:person", args=[self.olga.pk])

    def test_it_shows_the_register_data(self):
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>Olga Nordmann</h1>", html=True)
        self.assertContains(response, OLGA_ID)
        self.assertContains(response, "Elsfjord")

    def test_it_shows_services_change_history_and_care_relationships(self):
        ServiceDecision.objects.create(
            person=self.olga, decision_id="V-1", service=ServiceKind.SAFETY_ALARM, start_date=datetime.date(2026, 1, 5)
        )
        PersonFieldChange.objects.create(person=self.olga, field="area", old_value="Mosjøen", new_value="Elsfjord")
        CareRelationship.objects.create(
            person=self.olga,
            unit=self.service_office,
            kind=CareRelationshipKind.CASE,
            source="case:7",
            ended_at=timezone.now(),
            end_reason="moved",
        )
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "V-1")
        self.assertContains(response, "Mosjøen")
        self.assertContains(response, "<td>Area</td>", html=True)
        self.assertContains(response, "case:7")
        self.assertContains(response, "Tjenestekontoret")

    def test_it_names_a_relative_only_when_the_user_may_see_them(self):
        daughter = self.make_person("24894400061", "Dagny", "Datter", datetime.date(1966, 9, 24), "F")
        PersonRelation.objects.create(from_person=daughter, to_person=self.olga, kind=RelationKind.CAREGIVER)
        PersonRelation.objects.create(from_person=self.olga, to_person=self.per, kind=RelationKind.SPOUSE)
        CareRelationship.objects.create(person=daughter, user=self.alice, kind=CareRelationshipKind.CAREGIVER_FOLLOW_UP)
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Dagny Datter")
        self.assertNotContains(response, "Utenfor")
        self.assertContains(response, "Not shown: you have no care relationship with this person")

    def test_it_is_refused_to_a_nurse_without_a_relationship(self):
        self.login(self.therapist)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "Nordmann", status_code=403)

    def test_it_is_not_found_in_another_municipality_or_when_missing(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("people:person", args=[987654])).status_code, 404)

    def test_it_asks_a_logged_out_visitor_to_log_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


# Assertions read English text; the default language is Norwegian.
@override_settings(LANGUAGE_CODE="en")
class WhoSawMeTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("people:access_log", args=[self.olga.pk])

    def test_it_lists_who_looked_when_and_why(self):
        self.login(self.bob)
        self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Bob")
        self.assertContains(response, "Helsetjenesten")
        self.assertContains(response, "person page")
        self.assertContains(response, "On the worklist")

    def test_viewing_it_is_itself_logged(self):
        self.login(self.alice)
        response = self.client.get(self.url)
        entry = AccessLogEntry.objects.get()
        self.assertEqual(entry.person, self.olga)
        self.assertEqual((entry.action, entry.what), (AccessAction.EXPORT, "access log report"))
        self.assertContains(response, "access log report")

    def test_it_flags_emergency_access(self):
        emergency = EmergencyAccess.objects.create(
            user=self.therapist,
            person=self.olga,
            reason="Fall alarm went off at night",
            expires_at=timezone.now() + datetime.timedelta(minutes=5),
        )
        self.login(self.therapist)
        self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, '<span class="flag">Emergency access</span>', html=True)
        self.assertContains(response, emergency.reason)

    def test_it_shows_nothing_of_another_persons_log(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("people:access_log", args=[self.per.pk])).status_code, 403)
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
