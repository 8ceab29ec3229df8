"""Issue #16: the first-contact mapping page and the suggestions it ends in pass axe, and a
suggestion becomes a referral with one click; a rehabilitation stay's page, with its plan and
physiotherapy, passes axe too."""

import pytest

from tests.browser.support import axe_violations, describe_violations, log_in, use_language
from trappa.referrals import services
from trappa.referrals.models import FirstContactMapping, Pathway, Referral, Source

pytestmark = pytest.mark.browser


def test_the_mapping_ends_in_suggestions_that_refer_in_one_click(page, live_server, world):
    use_language(page, live_server.url, "en")
    log_in(page, live_server.url, world.alice, world.password)
    page.goto(f"{live_server.url}/referrals/{world.olga.pk}/mapping/")
    problems = describe_violations("first-contact mapping form", axe_violations(page))
    page.select_option("#id_kind", "home_services_application")
    page.fill("#id_what_matters", "Lage middag selv")
    page.fill("#id_challenges", "Trappa opp til soverommet")
    page.get_by_role("group", name="Is there something the person can train on").get_by_label("Yes").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and see the suggestions").click()
    assert FirstContactMapping.objects.filter(person=world.olga).exists(), page.inner_text("main")[:500]
    problems += describe_violations("first-contact mapping and its suggestions", axe_violations(page))
    assert not problems, "\n".join(problems)
    with page.expect_navigation():
        page.get_by_role("button", name="Refer to Everyday rehabilitation").click()
    referral = Referral.objects.get(person=world.olga, mapping__isnull=False)
    assert (referral.offering.code, referral.goals) == ("hverdagsrehabilitering", "Lage middag selv")
    assert page.get_by_role("link", name="Referred").count() == 1

    stay = services.refer(
        world.olga, None, Source.HOSPITAL, world.alice, "", unit=world.alice.unit, pathway=Pathway.REHABILITATION_STAY
    )
    services.record_physiotherapy(stay, stay.referred_on, world.alice)
    page.goto(f"{live_server.url}/referrals/r/{stay.pk}/")
    assert page.get_by_text("1 session recorded").count() == 1, page.inner_text("main")[:500]
    problems = describe_violations("rehabilitation stay", axe_violations(page))
    assert not problems, "\n".join(problems)
