"""The worklist is sorted by priority unless the nurse sorts it by name, age or the time since
the last contact, from the column headings, keeping her filters; on a phone each row is a
compact block of labelled lines (static/css/trappa.css)."""

from django.urls import reverse

from trappa.outreach.worklist import build

from .base import OutreachTestCase


class WorklistSortingTest(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)

    def names(self, **query):
        response = self.client.get(reverse("outreach:worklist"), query)
        return [person.given_name for person, _entry, _reasons in response.context["rows"]]

    def test_by_default_the_most_urgent_come_first(self):
        response = self.client.get(reverse("outreach:worklist"))
        priorities = [entry.priority for _person, entry, _reasons in response.context["rows"] if entry]
        self.assertGreater(len(priorities), 1)
        self.assertEqual(priorities, sorted(priorities))
        self.assertContains(response, 'aria-sort="ascending"')

    def test_it_sorts_by_name_and_by_age(self):
        names = self.names(sort="name")
        self.assertGreater(len(names), 1)
        families = [
            p.family_name
            for p, _e, _r in self.client.get(reverse("outreach:worklist"), {"sort": "name"}).context["rows"]
        ]
        self.assertEqual(families, sorted(families))
        rows = self.client.get(reverse("outreach:worklist"), {"sort": "age"}).context["rows"]
        births = [person.birth_date for person, _entry, _reasons in rows]
        self.assertEqual(births, sorted(births))

    def test_the_column_headings_sort_and_keep_the_filters(self):
        response = self.client.get(reverse("outreach:worklist"), {"area": "Drevja"})
        self.assertContains(response, 'href="?area=Drevja&amp;sort=age"')
        self.assertContains(response, 'href="?area=Drevja&amp;sort=contact"')
        self.assertEqual(set(self.names(area="Drevja", sort="age")), {"Anna", "Cecilie"})

    def test_an_unknown_order_falls_back_to_priority(self):
        self.assertEqual(self.names(sort="national_id"), self.names())

    def test_each_cell_is_labelled_for_the_phone_layout(self):
        response = self.client.get(reverse("outreach:worklist"))
        self.assertContains(response, 'class="ds-table worklist-table"')
        self.assertContains(response, 'data-label="Phone"')
