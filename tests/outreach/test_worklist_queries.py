"""The worklist page's queries are pinned (#17), and they do not grow with the page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trappa.outreach.worklist import build

from .base import OutreachTestCase


class WorklistQueriesTestCase(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)
        self.client.get(reverse("outreach:worklist"))  # the first request of a session notes its time

    def queries(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("outreach:worklist"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Enke, Cecilie")
        return [q["sql"] for q in queries]

    def test_the_first_page_takes_a_fixed_number_of_queries(self):
        # Session, user (with unit and municipality), device; the build's counts, the entries, those
        # on the list without an entry, the contacts, the care relationships (the grants), the letter
        # jobs; the log's savepoint, chain head, insert, release (and on PostgreSQL the chain's lock).
        chain_lock = 1 if connection.vendor == "postgresql" else 0
        self.assertEqual(len(self.queries()), 13 + chain_lock)

    def test_no_emergency_access_is_looked_up_for_persons_on_the_worklist(self):
        # Everyone listed is there through a care relationship: it is the grant, so no other is looked for.
        self.assertFalse([q for q in self.queries() if q.startswith('SELECT "audit_emergencyaccess"')])

    def test_the_user_is_loaded_with_unit_and_municipality_at_once(self):
        sql = self.queries()
        self.assertFalse([q for q in sql if q.startswith('SELECT "accounts_unit"')])
        self.assertFalse([q for q in sql if q.startswith('SELECT "accounts_municipality"')])


class WorklistRowsTestCase(OutreachTestCase):
    def test_a_name_is_shown_escaped(self):
        self.widowed_90.family_name = "<b>Enke</b>"
        self.widowed_90.phone = '"99 88" 77'
        self.widowed_90.save()
        build(self.vefsn)
        self.login(self.alice)
        response = self.client.get(reverse("outreach:worklist"))
        self.assertContains(response, "&lt;b&gt;Enke&lt;/b&gt;, Cecilie")
        self.assertContains(response, 'href="tel:&quot;9988&quot;77"')
        self.assertNotContains(response, "<b>Enke</b>")
