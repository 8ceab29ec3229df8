"""No English on Norwegian pages: every page each role reaches, and the public pages, rendered
in Chromium in bokmål and nynorsk, must show none of the product's own English texts.

The English texts are the product's msgids that bokmål translates to something else
(locale/nb/LC_MESSAGES/django.po), cut at their placeholders, keeping the pieces long
enough to be unambiguous (three words and 15 characters) that no Norwegian translation
contains. A page showing one missed a translation: a string not marked, a label from a
data file in English only, a field without a verbose_name. Numbers are checked too: no
decimal point ("116.0") and no negative zero ("-0") in Norwegian text.

Pages are found by following the links each role is shown, from the start page (as
tests/test_links.py does), one URL per route and language.
"""

import datetime
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from tests.browser.support import log_in, public_detail_urls, public_routes, use_language
from tests.planning.base import SAMPLE
from tests.referrals.base import make_group
from tests.test_translations import read_po
from trappa.catalogue.models import Offering
from trappa.outreach.worklist import build
from trappa.people.models import Sex
from trappa.planning import params
from trappa.planning import services as planning
from trappa.planning.models import PopulationSeries
from trappa.referrals import services
from trappa.referrals.models import Source, Status

pytestmark = pytest.mark.browser

ROLES = ["alice", "course_leader", "caseworker", "coordinator", "unit_leader", "planner", "administrator"]
LANGUAGES = ["nb", "nn"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}")
MIN_WORDS, MIN_LENGTH = 3, 15
SKIP = ("/static/", "/django-admin/", "/i18n/", "/accounts/logout/")
FILES = (".csv", ".xlsx", ".pdf", ".json", ".yaml")  # downloads, not pages (and slow to make)
LIMIT = 250  # pages per language; one URL per route keeps the crawl well below it
# A number with a decimal point (not a date like 03.12.2026, nor a section like 3.1.2), or a negative zero.
DECIMAL_POINT = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")
NEGATIVE_ZERO = re.compile(r"(?<![\d,.])[-−]0(?![\d,.])")
# The page's text (the page is read once, so its DOM may be changed) without the demo banner and
# without what is marked as another language (a citation in English, the API's English reference).
PAGE_TEXT = """() => {
  document.querySelectorAll('.demo-banner, [lang]:not(html)').forEach(e => e.remove());
  document.querySelectorAll('svg text').forEach(t => { t.textContent = ' ' + t.textContent + ' '; });
  return document.body.innerText;
}"""


@cache
def english_texts():
    """{piece: msgid}: the pieces of the product's English messages no Norwegian translation has."""
    locale = Path(settings.BASE_DIR) / "locale"
    bokmal = read_po(locale / "nb" / "LC_MESSAGES" / "django.po")
    nynorsk = read_po(locale / "nn" / "LC_MESSAGES" / "django.po")
    norwegian = " ".join(s for entries in (bokmal, nynorsk) for msgstrs, _flags in entries.values() for s in msgstrs)
    pieces = {}
    for (_context, msgid, _plural), (msgstrs, _flags) in bokmal.items():
        if msgid in msgstrs:
            continue  # the same in both languages (a name, a code)
        for piece in PLACEHOLDER.split(msgid):
            piece = " ".join(piece.split()).strip(" .,:;()–-")
            if len(piece.split()) >= MIN_WORDS and len(piece) >= MIN_LENGTH and piece not in norwegian:
                pieces[piece] = msgid
    return pieces


def english_on(text):
    text = " ".join(text.split())
    found = [f"English: {piece!r}" for piece in english_texts() if piece in text]
    found += [f"number with a decimal point: {m.group()!r}" for m in DECIMAL_POINT.finditer(text)]
    found += [f"negative zero: {text[max(0, m.start() - 30) : m.end() + 10]!r}" for m in NEGATIVE_ZERO.finditer(text)]
    return found


class Crawl:
    """Opens pages in one language and follows their links, one URL per route."""

    def __init__(self, page, base_url, language):
        self.page, self.base_url, self.language = page, base_url, language
        self.routes, self.problems, self.checked = set(), [], 0

    def run(self, start, who):
        queue, seen = list(start), set(start)
        while queue and self.checked < LIMIT:
            url = queue.pop(0)
            answer = self.page.request.get(self.base_url + url, max_redirects=0)
            if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
                continue
            self.page.goto(self.base_url + url)
            self.checked += 1
            self.problems += [f"{url} [{self.language}, {who}]: {p}" for p in english_on(self.page.evaluate(PAGE_TEXT))]
            for link in self._links():
                if link not in seen and self._new_route(link):
                    seen.add(link)
                    queue.append(link)

    def _links(self):
        hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            parts = urlsplit(href)
            page = not parts.path.startswith(SKIP) and not parts.path.endswith(FILES)
            if href.startswith(self.base_url) and page:
                yield parts.path + (f"?{parts.query}" if parts.query else "")

    def _new_route(self, link):
        try:
            route = resolve(urlsplit(link).path).route
        except Resolver404:
            return False  # tests/test_links.py fails on those
        if route in self.routes:
            return False
        self.routes.add(route)
        return True


def fill_the_world(world):
    """Groups with participants and a waitlist, referrals, the worklist: pages with rows to read."""
    offering = Offering.objects.filter(municipality=world.vefsn).order_by("code").first()
    group = make_group(offering, leader=world.course_leader, capacity=1)
    gerd = world.make_person("02885100047", "Gerd", "Venter", datetime.date(1951, 8, 2), Sex.FEMALE)
    services.enroll(group, world.olga)
    services.enroll(group, gerd)
    referral = services.refer(world.olga, offering, Source.GP, world.alice, "falls", unit=world.health)
    services.change_status(referral, Status.RELEVANT, world.alice)
    build(world.vefsn)
    dataset = planning.import_projection("Demo", SAMPLE.name, SAMPLE.read_bytes(), synthetic=True)
    series = PopulationSeries.objects.get(dataset=dataset, region="1824")
    chosen = {key: {"mode": "evidence"} for key in params.load().interventions}
    cleaned = {"name": "Evidens", "horizon": 2050, "rate_source": "national", "interventions": chosen}
    planning.create_run(world.vefsn, None, series, {**cleaned, "seed": 1, "draws": 100})


def test_no_norwegian_page_shows_the_products_english(page, live_server, world):
    fill_the_world(world)
    problems, checked = [], {}
    for language in LANGUAGES:
        page.context.clear_cookies()
        use_language(page, live_server.url, language)
        crawl = Crawl(page, live_server.url, language)
        crawl.run(["/", *public_routes(), *public_detail_urls(world)], "visitor")
        for who in ROLES:
            user = getattr(world, who)
            page.context.clear_cookies()
            use_language(page, live_server.url, language)
            log_in(page, live_server.url, user, world.password)
            crawl.routes.discard("workday/")  # every role's own start page
            crawl.run(["/workday/"], user.role)
        problems += crawl.problems
        checked[language] = crawl.checked
    assert english_texts(), "no English texts to look for: the catalogue was not read"
    assert not problems, f"pages checked: {checked}\n" + "\n".join(sorted(set(problems)))
