"""The API reference page (/api/) renders the schema in Chromium under the site's Content-Security-Policy.

Redoc lays itself out with styles it writes into the page and renders in a web worker from a blob:
URL; the site's policy forbids both everywhere else, so the page must loosen exactly those two for
itself. Without that the page showed Redoc's "Something went wrong" and nothing of the reference.
"""

import pytest

pytestmark = pytest.mark.browser


def test_the_api_reference_renders_the_schema_without_a_policy_violation(page, live_server, world):
    violations = []
    page.on("console", lambda message: "Content-Security-Policy" in message.text and violations.append(message.text))
    page.goto(live_server.url + "/api/")
    # Redoc draws the schema's title as its own heading, then the operations (or its error page).
    page.wait_for_selector("redoc h1", timeout=30_000)
    text = page.inner_text("main")
    assert "Something went wrong" not in text, text[:500]
    assert "Trappa API" in page.inner_text("redoc h1")
    page.get_by_text("/api/persons/", exact=False).first.wait_for(state="attached", timeout=30_000)
    assert not violations, violations[:3]
