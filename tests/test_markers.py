"""Every test that drives the browser is marked `browser`: conftest.py fails one that is not."""

from types import SimpleNamespace

import pytest

from tests.markers import lacks_browser_marker


def _item(fixtures, marked):
    marker = pytest.mark.browser.mark if marked else None
    return SimpleNamespace(fixturenames=fixtures, get_closest_marker=lambda name: marker if name == "browser" else None)


def test_a_test_using_the_page_without_the_browser_marker_is_caught():
    assert lacks_browser_marker(_item(["live_server", "page"], marked=False))


def test_a_marked_browser_test_passes():
    assert not lacks_browser_marker(_item(["live_server", "page"], marked=True))


def test_a_test_without_the_page_needs_no_marker():
    assert not lacks_browser_marker(_item(["db"], marked=False))
