"""A refusal writes one log line, not a traceback (issue 12, finding 7)."""

import io
import logging

from trappa.test import BaseTestCase


class QuietRefusalTest(BaseTestCase):
    def test_a_refused_page_logs_one_line_without_a_traceback(self):
        handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
        stream = io.StringIO()
        previous = handler.setStream(stream)
        self.addCleanup(handler.setStream, previous)
        self.login(self.planner)
        response = self.client.get(f"/people/{self.olga.pk}/")
        self.assertEqual(response.status_code, 403)
        lines = stream.getvalue().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("Forbidden", lines[0])
        self.assertNotIn("Traceback", stream.getvalue())
