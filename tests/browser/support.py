"""Helpers for the browser tests: the browser's set-up, page discovery, axe-core, logging in.

Pages are discovered, not listed: every route whose view is declared `@public`
(trappa/accounts/routes.py) and takes no URL kwargs, plus the concrete detail pages
an app offers through a function `urls_for_accessibility_tests()` in its package
or its urls module (e.g. trappa.catalogue: one offering page per municipality),
plus EXTRA_PUBLIC_URLS below. Staff pages are discovered the same way from the
`@staff_required` and `@person_view` declarations. See docs/accessibility.md.
"""

import importlib.util
import time
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trappa.accounts.routes import PERSON, PUBLIC, STAFF
from trappa.test import BaseTestCase

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Public pages no route declaration or app hook finds: add a path here, or a
# function `lambda world: path` when the path needs the test's objects.
EXTRA_PUBLIC_URLS = []

# Management commands that load public seed data (the catalogue ...), run when
# they exist so public pages are tested with real content, not empty lists.
SEED_COMMANDS = ["load_catalogue"]


class World(BaseTestCase):
    """Not a test: the named people of BaseTestCase, created for a live server."""

    __test__ = False

    @classmethod
    def create(cls):
        cls.setUpTestData()
        commands = get_commands()
        for name in SEED_COMMANDS:
            if name in commands:
                call_command(name, verbosity=0)
        return cls


# --- Discovering pages ------------------------------------------------------


def routes(patterns=None, prefix=""):
    """Yield (path template, view, takes_kwargs) for every URL pattern of the project."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        template = prefix + _route_text(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, template)
        else:
            yield template, pattern.callback, "<" in template or "(" in template


def _route_text(pattern):
    # Route patterns print as written ("offerings/<slug:slug>/"); regex patterns
    # (Django admin's include) as a regex, which only kwarg-free paths need read.
    text = str(pattern)
    return text.removeprefix("^").removesuffix("$").replace("\\", "") if text.startswith("^") else text


def access_of(view):
    return getattr(view, "trappa_access", None)


def public_routes():
    """Paths of the kwarg-free routes declared @public. Some are endpoints rather than
    pages (an OpenID Connect redirect, off unless configured): those answering with
    anything but an HTML page are reported as skipped, never silently passed."""
    return sorted({"/" + path for path, view, kwargs in routes() if access_of(view) == PUBLIC and not kwargs})


def public_detail_urls(world):
    """Concrete public pages the apps name (detail pages with kwargs): each must be a 200 page."""
    urls = [url for hook in _app_hooks() for url in hook()]
    urls += [extra(world) if callable(extra) else extra for extra in EXTRA_PUBLIC_URLS]
    return sorted({"/" + url.lstrip("/") for url in urls})


def _app_hooks():
    for config in apps.get_app_configs():
        if not config.name.startswith("trappa."):
            continue
        for module_name in (config.name, config.name + ".urls"):
            if importlib.util.find_spec(module_name) is None:
                continue  # an app without pages (the demo app) has no urls module
            hook = getattr(import_module(module_name), "urls_for_accessibility_tests", None)
            if hook:
                yield hook
                break


def staff_urls(user, person):
    """Kwarg-free staff pages this user's role may open, and the pages of `person`
    (a person on the user's worklist) that take nothing but a person_id."""
    urls = []
    for template, view, kwargs in routes():
        if access_of(view) not in (STAFF, PERSON) or not _role_allowed(user, view):
            continue
        if not kwargs:
            urls.append(("/" + template, view))
        elif access_of(view) == PERSON and _only_person_id(template):
            urls.append(("/" + _fill_person_id(template, person.pk), view))
    return sorted({url for url, view in urls if _resolves_to(url, view)})


def _role_allowed(user, view):
    roles = getattr(view, "trappa_roles", frozenset())
    if access_of(view) == PERSON and not user.sees_personal_data:
        return False
    return not roles or user.role in roles


def _only_person_id(template):
    return template.count("<") == 1 and ("<person_id>" in template or ":person_id>" in template)


def _fill_person_id(template, person_id):
    start, end = template.index("<"), template.index(">")
    return template[:start] + str(person_id) + template[end + 1 :]


def _resolves_to(url, view):
    try:
        return resolve(url).func is view
    except Resolver404:
        return False


# --- axe-core -----------------------------------------------------------------

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  }));
}"""


def axe_violations(page):
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as loaded."""
    return page.evaluate(AXE_RUN, AXE_TAGS)


