import unittest

from django.db import connection, transaction
from django.db.utils import DatabaseError

from trappa.audit.models import AccessLogEntry, AccessReason
from trappa.test import BaseTestCase


class ImmutabilityTestCase(BaseTestCase):
    def setUp(self):
        self.entry = AccessLogEntry.objects.create(
            user=self.alice,
            username="alice",
            role="nurse",
            municipality=self.vefsn,
            person=self.olga,
            action="view",
            what="person page",
            reason=AccessReason.CARE_RELATIONSHIP,
        )

    def test_it_refuses_to_save_an_existing_entry(self):
        self.entry.what = "something else"
        with self.assertRaises(PermissionError):
            self.entry.save()

    def test_it_refuses_to_delete_an_entry(self):
        with self.assertRaises(PermissionError):
            self.entry.delete()
        with self.assertRaises(PermissionError):
            AccessLogEntry.objects.all().delete()

    def test_it_refuses_a_bulk_update(self):
        with self.assertRaises(PermissionError):
            AccessLogEntry.objects.update(what="x")
        self.assertEqual(AccessLogEntry.objects.get().what, "person page")

    def test_the_log_has_no_admin_page(self):
        from django.contrib import admin

        self.assertFalse(admin.site.is_registered(AccessLogEntry))


@unittest.skipUnless(connection.vendor == "postgresql", "the trigger exists on PostgreSQL only")
class DatabaseTriggerTestCase(BaseTestCase):
    def setUp(self):
        self.entry = AccessLogEntry.objects.create(
            user=self.alice,
            username="alice",
            role="nurse",
            municipality=self.vefsn,
            person=self.olga,
            action="view",
            what="person page",
            reason=AccessReason.CARE_RELATIONSHIP,
        )

    def test_a_raw_sql_update_fails(self):
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_accesslogentry SET what = 'forged' WHERE id = %s", [self.entry.pk])
        self.assertEqual(AccessLogEntry.objects.get().what, "person page")

    def test_a_raw_sql_delete_fails(self):
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [self.entry.pk])
        self.assertTrue(AccessLogEntry.objects.filter(pk=self.entry.pk).exists())

    def test_inserting_still_works(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_accesslogentry")
            self.assertEqual(cursor.fetchone()[0], 1)
