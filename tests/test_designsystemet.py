"""Designsystemet is served as static files copied from the pinned npm package, never fetched at run time."""

import json
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

BASE = Path(settings.BASE_DIR)
VENDOR = BASE / "static" / "vendor" / "designsystemet"
PACKAGE = BASE / "node_modules" / "@digdir" / "designsystemet-css"
COPIES = {
    "designsystemet.css": "dist/src/index.css",
    "theme.css": "dist/theme/designsystemet.css",
    "LICENSE": "LICENSE",
}


class DesignsystemetTest(SimpleTestCase):
    def test_the_version_is_pinned_exactly(self):
        declared = json.loads((BASE / "package.json").read_text())["devDependencies"]["@digdir/designsystemet-css"]
        locked = json.loads((BASE / "package-lock.json").read_text())["packages"]
        self.assertRegex(declared, r"^\d+\.\d+\.\d+$")
        self.assertEqual(locked["node_modules/@digdir/designsystemet-css"]["version"], declared)

    def test_the_served_files_are_the_pinned_package_s(self):
        # `make designsystemet` copies them; node_modules comes from `npm ci` (make browser-deps).
        installed = json.loads((PACKAGE / "package.json").read_text())["version"]
        declared = json.loads((BASE / "package.json").read_text())["devDependencies"]["@digdir/designsystemet-css"]
        self.assertEqual(installed, declared, "run `npm ci`")
        for served, source in COPIES.items():
            with self.subTest(file=served):
                copy, original = (VENDOR / served).read_bytes(), (PACKAGE / source).read_bytes()
                self.assertEqual(copy, original, "run `make designsystemet`")

    def test_the_css_loads_nothing_from_elsewhere(self):
        for name in ("designsystemet.css", "theme.css"):
            text = (VENDOR / name).read_text()
            self.assertNotIn("@import", text)
            self.assertNotRegex(text, r"url\((['\"])?https?:")
