"""No page scrolls sideways on a phone: every page of every role, and the public pages, at
390 px (an iPhone 12-15 in portrait); the action plan, the widest page, also at 1280 px.

A page fits when the document is no wider than the window: wide tables scroll inside
their own labelled region (static/js/tables.js), never the page.
"""

import pytest

from tests.browser.support import log_in, public_detail_urls, public_routes, staff_urls
from trappa.catalogue.models import ActionPlan

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ROLES = ["alice", "therapist", "course_leader", "caseworker", "coordinator", "unit_leader", "planner", "administrator"]
WIDTH = """() => ({
  page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth,
  widest: [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect(); return r.right > document.documentElement.clientWidth + 1 && r.width > 0
      && !e.closest('.table-scroll');
  }).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''))
})"""


def too_wide(page, base_url, urls, label):
    problems = []
    for url in urls:
        answer = page.request.get(base_url + url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(base_url + url)
        width = page.evaluate(WIDTH)
        if width["page"] > width["window"]:
            problems.append(
                f"{url} [{label}]: {width['page']} px wide in a {width['window']} px window {width['widest']}"
            )
    return problems


def test_no_page_scrolls_sideways_on_a_phone(page, live_server, world):
    page.set_viewport_size(PHONE)
    problems = too_wide(page, live_server.url, public_routes() + public_detail_urls(world), "visitor")
    checked = set()
    for who in ROLES:
        user = getattr(world, who)
        page.context.clear_cookies()
        log_in(page, live_server.url, user, world.password)
        urls = [url for url in ["/workday/", *staff_urls(user, world.olga)] if url not in checked]
        problems += too_wide(page, live_server.url, urls, user.role)
        checked.update(urls)
    page.set_viewport_size(DESKTOP)
    assert not problems, "\n".join(problems)


def test_the_action_plan_fits_a_phone_and_a_desktop_screen(page, live_server, world):
    log_in(page, live_server.url, world.planner, world.password)
    plans = [f"/offerings/plans/{plan.code}/" for plan in ActionPlan.objects.all()[:3]]
    assert plans, "the catalogue data has no action plan"
    problems = []
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        problems += too_wide(page, live_server.url, plans, f"planner at {size['width']} px")
    page.set_viewport_size(DESKTOP)
    assert not problems, "\n".join(problems)
