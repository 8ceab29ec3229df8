"""The planning pages that explain a result, in a browser with axe-core, in both Norwegian forms:
the run page, its sensitivity (tornado), the reconciliation of the consultant's figures and the
KOSTRA comparison (issue #15)."""

import pytest

from tests.browser.conftest import browser_context, page, world  # noqa: F401 - the shared browser fixtures
from tests.browser.support import audit_page, log_in, use_language
from trappa.planning import params, services
from trappa.planning.models import PopulationSeries, Reconciliation

from .base import SAMPLE

pytestmark = pytest.mark.browser


def test_the_explaining_pages_have_no_accessibility_violations_and_norwegian_numbers(page, live_server, world):  # noqa: F811
    dataset = services.import_projection("Demo", SAMPLE.name, SAMPLE.read_bytes(), synthetic=True)
    series = PopulationSeries.objects.get(dataset=dataset, region="1824")
    chosen = {key: {"mode": "evidence"} for key in params.load().interventions}
    cleaned = {
        "name": "Evidens",
        "horizon": 2050,
        "rate_source": "national",
        "interventions": chosen,
        "seed": 1,
        "draws": 100,
    }
    run = services.create_run(world.vefsn, None, series, cleaned)
    Reconciliation.objects.create(
        municipality=world.vefsn, run=run, name="PwC 2023", year=2050, institution=-83, home_services=-121
    )
    log_in(page, live_server.url, world.planner, world.password)
    problems = []
    for language in ("nb", "nn"):
        use_language(page, live_server.url, language)
        for path in (
            f"/planning/runs/{run.pk}/",
            f"/planning/runs/{run.pk}/sensitivity/",
            "/planning/reconcile/",
            "/planning/kostra/",
        ):
            found, skipped = audit_page(page, live_server.url + path, language)
            assert not skipped, skipped
            problems += found
        # Numbers are written the Norwegian way: a decimal comma in the relative risk needed.
        page.goto(live_server.url + "/planning/reconcile/")
        assert page.locator("main table").nth(1).get_by_text("0,", exact=False).count() > 0
    assert not problems, "\n".join(problems)
