"""axe-core on the upload pages of the welfare-technology and medicine-list imports: the form, the form
refused without a file, and the job page of a file rejected with its row errors."""

import pytest

from tests.browser.support import audit_page, axe_violations, describe_violations, log_in, use_language
from trappa.test import OLGA_ID

pytestmark = pytest.mark.browser

UPLOADS = {
    "/activity/welfare-technology/import/": (
        "velferdsteknologi.csv",
        f"national_id,technology,since\n{OLGA_ID},robot,2026-03-01\n",
    ),
    "/outreach/medicine-lists/import/": (
        "legemiddellister.csv",
        f"national_id;reported_on;medicines\n{OLGA_ID};2026-01-15;many\n",
    ),
}


def test_the_upload_pages_and_their_reports_have_no_accessibility_violations(page, live_server, world, tmp_path):
    use_language(page, live_server.url, "en")
    log_in(page, live_server.url, world.caseworker, world.password)
    problems = []
    for path, (name, content) in UPLOADS.items():
        url = live_server.url + path
        found, skipped = audit_page(page, url, "en")
        assert not skipped, f"the upload page is not a page: {skipped}"
        problems += found
        with page.expect_navigation():
            page.get_by_role("button", name="Start import").click()
        assert page.locator("main .errorlist").count() > 0, "a form sent without a file must say why"
        problems += describe_violations(f"{url} without a file", axe_violations(page))
        upload = tmp_path / name
        upload.write_text(content, encoding="utf-8")
        page.set_input_files("#id_file", str(upload))
        with page.expect_navigation():
            page.get_by_role("button", name="Start import").click()
        page.get_by_text("The file was rejected").wait_for()
        assert page.locator("main table td").count() >= 3, page.inner_text("main")[:500]
        problems += describe_violations(f"{page.url} (a rejected {name})", axe_violations(page))
    assert not problems, "\n".join(problems)
