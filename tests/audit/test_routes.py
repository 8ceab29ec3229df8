"""The route matrix: every URL route of the project, for every role.

It walks the whole URL configuration (so routes other apps add are covered
without editing this file) and checks that:

- every project view carries an access declaration from trappa/accounts/routes.py or trappa/audit/routes.py
  (`@public`, `@staff_required`, `@person_view`);
- with URL kwargs pointing at the outsider (Per: no care relationship with
  anyone), no role of Vefsn, nor Charlie of Nord-Aurdal, nor a visitor gets
  anything of him: person routes answer 403 or 404 (a visitor is sent to the
  login), and his name and national ID appear in no response of any route;
- every person route shows Olga (on Alice's worklist) to Alice, and writes an
  access log entry for Olga;
- Django's admin lets no role in: it is for superusers only.

A route with a URL kwarg this file does not know fails with a message: add a
factory for the kwarg, either to KWARGS below or, for your own app, in
`tests/<app>/route_kwargs.py` as `ROUTE_KWARGS = {"referral_id": Kwarg(make_referral)}`,
where `make_referral(case, person)` builds an object belonging to `person`
(Per for the refusal checks, Olga for the insider check) and returns the kwarg
value; `case` is this test case, with the BaseTestCase people. Pass
`personal=False` for kwargs that do not identify a person's data (a job, a
user). `ROUTE_QUERIES = {"app:name": {"q": "..."}}` adds parameters (GET, or POST for a
search form) for the insider check, for list pages that need a query to show Olga.
"""

import importlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve, reverse

from trappa.accounts.models import Role, User
from trappa.accounts.routes import PERSON, PUBLIC, STAFF, public
from trappa.audit.models import AccessLogEntry, CareRelationship, CareRelationshipKind
from trappa.audit.routes import person_view
from trappa.jobs.models import Job
from trappa.people.models import Person
from trappa.test import BaseTestCase


@dataclass(frozen=True)
class Kwarg:
    """Builds a URL kwarg value for an object belonging to `person`."""

    make: object  # callable(case, person) -> value
    personal: bool = True  # the object is a person's data, so an outsider's must be refused


def _throwaway_user(case, person):
    # A user of its own, since an empty POST to a user page may change it.
    user, _ = User.objects.get_or_create(username="route-matrix-user", defaults={"municipality": case.vefsn})
    return user.pk


def _job(case, person):
    # As the import page creates it (trappa/people/import_views.py).
    job = Job.objects.create(
        kind="import",
        label="Route matrix job",
        municipality=case.vefsn,
        started_by=case.caseworker,
        params={"import_kind": "persons", "dry_run": True},
    )
    return job.pk


KWARGS = {
    "person_id": Kwarg(lambda case, person: person.pk),
    "user_id": Kwarg(_throwaway_user, personal=False),
    "job_id": Kwarg(_job, personal=False),
    # The public catalogue: a municipality's staircase, offerings and entry pages.
    "municipality": Kwarg(lambda case, person: case.vefsn.slug, personal=False),
    "code": Kwarg(lambda case, person: "no-such-offering", personal=False),
    "entry": Kwarg(lambda case, person: "caregiver", personal=False),
}
# GET parameters for the insider check of list pages that show nobody without them.
QUERIES = {
    "people:search": {"q": "Olga"},
}

# Third-party routes that are login flow or infrastructure and show no personal data.
INFRA_MODULES = ("django.views.i18n", "mozilla_django_oidc.")
ADMIN_NAMESPACE = "admin"
# Values for the admin's kwargs ("1" for others): the admin refuses before it looks them up.
ADMIN_KWARGS = {"object_id": "1", "pk": "1", "content_type_id": "1", "url": "missing/"}


def _extensions():
    """ROUTE_KWARGS and ROUTE_QUERIES from tests/<app>/route_kwargs.py."""
    kwargs, queries = dict(KWARGS), dict(QUERIES)
    for module_path in sorted(Path(__file__).parent.parent.glob("*/route_kwargs.py")):
        module = importlib.import_module(f"tests.{module_path.parent.name}.route_kwargs")
        kwargs.update(getattr(module, "ROUTE_KWARGS", {}))
        queries.update(getattr(module, "ROUTE_QUERIES", {}))
    return kwargs, queries


