import io
import tempfile
from contextlib import redirect_stderr
from pathlib import Path
from unittest import mock

from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from trappa.planning.models import PopulationSeries, ProjectionDataset
from trappa.test import BaseTestCase

DATA = Path(__file__).resolve().parent / "data"


class ImportProjectionCommandTest(BaseTestCase):
    def run_command(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_projection", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def bad_file(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / "bad.csv"
        path.write_bytes(b'"Region";"Kjonn";"Alder";"2030"\n"1824";"1";"070";..\n')
        return path

    def test_it_imports_a_file_and_says_what_it_stored(self):
        out, _ = self.run_command(str(DATA / "14288_tiny.json"), "--name", "SSB 14288")
        dataset = ProjectionDataset.objects.get()
        self.assertEqual((dataset.name, dataset.file_name, dataset.synthetic), ("SSB 14288", "14288_tiny.json", False))
        self.assertEqual(set(PopulationSeries.objects.values_list("region", flat=True)), {"1824", "3451"})
        self.assertIn(f"Imported SSB 14288: 2 municipalities, 2025–2026 (projection {dataset.pk}).", out)

    def test_it_imports_the_same_file_once(self):
        self.run_command(str(DATA / "14288_tiny.json"), "--name", "First")
        out, _ = self.run_command(str(DATA / "14288_tiny.json"), "--name", "Second")
        self.assertEqual(list(ProjectionDataset.objects.values_list("name", flat=True)), ["First"])
        self.assertIn("This file was imported before, as First", out)

    def test_it_marks_synthetic_figures(self):
        self.run_command(str(DATA / "14288_tiny_codes.csv"), "--name", "Sample", "--synthetic")
        self.assertTrue(ProjectionDataset.objects.get().synthetic)

    def test_it_draws_the_progress_of_reading_and_storing(self):
        _, err = self.run_command(str(DATA / "14288_tiny.json"), "--name", "SSB", "--progress")
        self.assertIn("Reading the projection file", err)
        self.assertIn("Storing the municipalities", err)
        self.assertIn("100%", err)

    def test_a_bad_file_fails_with_the_reason_and_stores_nothing(self):
        with self.assertRaisesMessage(CommandError, "The file could not be read: line 2"):
            self.run_command(str(self.bad_file()), "--name", "SSB")
        self.assertFalse(ProjectionDataset.objects.exists())
        self.assertFalse(PopulationSeries.objects.exists())

    def test_a_bad_file_ends_the_command_with_a_nonzero_exit_code(self):
        err = io.StringIO()
        utility = ManagementUtility(["manage.py", "import_projection", str(self.bad_file()), "--name", "SSB"])
        # As `manage.py` runs it, but keeping the test's database connection, which run_from_argv closes.
        with (
            redirect_stderr(err),
            self.assertRaises(SystemExit) as exit_,
            mock.patch("django.core.management.base.connections.close_all"),
        ):
            utility.execute()
        self.assertNotEqual(exit_.exception.code, 0)
        self.assertIn("The file could not be read: line 2", err.getvalue())
        self.assertIn("Nothing was stored.", err.getvalue())

    def test_it_says_when_the_file_does_not_exist(self):
        with self.assertRaisesMessage(CommandError, "No such file: /nowhere/14288.json"):
            self.run_command("/nowhere/14288.json", "--name", "SSB")
