"""docs/planning-sources.md lists every default a run can use, with its source (issue #15)."""

import datetime
from pathlib import Path

from django.test import SimpleTestCase

from trappa.planning import params

DOC = Path(__file__).resolve().parents[2] / "docs" / "planning-sources.md"


class PlanningSourcesTest(SimpleTestCase):
    def test_every_default_is_listed_with_its_source(self):
        text = DOC.read_text()
        ps = params.load(datetime.date(2026, 12, 3))
        for value in ps.values():
            with self.subTest(parameter=value.name):
                self.assertIn(f"| `{value.name}` |", text)
                self.assertTrue(value.source)
        self.assertIn("| `usage_rates` |", text)

    def test_low_confidence_comes_with_a_range(self):
        for value in params.load(datetime.date(2026, 12, 3)).values():
            if value.confidence == "low" and not value.optimistic:
                with self.subTest(parameter=value.name):
                    self.assertIsNotNone(value.low, "a low-confidence value needs its range")
