"""Every CSV and xlsx export goes through trappa/lib/exports.py, which neutralises formulas (#13 finding 13)."""

import csv
import io
import re
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from openpyxl import load_workbook

from tests.planning.base import PlanningTestCase
from trappa.activity import exports as activity_exports
from trappa.activity import statistics
from trappa.catalogue.models import ActionPlan, Measure
from trappa.lib.exports import FORMULA_STARTS, csv_bytes, safe_cell
from trappa.planning.models import PlanningRun, ProjectionDataset
from trappa.referrals import reports
from trappa.test import BaseTestCase

HOSTILE = '=HYPERLINK("http://evil.example","proj")'
HOSTILE_STARTS = [HOSTILE, "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
ROOT = Path(__file__).resolve().parent.parent / "trappa"


def csv_cells(content):
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def live_formulas(content):
    """Cells of an xlsx a spreadsheet would run: stored as formulas, or text starting like one."""
    book = load_workbook(io.BytesIO(content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            found += [c.value for c in row if c.data_type == "f"]
    return found


# Modules that write CSV for a program, never for a person's spreadsheet (a leading apostrophe would change the data).
NOT_EXPORTS = {
    "api/views.py": "the API's register rows, written as the register file that the file import then reads",
}


class SafeCellTest(SimpleTestCase):
    def test_every_formula_start_gets_an_apostrophe_and_other_values_pass(self):
        for value in HOSTILE_STARTS:
            self.assertEqual(safe_cell(value), "'" + value)
        self.assertEqual([safe_cell(v) for v in ("Åse", 12, -4, None, 2.5)], ["Åse", 12, -4, None, 2.5])
        self.assertEqual(csv_cells(csv_bytes([HOSTILE_STARTS])), ["'" + v for v in HOSTILE_STARTS])

    def test_no_export_writes_csv_or_xlsx_except_through_the_one_writer(self):
        offenders = []
        for path in ROOT.rglob("*.py"):
            if path.name == "exports.py" and path.parent.name == "lib" or "demo" in path.parts:
                continue  # the writer itself; the demo writes its own sample input files, not exports
            if str(path.relative_to(ROOT)) in NOT_EXPORTS:
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"csv\.writer|csv\.DictWriter|Workbook\(\)", text):
                offenders.append(str(path.relative_to(ROOT)))
        self.assertEqual(offenders, [])


class PlanningExportTest(PlanningTestCase):
    def setUp(self):
        ProjectionDataset.objects.filter(pk=self.dataset.pk).update(name=HOSTILE)
        self.make_run(name=HOSTILE)
        self.run = PlanningRun.objects.get()
        self.login(self.planner)

    def test_the_run_csv_holds_the_hostile_name_as_text(self):
        cells = csv_cells(self.client.get(f"/planning/runs/{self.run.pk}/export.csv").content)
        self.assertIn("'" + HOSTILE, cells)
        self.assertFalse(
            [c for c in cells if c.startswith(FORMULA_STARTS) and not c.lstrip("-").replace(".", "").isdigit()]
        )

    def test_the_run_xlsx_holds_no_formula(self):
        content = self.client.get(f"/planning/runs/{self.run.pk}/export.xlsx").content
        self.assertEqual(live_formulas(content), [])
        run_sheet = dict(load_workbook(io.BytesIO(content))["Run"].iter_rows(values_only=True))
        self.assertEqual(run_sheet["name"], HOSTILE)  # kept, as text


class ReferralReportExportTest(SimpleTestCase):
    def test_report_rows_with_hostile_labels_are_neutralised_in_csv_and_xlsx(self):
        rows = [reports.Row(HOSTILE, "+key", "-label", "@value"), reports.Row("s", "k", "\tlabel", 3)]
        cells = csv_cells(reports.to_csv(rows))
        self.assertTrue({"'" + HOSTILE, "'+key", "'-label", "'@value", "'\tlabel"} <= set(cells))
        self.assertEqual(live_formulas(reports.to_xlsx(rows, HOSTILE)), [])


class ServiceStatisticsExportTest(SimpleTestCase):
    def test_statistics_rows_with_hostile_labels_and_values_are_neutralised_in_csv_and_xlsx(self):
        columns = (statistics.Column("+count", HOSTILE, persons=True), statistics.Column("-text", "@label"))
        rows = (statistics.Row("@row", HOSTILE, (12, "=1+1")), statistics.Row("\tkey", "-label", (40, "\r=2")))
        table = statistics.Table("stays", HOSTILE, columns, rows)
        cells = csv_cells(activity_exports.to_csv(table, "-hidden"))
        self.assertTrue(
            {"'+count", "'-text", "'@row", "'" + HOSTILE, "'=1+1", "'\tkey", "'-label", "'\r=2"} <= set(cells)
        )
        self.assertFalse([c for c in cells if c.startswith(FORMULA_STARTS)])
        content = activity_exports.to_xlsx(table, "-hidden")
        self.assertEqual(live_formulas(content), [])
        values = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row]
        self.assertIn(HOSTILE, values)  # kept, as text


@override_settings(LANGUAGE_CODE="nb")
class ActionPlanExportTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", stdout=io.StringIO())

    def test_a_hostile_measure_title_and_responsible_are_text_in_the_xlsx(self):
        Measure.objects.filter(revision__plan__in=ActionPlan.objects.all()).update(
            title_nb=HOSTILE, responsible="=1+1", funding_note="@x"
        )
        self.login(self.planner)
        content = self.client.get("/offerings/plans/forebygging-eldre/2024/xlsx/").content
        self.assertEqual(live_formulas(content), [])
        cells = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row]
        self.assertIn(HOSTILE, cells)
