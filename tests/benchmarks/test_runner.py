"""The benchmark runner keeps the sections it did not run, and stamps each section it ran with its own run."""

from unittest import mock

from django.test import SimpleTestCase

from benchmarks import run


class RunnerTest(SimpleTestCase):
    def test_a_partial_run_keeps_the_other_sections_each_with_the_run_that_measured_it(self):
        old = run.render({"alpha": "## Alpha\n\nold alpha\n\nMeasured in this run:\n\n- Date: long ago"})
        written = {}
        with (
            mock.patch.object(run, "discover", return_value=["alpha", "beta"]),
            mock.patch.object(run, "run_one", return_value="## Beta\n\nnew beta"),
            mock.patch.object(run, "machine", return_value="- Date: now"),
            mock.patch.object(run, "DOC") as doc,
        ):
            doc.exists.return_value = True
            doc.read_text.return_value = old
            doc.write_text.side_effect = lambda text, encoding: written.setdefault("text", text)
            self.assertEqual(run.main(["beta"]), 0)
        sections = dict(run.SECTION.findall(written["text"]))
        self.assertIn("old alpha", sections["alpha"])
        self.assertIn("- Date: long ago", sections["alpha"])
        self.assertNotIn("- Date: now", sections["alpha"])
        self.assertTrue(sections["beta"].strip().endswith("Measured in this run:\n\n- Date: now"))
        self.assertNotIn("- Date:", written["text"].split("<!-- benchmark:")[0])
