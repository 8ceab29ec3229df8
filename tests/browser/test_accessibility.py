"""axe-core (WCAG 2.0/2.1 A and AA) in headless Chromium on every public page in
every language, on the staff login page, and on the staff pages of every role.

Each test walks many pages and reports every problem at once; the test data is
built once per test (a live server needs committed data, so it is rebuilt after
each test's flush), which is why there are few tests and many pages per test.
"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.support import (
    LANGUAGES,
    PERSON,
    PUBLIC,
    STAFF,
    Audit,
    access_of,
    audit_page,
    axe_violations,
    current_code,
    describe_violations,
    log_in,
    public_detail_urls,
    public_routes,
    staff_urls,
    use_language,
)
from trappa.accounts import enrollment

pytestmark = pytest.mark.browser

ROLES = ["alice", "therapist", "course_leader", "caseworker", "coordinator", "unit_leader", "planner", "administrator"]


def test_every_public_page_has_no_accessibility_violations_in_any_language(page, live_server, world):
    problems = []
    for language in LANGUAGES:
        use_language(page, live_server.url, language)
        audit = Audit(page, live_server.url, follow=lambda view: access_of(view) == PUBLIC)
        audit.run(public_routes(), language)
        # The pages the apps name must be pages.
        audit.run(public_detail_urls(world), language, strict=True)
        print(audit.report(f"public pages in {language}"))
        assert audit.checked > 2, audit.report("public pages")
        problems += audit.problems
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
    # Each staff route is checked once, by the first role that can open it; every
    # role's own front page (its menu) is checked.
    audit = Audit(page, live_server.url, follow=lambda view: access_of(view) in (STAFF, PERSON))
    for who in ROLES:
        user = getattr(world, who)
        page.context.clear_cookies()
        log_in(page, live_server.url, user, world.password)
        audit.run(["/"], label=user.role)
        audit.run(staff_urls(user, world.olga), label=user.role, new_routes_only=True)
    print(audit.report("staff pages"))
    assert not audit.problems, audit.report("staff pages")


def test_the_two_factor_enrollment_pages_have_no_accessibility_violations(page, live_server, world):
    # Bob has no authenticator yet: after the password he gives the one-time enrollment code his unit
    # leader issued (issue 12), enrolls (QR code, key), then sees backup codes.
    code = enrollment.issue(world.bob, issued_by=world.unit_leader)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", world.bob.username)
    page.fill("input[name=password]", world.password)
    page.locator("main form button[type=submit]").first.click()
    assert "/enroll/" in page.url, f"expected the enrollment page, got {page.url}"
    problems = describe_violations("enrollment code", axe_violations(page))
    page.locator("main form input:visible:not([type=hidden])").first.fill(code)
    page.locator("main form button[type=submit]").first.click()
    assert "/enroll/" in page.url, f"expected the enrollment page, got {page.url}: {page.inner_text('main')[:300]}"
    problems += describe_violations("enrollment", axe_violations(page))
    device = TOTPDevice.objects.get(user=world.bob, confirmed=False)
    page.locator("main form input:visible:not([type=hidden])").first.fill(current_code(device))
    page.locator("main form button[type=submit]").first.click()
    assert "/backup-codes/" in page.url, f"expected the backup codes, got {page.url}: {page.inner_text('main')[:300]}"
    problems += describe_violations("backup codes", axe_violations(page))
    assert not problems, "\n".join(problems)
