"""axe-core's best-practice rules (landmarks, one main heading, empty table headers ...) report
nothing on the public pages and on every page of every role, outside the demo banner."""

import pytest

from tests.browser.support import log_in, public_detail_urls, public_routes, staff_urls

pytestmark = pytest.mark.browser

ROLES = ["alice", "course_leader", "caseworker", "coordinator", "unit_leader", "planner", "administrator"]
AXE_BEST_PRACTICE = """async () => {
  const result = await axe.run({exclude: [['.demo-banner']]},
    {runOnly: {type: 'tag', values: ['best-practice']}, resultTypes: ['violations']});
  return result.violations.map(v =>
    v.id + ' (' + v.help + ') at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


def best_practice_issues(page, base_url, urls, who):
    found = []
    for url in urls:
        answer = page.request.get(base_url + url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(base_url + url)
        found += [f"{url} [{who}]: {issue}" for issue in page.evaluate(AXE_BEST_PRACTICE)]
    return found


def test_no_page_breaks_a_best_practice_rule(page, live_server, world):
    problems = best_practice_issues(page, live_server.url, public_routes() + public_detail_urls(world), "visitor")
    checked = set()
    for who in ROLES:
        user = getattr(world, who)
        page.context.clear_cookies()
        log_in(page, live_server.url, user, world.password)
        urls = [url for url in ["/workday/", *staff_urls(user, world.olga)] if url not in checked]
        problems += best_practice_issues(page, live_server.url, urls, user.role)
        checked.update(urls)
    assert not problems, "\n".join(problems)
