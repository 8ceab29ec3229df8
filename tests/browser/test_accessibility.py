"""axe-core (WCAG 2.0/2.1 A and AA) in headless Chromium on every public page in
every language, on the staff login page, and on the staff pages of every role.

Each test walks many pages and reports every problem at once; the test data is
built once per test (a live server needs committed data, so it is rebuilt after
each test's flush), which is why there are few tests and many pages per test.
"""

import pytest

from tests.browser.support import (
    LANGUAGES,
    audit_page,
    axe_violations,
    describe_violations,
    log_in,
    public_detail_urls,
    public_routes,
    staff_urls,
    use_language,
)

pytestmark = pytest.mark.browser

ROLES = ["alice", "therapist", "course_leader", "caseworker", "coordinator", "unit_leader", "planner", "administrator"]


def test_every_public_page_has_no_accessibility_violations_in_any_language(page, live_server, world):
    problems, skipped, checked = [], set(), 0
    for language in LANGUAGES:
        use_language(page, live_server.url, language)
        for url in public_routes():
            found, not_a_page = audit_page(page, live_server.url + url, language)
            problems, checked = problems + found, checked + (not not_a_page)
            skipped.update(not_a_page)
        for url in public_detail_urls(world):
            found, not_a_page = audit_page(page, live_server.url + url, language)
            # An app named this page: it must be one.
            problems += found + [f"{url}: not an HTML page" for _ in not_a_page]
            checked += 1
    print(f"{checked} public pages checked; not pages: {sorted(skipped)}")
    assert checked > 2 * len(LANGUAGES), f"too few public pages found; not pages: {sorted(skipped)}"
    assert not problems, "\n".join(problems)


def test_the_staff_login_page_has_no_accessibility_violations_even_with_errors(page, live_server, world):
    problems = []
    for language in LANGUAGES:
        use_language(page, live_server.url, language)
        url = live_server.url + "/accounts/login/"
        found, skipped = audit_page(page, url, language)
        assert not skipped, f"the login page is not a page: {skipped}"
        page.fill("input[name=username]", world.alice.username)
        page.fill("input[name=password]", "not the password")
        page.locator("main form button[type=submit]").first.click()
        assert page.locator("main .errorlist, main [role=alert]").count() > 0, "a failed login must say why"
        problems += found + describe_violations(f"{url} after a failed login [{language}]", axe_violations(page))
    assert not problems, "\n".join(problems)


def test_the_staff_pages_of_every_role_have_no_accessibility_violations(page, live_server, world):
    problems, skipped, checked = [], set(), 0
    for who in ROLES:
        user = getattr(world, who)
        page.context.clear_cookies()
        log_in(page, live_server.url, user, world.password)
        for url in ["/", *staff_urls(user, world.olga)]:
            found, not_a_page = audit_page(page, live_server.url + url, label=user.role)
            problems, checked = problems + found, checked + (not not_a_page)
            skipped.update(not_a_page)
    print(f"{checked} staff pages checked; not pages: {sorted(skipped)}")
    assert not problems, "\n".join(problems)
