"""In Chromium: the unit leader reads a proposed role with its reason and approves it;
the approval and history pages have no accessibility violations (axe)."""

import pytest

from tests.browser.support import audit_page, log_in
from trappa.accounts.approval import propose
from trappa.accounts.models import Role, User

pytestmark = pytest.mark.browser


def test_the_unit_leader_approves_a_proposed_role(page, live_server, world):
    nina = User.objects.create_user("nina", municipality=world.vefsn, first_name="Nina")
    reason = "Nina starts at the health station on Monday."
    propose(
        nina,
        role=Role.NURSE,
        unit=world.health,
        department=world.health_station,
        expires_at=None,
        reason=reason,
        proposed_by=world.administrator,
    )
    log_in(page, live_server.url, world.unit_leader, world.password)
    problems, _ = audit_page(page, live_server.url + "/accounts/roles/", label="proposals")
    assert not problems, problems
    assert reason in page.inner_text("main")
    with page.expect_navigation():
        page.locator("main form button[value=approve]").click()
    assert page.locator("main").get_by_text("nina").count() == 0, "an approved proposal no longer waits"
    nina.refresh_from_db()
    assert (nina.role, nina.unit_id) == (Role.NURSE, world.health.id)
    problems, _ = audit_page(page, f"{live_server.url}/accounts/users/{nina.id}/history/", label="history")
    assert not problems, problems
    assert reason in page.inner_text("main")