@dataclass(frozen=True)
class Route:
    pattern: str  # the full pattern, e.g. "people/<int:person_id>/"
    name: str  # "namespace:name", or the pattern when unnamed
    callback: object
    namespace: str
    kwarg_names: tuple

    @property
    def access(self):
        return getattr(self.callback, "trappa_access", None)

    @property
    def roles(self):
        return getattr(self.callback, "trappa_roles", frozenset())

    @property
    def is_admin(self):
        return self.namespace.split(":")[0] == ADMIN_NAMESPACE

    @property
    def is_infra(self):
        return self.callback.__module__.startswith(INFRA_MODULES)

    def url(self, values):
        """The URL with `values` for the kwargs, checked to resolve back to this route."""
        url = "/" + _fill(self.pattern, values)
        match = resolve(url)
        assert match.func == self.callback, f"{url} does not resolve to {self.name}"
        return url


def project_routes(urlconf=None):
    routes = []
    _walk(get_resolver(urlconf).url_patterns, "", "", routes)
    return routes


def _walk(patterns, prefix, namespace, routes):
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            _walk(entry.url_patterns, pattern, inner, routes)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or pattern
            routes.append(Route(pattern, name, entry.callback, namespace, _kwarg_names(pattern)))


def _kwarg_names(pattern):
    """The kwargs of a full pattern, route style (<int:person_id>) or regex style ((?P<app_label>...))."""
    return tuple(a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern))


def _fill(pattern, values):
    """Put values into a route ("<int:person_id>") or regex ("(?P<app_label>a|b)") pattern."""
    url = re.sub(r"\(\?P<(\w+)>([^)]*)\)", lambda m: str(values.get(m.group(1)) or _first_choice(m.group(2))), pattern)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), url)
    # The regex anchors only: a `$` before a name is part of the route (FHIR's Patient/<id>/$everything).
    return re.sub(r"\$(?![A-Za-z])", "", url.replace("^", ""))


def _first_choice(regex_body):
    return regex_body.split("|")[0] if re.fullmatch(r"[\w|]+", regex_body) else "x"


def undeclared(routes):
    return [r.name for r in routes if not (r.is_admin or r.is_infra) and r.access not in (PUBLIC, STAFF, PERSON)]


def unknown_kwargs(routes, known):
    return sorted({(r.name, k) for r in routes if not r.is_admin for k in r.kwarg_names if k not in known})


