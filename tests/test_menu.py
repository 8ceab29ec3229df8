"""The staff menu shows each role the pages its role may open, and nothing else."""

from django.urls import resolve, reverse

from trappa.menu import ENTRIES, may_open, person_links
from trappa.test import BaseTestCase


class StaffMenuTest(BaseTestCase):
    def menu_of(self, user):
        self.login(user)
        return self.client.get("/").content.decode()

    def test_every_entry_names_a_declared_page(self):
        for name, _label in ENTRIES:
            with self.subTest(name=name):
                self.assertTrue(hasattr(resolve(reverse(name)).func, "trappa_access"))

    def test_each_role_sees_exactly_the_pages_it_may_open(self):
        users = [
            self.alice,
            self.therapist,
            self.course_leader,
            self.caseworker,
            self.coordinator,
            self.unit_leader,
            self.planner,
            self.administrator,
        ]
        for user in users:
            page = self.menu_of(user)
            for name, _label in ENTRIES:
                url = reverse(name)
                allowed = may_open(user, resolve(url).func)
                with self.subTest(role=user.role, page=name):
                    self.assertEqual(f'href="{url}"' in page, allowed)
                    if allowed:
                        self.assertNotEqual(self.client.get(url).status_code, 403)

    def test_the_nurse_has_her_worklist_and_not_the_user_administration(self):
        page = self.menu_of(self.alice)
        self.assertIn('href="/outreach/"', page)
        self.assertNotIn('href="/accounts/users/"', page)

    def test_a_visitor_sees_no_staff_menu(self):
        self.assertNotContains(self.client.get("/"), "/outreach/")


class PersonLinksTest(BaseTestCase):
    def test_the_person_page_links_the_pages_about_the_person_the_nurse_may_open(self):
        self.login(self.alice)
        page = self.client.get(f"/people/{self.olga.pk}/")
        self.assertContains(page, f'href="/outreach/{self.olga.pk}/"')
        self.assertContains(page, f'href="/referrals/{self.olga.pk}/"')
        for link in person_links(self.alice, self.olga.pk):
            with self.subTest(url=link["url"]):
                self.assertEqual(self.client.get(link["url"]).status_code, 200)


class MenuOncePerRoleTest(BaseTestCase):
    def test_the_menu_is_worked_out_once_per_role_not_on_every_page(self):
        from unittest import mock

        from trappa import menu

        menu._MENUS.clear()
        self.login(self.alice)
        with mock.patch("trappa.menu.may_open", wraps=may_open) as checked:
            self.client.get("/")
            first = checked.call_count
            self.login(self.bob)  # another nurse: the same menu
            self.assertContains(self.client.get("/"), 'href="/outreach/"')
        self.assertGreater(first, 0)
        self.assertEqual(checked.call_count, first)

    def test_a_changed_role_gets_its_own_menu(self):
        self.login(self.alice)
        self.assertContains(self.client.get("/"), 'href="/outreach/"')
        self.alice.role = "planner"
        self.alice.save()
        self.assertNotContains(self.client.get("/"), 'href="/outreach/"')
