"""The second factor guards every page but the truly public ones (the login flow
and the public catalogue): walk every URL route of the project as a half-logged-in
nurse, and every non-public route as a half-logged-in user of every role."""

import re

from django.test import override_settings
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

from tests.accounts.base import AccountsTestCase
from trappa.accounts.middleware import reachable_before_second_factor
from trappa.accounts.models import Role, User


def route_samples(patterns=None, prefix="/"):
    """A concrete path for every route: each URL parameter becomes 1."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry.pattern, RoutePattern):
            part = re.sub(r"<[^>]+>", "1", str(entry.pattern))
        else:  # a regex route (Django's admin): parameters become 1, anchors go
            part = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", str(entry.pattern)).lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from route_samples(entry.url_patterns, prefix + part)
        else:
            yield prefix + part


def guarded(path):
    """Whether the path's view waits for the second factor (a path no view answers is a 404 anyway)."""
    try:
        return not reachable_before_second_factor(resolve(path).func)
    except Resolver404:
        return True


class TwoFactorRequiredTest(AccountsTestCase):
    def setUp(self):
        self.client.post("/accounts/login/", {"username": "alice", "password": self.password})

    def test_every_page_outside_the_login_flow_waits_for_the_second_factor(self):
        paths = sorted({p for p in route_samples() if guarded(p)})
        self.assertIn("/accounts/users/", paths)
        self.assertIn("/", paths)
        self.assertIn("/offerings/manage/", paths)
        self.assertIn("/offerings/plans/", paths)
        for path in paths:
            for method in (self.client.get, self.client.post):
                with self.subTest(path=path, method=method.__name__):
                    response = method(path)
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith("/accounts/two-factor/?next="))

    def test_the_public_catalogue_stays_reachable(self):
        response = self.client.get("/offerings/")
        self.assertFalse(response.get("Location", "").startswith("/accounts/two-factor/"))

    def test_the_front_page_stays_reachable_when_logged_out(self):
        self.client.post("/accounts/logout/")
        self.assertEqual(self.client.get("/").status_code, 200)

    @override_settings(REQUIRE_TWO_FACTOR=False)
    def test_the_demo_may_relax_two_factor(self):
        self.assertContains(self.client.get("/"), "Alice")


class EveryRoleWaitsForTheSecondFactorTest(AccountsTestCase):
    """Finding 3 of issue 12: no non-public route answers 200 to any role's password-only session.
    The refusal comes before the view, so each URL parameter may simply be 1."""

    def test_no_non_public_route_answers_a_password_only_session(self):
        paths = sorted({p for p in route_samples() if guarded(p)})
        self.assertIn("/offerings/manage/", paths)
        self.assertIn("/offerings/plans/", paths)
        users = User.objects.exclude(role="").order_by("username")
        self.assertEqual({u.role for u in users}, set(Role.values))
        for user in users:
            self.client.logout()
            response = self.client.post("/accounts/login/", {"username": user.username, "password": self.password})
            self.assertEqual(response.status_code, 302, f"{user.username} could not log in")
            for path in paths:
                for method in ("get", "post"):
                    with self.subTest(path=path, method=method, user=user.username):
                        response = getattr(self.client, method)(path)
                        self.assertNotEqual(response.status_code, 200, f"{method.upper()} {path}")
                        self.assertTrue(response["Location"].startswith("/accounts/two-factor/?next="))

    def test_the_public_pages_stay_reachable_with_the_password_alone(self):
        self.client.post("/accounts/login/", {"username": "ada", "password": self.password})
        for path in ("/offerings/", "/offerings/vefsn/", "/accounts/two-factor/enroll/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertFalse(response.get("Location", "").startswith("/accounts/two-factor/?next="), path)
