"""The second factor guards every page but the login flow and the public
catalogue: walk every URL route of the project as a half-logged-in nurse."""

import re

from django.test import override_settings
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from tests.accounts.base import AccountsTestCase
from trappa.accounts.middleware import UNVERIFIED_PREFIXES


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


class TwoFactorRequiredTest(AccountsTestCase):
    def setUp(self):
        self.client.post("/accounts/login/", {"username": "alice", "password": self.password})

    def test_every_page_outside_the_login_flow_waits_for_the_second_factor(self):
        paths = sorted({p for p in route_samples() if not p.startswith(UNVERIFIED_PREFIXES)})
        self.assertIn("/accounts/users/", paths)
        self.assertIn("/", paths)
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
