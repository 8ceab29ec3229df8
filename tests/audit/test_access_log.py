from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from trappa.audit.access import client_ip, log_persons_listed
from trappa.audit.models import AccessAction, AccessLogEntry, AccessReason, CareRelationshipKind
from trappa.people.access import get_person_for_user
from trappa.test import BaseTestCase


class AccessLogEntryTestCase(BaseTestCase):
    def test_a_person_page_writes_who_when_what_why_and_from_where(self):
        self.login(self.alice)
        before = timezone.now()
        url = reverse("people:person", args=[self.olga.pk])
        self.client.get(url, HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="10.1.2.3")
        entry = AccessLogEntry.objects.get()
        # who
        self.assertEqual((entry.user, entry.username, entry.role), (self.alice, "alice", "nurse"))
        self.assertEqual(entry.unit_name, "Helsetjenesten")
        self.assertEqual(entry.municipality, self.vefsn)
        # when, which person, what
        self.assertGreaterEqual(entry.at, before)
        self.assertEqual(entry.person, self.olga)
        self.assertEqual((entry.action, entry.what), (AccessAction.VIEW, "person page"))
        # why: Alice's own worklist relationship, not the unit's
        self.assertEqual(entry.reason, AccessReason.CARE_RELATIONSHIP)
        self.assertEqual(entry.care_relationship.user, self.alice)
        self.assertEqual(entry.care_relationship.kind, CareRelationshipKind.WORKLIST)
        self.assertEqual(entry.reason_detail, "worklist (test)")
        self.assertIsNone(entry.emergency_access)
        # from where
        self.assertEqual(entry.path, f"/people/{self.olga.pk}/")
        self.assertEqual(entry.ip_address, "10.1.2.3")
        self.assertEqual(entry.user_agent, "Firefox/140")

    def test_a_unit_relationship_is_named_as_the_why(self):
        self.login(self.bob)
        self.client.get(reverse("people:person", args=[self.olga.pk]))
        entry = AccessLogEntry.objects.get()
        self.assertEqual(entry.reason_detail, "worklist (test), unit Helsetjenesten")
        self.assertIsNone(entry.care_relationship.user)

    def test_a_refused_access_writes_nothing(self):
        self.login(self.alice)
        self.client.get(reverse("people:person", args=[self.per.pk]))
        self.login(self.charlie)
        self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.assertFalse(AccessLogEntry.objects.exists())

    def test_the_helper_logs_a_change_with_its_action(self):
        request = self._request(self.alice)
        person = get_person_for_user(request, self.olga.pk, "home visit 12", AccessAction.CHANGE)
        self.assertEqual(person, self.olga)
        entry = AccessLogEntry.objects.get()
        self.assertEqual((entry.action, entry.what), (AccessAction.CHANGE, "home visit 12"))

    def test_list_logging_writes_one_entry_per_person(self):
        other = self.make_person("24894400061", "Anna", "Liste", self.olga.birth_date, "F")
        self.health.care_relationships.create(person=other, kind=CareRelationshipKind.REFERRAL, source="referral:1")
        log_persons_listed(self._request(self.bob), [self.olga, other], "worklist")
        entries = AccessLogEntry.objects.order_by("person__given_name")
        self.assertEqual([e.person for e in entries], [other, self.olga])
        self.assertEqual({e.action for e in entries}, {AccessAction.LIST})
        self.assertEqual(entries[0].reason_detail, "referral (referral:1), unit Helsetjenesten")

    def test_an_export_is_logged_as_an_export(self):
        log_persons_listed(self._request(self.alice), [self.olga], "worklist.xlsx", AccessAction.EXPORT)
        self.assertEqual(AccessLogEntry.objects.get().action, AccessAction.EXPORT)

    def test_list_logging_refuses_a_list_with_a_person_the_user_may_not_see(self):
        with self.assertRaises(PermissionDenied):
            log_persons_listed(self._request(self.alice), [self.olga, self.per], "worklist")
        self.assertFalse(AccessLogEntry.objects.exists())

    def test_list_logging_of_an_empty_list_writes_nothing(self):
        self.assertEqual(log_persons_listed(self._request(self.alice), [], "worklist"), [])
        self.assertFalse(AccessLogEntry.objects.exists())

    def test_it_records_the_peer_address_and_ignores_a_forged_forwarded_header(self):
        request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
        self.assertEqual(client_ip(request), "192.0.2.7")

    @override_settings(TRUSTED_PROXIES=1)
    def test_behind_a_trusted_proxy_it_records_the_address_the_proxy_saw(self):
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.4")
        self.assertEqual(client_ip(request), "198.51.100.4")

    def test_it_records_no_address_rather_than_a_malformed_one(self):
        self.assertIsNone(client_ip(RequestFactory().get("/", REMOTE_ADDR="not-an-address")))

    def _request(self, user):
        request = RequestFactory().get("/somewhere/", REMOTE_ADDR="10.0.0.1")
        request.user = user
        return request