class RouteMatrixChecks:
    """The matrix's set-up and checks, shared with its self-test below."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Names no page text can contain by chance, so a hit is a real leak.
        cls.per.given_name, cls.per.family_name = "Perizaad", "Utenforsdottir"
        cls.per.save(update_fields=["given_name", "family_name"])
        cls.role_users = [
            cls.alice,
            cls.bob,
            cls.charlie,
            cls.therapist,
            cls.course_leader,
            cls.caseworker,
            cls.coordinator,
            cls.unit_leader,
            cls.planner,
            cls.administrator,
        ]

    def setUp(self):
        self.routes = project_routes()
        self.kwargs, self.queries = _extensions()

    def _checkable_routes(self):
        """Routes the matrix requests: all but Django's admin (it has its own test) and
        routes the two tests above already fail on, so one bad route hides no others."""
        bad = set(undeclared(self.routes)) | {name for name, _ in unknown_kwargs(self.routes, self.kwargs)}
        return [r for r in self.routes if not r.is_admin and r.name not in bad]

    def _urls(self, routes, person):
        return {route.name: route.url(self._values(route, person)) for route in routes}

    def _values(self, route, person):
        return {name: self.kwargs[name].make(self, person) for name in route.kwarg_names}

    def _personal(self, route):
        return any(self.kwargs[name].personal for name in route.kwarg_names)

    def _request(self, route, url, method, user, data=None):
        """Request `url` as `user` (logged in already), logging in again if the route logged them out."""
        try:
            response = getattr(self.client, method)(url, data or {})
        except Exception as exc:  # a 500: name the route, the method and the user
            who = user.username if user else "a visitor"
            raise AssertionError(f"{method.upper()} {route.name} ({url}) as {who} raised {exc!r}") from exc
        if user is not None and "_auth_user_id" not in self.client.session:
            self.login(user)
        return response

    def _assert_no_leak(self, route, method, user, response):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode("utf-8", errors="replace")
        who = user.username if user else "a visitor"
        national_id = self.per.national_id
        for secret in (self.per.family_name, national_id, f"{national_id[:6]} {national_id[6:]}"):
            self.assertNotIn(secret, text, f"{method.upper()} {route.name} showed the outsider to {who}")

    def _assert_refused(self, route, method, user, response):
        status = response.status_code
        message = f"{method.upper()} {route.name} as {user.username} answered {status}"
        if route.access == PERSON and self._personal(route):
            self.assertIn(status, (403, 404, 405), message + " for the outsider: expected 403 or 404")
        if route.access == PERSON and user.role in (Role.PLANNER, Role.ADMINISTRATOR):
            self.assertIn(status, (403, 405), message + ": planners and administrators never see persons")
        # Once past the role check: a route closed to Charlie's role refuses him before it looks anything up.
        if user == self.charlie and route.access == PERSON and self._personal(route) and self._role_may(user, route):
            self.assertIn(status, (404, 405), message + ": another municipality's person must be a 404")

    def _role_may(self, user, route):
        return not route.roles or user.role in route.roles

    def _assert_insider_sees_and_is_logged(self, route):
        user = self._insider(route)
        self.login(user)
        url = route.url(self._values(route, self.olga))
        before = AccessLogEntry.objects.filter(person=self.olga, user=user).count()
        query = self.queries.get(route.name, {})
        response = self._request(route, url, "get", user, query)
        logged = AccessLogEntry.objects.filter(person=self.olga, user=user).count() > before
        if response.status_code == 405 or (query and not logged):  # a search form POSTs its query
            response = self._request(route, url, "post", user, query)
        self.assertIn(response.status_code, (200, 302), f"{route.name} for {user.username} and Olga")
        after = AccessLogEntry.objects.filter(person=self.olga, user=user).count()
        self.assertGreater(after, before, f"{route.name} showed Olga to {user.username} without logging it")

    def _insider(self, route):
        """Alice, or the first role user the route allows, with Olga on their worklist."""
        if not route.roles or Role.NURSE in route.roles:
            return self.alice
        user = next(u for u in self.role_users if u.role in route.roles and u.municipality == self.vefsn)
        CareRelationship.objects.get_or_create(person=self.olga, user=user, kind=CareRelationshipKind.WORKLIST)
        return user


class RouteMatrixTestCase(RouteMatrixChecks, BaseTestCase):
    def test_every_project_route_declares_its_access(self):
        missing = undeclared(self.routes)
        self.assertEqual(missing, [], f"Views without an access declaration (trappa/accounts/routes.py): {missing}")

    def test_every_route_kwarg_has_a_factory(self):
        missing = unknown_kwargs(self.routes, self.kwargs)
        self.assertEqual(
            missing,
            [],
            f"Routes with URL kwargs the route matrix cannot fill: {missing}. Add a factory for each kwarg to "
            "KWARGS in tests/audit/test_routes.py or ROUTE_KWARGS in tests/<app>/route_kwargs.py (see its docstring).",
        )

    def test_nothing_of_the_outsider_reaches_any_role(self):
        routes = self._checkable_routes()
        urls = self._urls(routes, self.per)
        for user in self.role_users:
            self.login(user)
            for route in routes:
                for method in ("get", "post"):
                    with self.subTest(route=route.name, method=method, user=user.username):
                        response = self._request(route, urls[route.name], method, user)
                        self._assert_no_leak(route, method, user, response)
                        self._assert_refused(route, method, user, response)

    def test_a_visitor_is_sent_to_log_in_and_sees_nothing(self):
        routes = self._checkable_routes()
        urls = self._urls(routes, self.per)
        login_url = reverse("accounts:login")
        for route in routes:
            for method in ("get", "post"):
                with self.subTest(route=route.name, method=method):
                    response = self._request(route, urls[route.name], method, None)
                    self._assert_no_leak(route, method, None, response)
                    if route.access in (PERSON, STAFF) and response.status_code != 405:
                        self.assertEqual(response.status_code, 302, f"{method.upper()} {route.name} logged out")
                        self.assertTrue(response["Location"].startswith(login_url), f"{route.name} logged out")

    def test_every_person_route_shows_olga_to_alice_and_logs_it(self):
        for route in self._checkable_routes():
            if route.access != PERSON:
                continue
            with self.subTest(route=route.name):
                self._assert_insider_sees_and_is_logged(route)

    def test_django_admin_lets_no_role_in(self):
        admin_routes = [r for r in self.routes if r.is_admin]
        self.assertTrue(admin_routes)
        admin_login = reverse("admin:login")
        for user in (self.alice, self.unit_leader, self.administrator, self.planner):
            self.login(user)
            for route in admin_routes:
                if route.name in ("admin:login", "admin:logout"):  # the way in, and out to the index
                    continue
                url = route.url(defaultdict(lambda: "1", ADMIN_KWARGS))
                response = self.client.get(url)
                with self.subTest(route=route.name, user=user.username):
                    self.assertIn(response.status_code, (302, 404, 405), url)
                    if response.status_code == 302:
                        self.assertTrue(response["Location"].startswith(admin_login), url)

    def test_django_admin_lets_a_superuser_in(self):
        superuser = User.objects.create(username="root", is_staff=True, is_superuser=True, municipality=self.vefsn)
        self.login(superuser)
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)


# -- the matrix's own checks: it must catch what it is meant to catch ----------


@public
def _declared(request, **kwargs):
    return HttpResponse("ok")


def _undeclared_view(request):
    return HttpResponse("no declaration")


@person_view()
def _person_page(request, widget_id):
    return HttpResponse("a widget")


@person_view()
def _leaky_person_page(request, person_id):
    # Wrong on purpose: no access helper, so no check and no log entry.
    return HttpResponse(Person.objects.get(pk=person_id).full_name)


urlpatterns = [
    path("declared/", _declared, name="declared"),
    path("undeclared/", _undeclared_view, name="undeclared"),
    path("widgets/<int:widget_id>/", _person_page, name="widget"),
    path("leaky/<int:person_id>/", _leaky_person_page, name="leaky"),
    path("accounts/", include(([path("login/", _declared, name="login")], "accounts"))),
]


@override_settings(ROOT_URLCONF=__name__)
class RouteMatrixSelfTestCase(RouteMatrixChecks, BaseTestCase):
    def test_it_names_a_route_without_an_access_declaration(self):
        self.assertEqual(undeclared(project_routes()), ["undeclared"])

    def test_it_names_a_kwarg_without_a_factory(self):
        self.assertEqual(unknown_kwargs(project_routes(), KWARGS), [("widget", "widget_id")])

    def test_it_fills_route_and_regex_patterns(self):
        self.assertEqual(_fill("people/<int:person_id>/", {"person_id": 7}), "people/7/")
        self.assertEqual(_fill("admin/^(?P<app_label>auth|axes)/$", {}), "admin/auth/")

    def test_it_catches_a_person_page_that_shows_the_outsider(self):
        route = next(r for r in project_routes() if r.name == "leaky")
        self.login(self.alice)
        response = self.client.get(route.url({"person_id": self.per.pk}))
        with self.assertRaises(AssertionError):
            self._assert_no_leak(route, "get", self.alice, response)
        with self.assertRaises(AssertionError):
            self._assert_refused(route, "get", self.alice, response)

    def test_it_catches_a_person_page_that_does_not_log(self):
        route = next(r for r in project_routes() if r.name == "leaky")
        with self.assertRaises(AssertionError):
            self._assert_insider_sees_and_is_logged(route)
