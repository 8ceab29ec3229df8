from unittest import mock

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trappa.audit.access import (
    check_person_access,
    client_ip,
    log_access,
    log_persons_listed,
    one_log_write,
    show_mentioned_persons,
)
from trappa.audit.models import AccessAction, AccessLogEntry, AccessLogQuerySet, AccessReason, CareRelationshipKind
from trappa.people.access import get_person_for_user
from trappa.people.models import PersonRelation, RelationKind
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

    def test_a_person_page_logs_everyone_it_shows_in_one_write(self):
        # Olga's page names her spouse, whom Alice may see too: two entries, one insert.
        spouse = self.make_person("24894400061", "Ola", "Ektefelle", self.olga.birth_date, "M")
        self.alice.care_relationships.create(person=spouse, kind=CareRelationshipKind.WORKLIST, source="test")
        PersonRelation.objects.create(from_person=self.olga, to_person=spouse, kind=RelationKind.SPOUSE)
        self.login(self.alice)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.assertContains(response, "Ektefelle")
        inserts = [
            q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "audit_accesslogentry"')
        ]
        self.assertEqual(len(inserts), 1)
        self.assertEqual(
            sorted(AccessLogEntry.objects.values_list("person__given_name", "what")),
            [("Ola", f"relation of person {self.olga.pk}"), ("Olga", "person page")],
        )
        self.assertEqual(list(AccessLogEntry.objects.order_by("seq").values_list("seq", flat=True)), [1, 2])

    def test_a_page_whose_log_cannot_be_written_is_not_shown(self):
        self.login(self.alice)
        self.client.raise_request_exception = False
        with mock.patch.object(AccessLogQuerySet, "bulk_create", side_effect=RuntimeError("disk full")):
            response = self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.assertEqual(response.status_code, 500)
        self.assertNotContains(response, "Olga", status_code=500)
        self.assertFalse(AccessLogEntry.objects.exists())

    def test_what_was_collected_is_written_when_the_view_raises(self):
        request = self._request(self.alice)
        with self.assertRaises(ValueError), one_log_write(request):
            log_access(request, self.olga, check_person_access(self.alice, self.olga), "person page")
            self.assertFalse(AccessLogEntry.objects.exists())
            raise ValueError("the view failed after showing")
        self.assertEqual(AccessLogEntry.objects.get().what, "person page")

    def test_a_change_is_written_at_once_after_what_was_shown_before_it(self):
        request = self._request(self.alice)
        grant = check_person_access(self.alice, self.olga)
        with one_log_write(request):
            log_access(request, self.olga, grant, "home visit form")
            log_access(request, self.olga, grant, "home visit 12", AccessAction.CREATE)
            written = list(AccessLogEntry.objects.order_by("seq").values_list("what", flat=True))
            self.assertEqual(written, ["home visit form", "home visit 12"])
            show_mentioned_persons(request, [self.olga], "participant list")
        self.assertEqual(AccessLogEntry.objects.count(), 3)

    def test_after_the_block_entries_are_written_at_once(self):
        request = self._request(self.alice)
        grant = check_person_access(self.alice, self.olga)
        with one_log_write(request):
            pass
        log_access(request, self.olga, grant, "streamed export row")
        self.assertEqual(AccessLogEntry.objects.get().what, "streamed export row")

    def _request(self, user):
        request = RequestFactory().get("/somewhere/", REMOTE_ADDR="10.0.0.1")
        request.user = user
        return request
