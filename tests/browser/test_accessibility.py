"""axe-core (WCAG 2.0/2.1 A and AA) in headless Chromium on every public page in
every language, on the staff login page, and on the staff pages of every role."""

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


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_no_accessibility_violations(page, live_server, world, language):
    use_language(page, live_server.url, language)
    problems, skipped, checked = [], [], 0
    for url in public_routes():
        found, not_a_page = audit_page(page, live_server.url + url, language)
        problems, skipped, checked = problems + found, skipped + not_a_page, checked + (not not_a_page)
    for url in public_detail_urls(world):
        found, not_a_page = audit_page(page, live_server.url + url, language)
        # An app named this page: it must be one.
        problems += found + [f"{url}: not an HTML page" for _ in not_a_page]
        checked += 1
    assert checked > 1, f"only the front page was checked; skipped: {skipped}"
    assert not problems, "\n".join([f"{checked} public pages checked; not pages: {skipped}", *problems])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_staff_login_page_has_no_accessibility_violations_even_with_errors(page, live_server, world, language):
    use_language(page, live_server.url, language)
    url = live_server.url + "/accounts/login/"
    problems, skipped = audit_page(page, url, language)
    assert not skipped, f"the login page is not a page: {skipped}"
    page.fill("input[name=username]", world.alice.username)
    page.fill("input[name=password]", "not the password")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator("main .errorlist, main [role=alert]").count() > 0, "a failed login must say why"
    problems += describe_violations(f"{url} after a failed login [{language}]", axe_violations(page))
    assert not problems, "\n".join(problems)


ROLES = ["alice", "therapist", "course_leader", "caseworker", "coordinator", "unit_leader", "planner", "administrator"]


@pytest.mark.parametrize("who", ROLES)
def test_the_staff_pages_of_every_role_have_no_accessibility_violations(page, live_server, world, who):
    user = getattr(world, who)
    log_in(page, live_server.url, user, world.password)
    problems, skipped = [], []
    for url in ["/", *staff_urls(user, world.olga)]:
        found, not_a_page = audit_page(page, live_server.url + url, label=user.role)
        problems, skipped = problems + found, skipped + not_a_page
    assert not problems, "\n".join([f"staff pages checked as {user.username}; not pages: {skipped}", *problems])
