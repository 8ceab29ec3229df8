"""Keyset pages of the worklist: every person once, in order, ties broken by id, whatever changes between pages."""

import datetime
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.outreach.models import WorklistEntry
from trappa.outreach.worklist import assign, build

from .base import OutreachTestCase

SIZE = 7


@mock.patch("trappa.outreach.views.PAGE_SIZE", SIZE)
class KeysetPagingTestCase(OutreachTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        year = timezone.localdate().year
        twins = datetime.date(year - 80, 6, 1)
        # Twenty-four people the rules find with the same priority, birth date and name: only the id orders them.
        for n in range(24):
            cls.make_person(f"0106{80 + n % 2}{n:05d}", "Eli", "Likesen", twins, "F", area="Drevja")
        cls.make_person("02018000001", "Eli", "Likesen", twins, "F", area="Elsfjord")
        # On the list by hand, with no entry: after every entry.
        cls.by_hand = cls.make_person("03015000001", "Hanne", "Handlagt", datetime.date(year - 50, 1, 1), "F")
        CareRelationship.objects.create(
            person=cls.by_hand, unit=cls.health, kind=CareRelationshipKind.WORKLIST, source="test"
        )

    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)

    def expected(self, area=None):
        """The worklist's order worked out here from the persons themselves, not from the entries' copies."""
        entries = WorklistEntry.objects.filter(municipality=self.vefsn).select_related("person")
        entries = [e for e in entries if area is None or e.person.area == area]
        keyed = sorted((e.priority, *self.keys(e.person)) for e in entries)
        ids = [k[-1] for k in keyed]
        if area is None:
            ids.append(self.by_hand.pk)
        return ids

    def keys(self, person):
        return person.birth_date, person.family_name, person.given_name, person.pk

    def walk(self, **params):
        """Every page from the first, following the next links: [[person id, ...] per page]."""
        pages, cursor = [], None
        while True:
            query = dict(params, **({"after": cursor} if cursor else {}))
            response = self.client.get(reverse("outreach:worklist"), query)
            pages.append([p.pk for p, _entry, _reasons in response.context["rows"]])
            cursor = response.context["page"].next_cursor
            if not cursor:
                return pages, response

    def test_the_pages_together_hold_every_person_once_in_order(self):
        pages, _ = self.walk()
        ids = [pk for page in pages for pk in page]
        self.assertEqual(ids, self.expected())
        self.assertGreater(len(pages), 3)
        self.assertTrue(all(len(page) == SIZE for page in pages[:-1]))

    def test_ties_are_broken_by_id(self):
        twins = [pk for page in self.walk()[0] for pk in page if pk in self.twin_ids()]
        self.assertEqual(twins, sorted(twins))
        self.assertEqual(len(twins), 25)

    def twin_ids(self):
        return set(WorklistEntry.objects.filter(person__given_name="Eli").values_list("person_id", flat=True))

    def test_walking_back_gives_the_same_pages(self):
        forward, response = self.walk()
        backward = [[p.pk for p, _e, _r in response.context["rows"]]]
        cursor = response.context["page"].previous_cursor
        while cursor:
            response = self.client.get(reverse("outreach:worklist"), {"before": cursor})
            backward.insert(0, [p.pk for p, _e, _r in response.context["rows"]])
            cursor = response.context["page"].previous_cursor
        self.assertEqual(backward, forward)
        self.assertTrue(response.context["page"].is_first)

    def test_a_person_leaving_between_pages_moves_no_one_else(self):
        first = self.client.get(reverse("outreach:worklist"))
        cursor = first.context["page"].next_cursor
        shown = [p.pk for p, _e, _r in first.context["rows"]]
        CareRelationship.objects.filter(person_id=shown[2]).update(ended_at=timezone.now())
        second = self.client.get(reverse("outreach:worklist"), {"after": cursor})
        self.assertEqual([p.pk for p, _e, _r in second.context["rows"]], self.expected()[SIZE : 2 * SIZE])

    def test_the_filter_keeps_the_order_and_pages(self):
        pages, _ = self.walk(area="Drevja")
        self.assertEqual([pk for page in pages for pk in page], self.expected(area="Drevja"))

    def test_a_broken_cursor_gives_the_first_page(self):
        response = self.client.get(reverse("outreach:worklist"), {"after": "not-a-cursor!"})
        self.assertEqual([p.pk for p, _e, _r in response.context["rows"]], self.expected()[:SIZE])

    def test_a_cursor_shows_only_what_the_user_may_see(self):
        cursor = self.client.get(reverse("outreach:worklist")).context["page"].next_cursor
        self.login(self.charlie)
        response = self.client.get(reverse("outreach:worklist"), {"after": cursor})
        self.assertEqual(response.context["rows"], [])

    def test_the_page_counts_nothing_itself_but_shows_the_builds_count(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("outreach:worklist"))
        self.assertFalse([q["sql"] for q in queries if "COUNT(" in q["sql"].upper()])
        self.assertEqual(response.context["count"], WorklistEntry.objects.filter(municipality=self.vefsn).count())

    def test_a_changed_name_reorders_the_list_at_the_next_build(self):
        last = self.expected()[-2]
        WorklistEntry.objects.get(person_id=last).person.__class__.objects.filter(pk=last).update(family_name="Aaa")
        build(self.vefsn)
        self.assertEqual(WorklistEntry.objects.get(person_id=last).family_name, "Aaa")
        pages, _ = self.walk()
        self.assertEqual([pk for page in pages for pk in page], self.expected())

    def test_the_nurses_start_page_shows_the_builds_counts_without_counting_the_list(self):
        on_list = WorklistEntry.objects.filter(municipality=self.vefsn)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("workday"))
        counted = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "outreach_worklistentry" in q["sql"]]
        self.assertEqual(counted, [])
        counts = {str(t["label"]): t["count"] for t in response.context["tasks"]}
        self.assertIn(on_list.count(), counts.values())
        self.assertIn(on_list.filter(priority__lte=2).count(), counts.values())

    def test_the_page_reads_nothing_row_by_row(self):
        # The page loads only the fields it shows: one it did not load would be read once per row.
        assign(WorklistEntry.objects.get(person_id=self.expected()[0]), self.bob)
        self.client.get(reverse("outreach:worklist"))  # what the first request of a session loads once
        counts = []
        for size in (3, SIZE):
            with mock.patch("trappa.outreach.views.PAGE_SIZE", size), CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("outreach:worklist"))
            self.assertEqual(len(response.context["rows"]), size)
            self.assertContains(response, "Bob")
            self.assertContains(response, "Enke, Cecilie")
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