def describe_violations(where, violations):
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    see {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    at {node['target']}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return lines


def audit_page(page, url, language=None, label=""):
    """Open url and return (problems, skipped): a 5xx, the wrong <html lang>, axe violations;
    or, for a route that is not an HTML page (404, 405, a redirect away, a download), a skip.

    The answer is checked without the page first: Chromium turns downloads and bare error
    answers into navigations of its own that would cut the next page short."""
    where = f"{url} [{language or label}]"
    answer = page.request.get(url, max_redirects=0)
    kind = answer.headers.get("content-type", "").split(";")[0]
    if answer.status >= 500:
        return [f"{where}: HTTP {answer.status}"], []
    if answer.status != 200 or kind != "text/html":
        return [], [f"{url} ({answer.status} {kind})"]
    page.goto(url)
    problems = []
    shown = page.get_attribute("html", "lang")
    if language and shown != language:
        problems.append(f"{where}: <html lang> is {shown!r}, not {language!r}")
    return problems + describe_violations(where, axe_violations(page)), []


class Audit:
    """Audits pages and follows their links: the given pages always, and of the pages
    they link to, one per URL route (every offering page shares one template) whose
    view `follow(view)` accepts. Problems and skipped routes are collected, not raised,
    so one run reports everything."""

    def __init__(self, page, base_url, follow, limit=150):
        self.page, self.base_url, self.follow, self.limit = page, base_url, follow, limit
        self.problems, self.skipped, self.routes, self.checked = [], set(), set(), 0

    def run(self, urls, language=None, label="", strict=False, new_routes_only=False):
        queue = [(url, True) for url in urls]
        while queue and self.checked < self.limit:
            url, given = queue.pop(0)
            match = _match(url)
            seen = match is None or match.route in self.routes
            if (given and new_routes_only and seen) or (not given and (seen or not self.follow(match.func))):
                continue
            found, not_a_page = audit_page(self.page, self.base_url + url, language, label)
            self.problems += found
            if strict and given and not_a_page:
                self.problems.append(f"{url}: not an HTML page {not_a_page}")
            self.skipped.update(not_a_page)
            if not not_a_page:
                self.checked += 1
                self.routes.add(match.route if match else url)
                queue += [(link, False) for link in self._links()]

    def _links(self):
        hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        paths = [href.removeprefix(self.base_url).split("#")[0].split("?")[0] for href in hrefs]
        return [path for path in dict.fromkeys(paths) if path.startswith("/")]

    def report(self, what):
        return "\n".join([f"{self.checked} {what} checked; not pages: {sorted(self.skipped)}", *self.problems])


def _match(url):
    try:
        return resolve(url)
    except Resolver404:
        return None


def use_language(page, base_url, language):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])


# --- Logging in -----------------------------------------------------------------


def totp_device(user):
    return TOTPDevice.objects.create(user=user, name="browser test", confirmed=True)


def current_code(device):
    """The code an authenticator app would show now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def code_input(page):
    """The one-time code field of the second login step, if the page asks for one."""
    field = page.locator("main form input:visible:not([type=hidden]):not([type=submit]):not([type=checkbox])")
    return field.first if field.count() == 1 else None


def log_in(page, base_url, user, password):
    """Log in through the real forms: password, then a TOTP code from a new device."""
    device = totp_device(user)
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    field = code_input(page)
    if field is not None:
        field.fill(current_code(device))
        page.locator("main form button[type=submit]").first.click()
    page.goto(base_url + "/")
    assert page.locator("header").get_by_text(user.get_full_name() or user.username).count() > 0, (
        f"{user.username} did not get logged in; the page says: {page.inner_text('main')[:500]}"
    )


# --- Keyboard ---------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {
    tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'), type: e.getAttribute('type'),
    href: e.getAttribute('href'), text: (e.innerText || e.value || '').trim().slice(0, 60),
    inMain: !!e.closest('main'),
    ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
  };
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, what, limit=150):
    """Press Tab until `wanted(focused element)` holds, checking on the way that every
    element that gets focus is on screen with a visible focus indicator."""
    path = []
    element = focused(page)
    for _ in range(limit):
        if element["tag"] != "body" and wanted(element):
            return element
        page.keyboard.press("Tab")
        element = focused(page)
        path.append(f"{element['tag']} {element['href'] or element['name'] or element['id'] or ''} {element['text']!r}")
        assert element["onScreen"], f"focus went to something not on screen: {path[-1]}"
        assert element["ring"] or element["tag"] == "body", f"no visible focus indicator on {path[-1]}"
    raise AssertionError(f"could not reach {what} with Tab; focus went through:\n" + "\n".join(path))
