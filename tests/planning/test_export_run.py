"""Exports read back: every number and every parameter with its source."""

import csv
import io

from openpyxl import load_workbook
from pypdf import PdfReader

from trappa.planning.models import PlanningRun

from .base import PlanningTestCase


class ExportRunTest(PlanningTestCase):
    def setUp(self):
        self.make_run(name="Export test")
        self.run = PlanningRun.objects.get()
        self.login(self.planner)

    def result(self, kind, measure, series, row, year):
        r = self.run.results
        return r[kind][measure][series][r["rows"].index(row)][r["years"].index(year)]

    def test_it_exports_csv_that_reads_back_to_the_stored_numbers(self):
        response = self.client.get(f"/planning/runs/{self.run.pk}/export.csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        block = rows.index(["# results"])
        header = rows[block + 1]
        found = [r for r in rows[block + 2 :] if r[:3] == ["users", "difference", "long_term"] and r[4] == "2050"]
        self.assertEqual(len(found), 1)
        line = dict(zip(header, found[0], strict=False))
        self.assertAlmostEqual(float(line["central"]), self.result("central", "users", "difference", "long_term", 2050))
        self.assertAlmostEqual(float(line["low_90"]), self.result("low", "users", "difference", "long_term", 2050))
        parameters = rows[rows.index(["# parameters"]) + 2 :]
        rr = [r for r in parameters if r[0] == "intervention.preventive_home_visits.effect"][0]
        self.assertEqual(rr[2:5], ["1.02", "0.88", "1.18"])
        self.assertIn("Mayo-Wilson", rr[-1])

    def test_it_exports_xlsx_with_results_and_sourced_parameters(self):
        response = self.client.get(f"/planning/runs/{self.run.pk}/export.xlsx")
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        self.assertEqual(book.sheetnames, ["Run", "Results", "Parameters"])
        results = list(book["Results"].iter_rows(values_only=True))
        rows = [r for r in results[1:] if r[:3] == ("cost", "baseline", "total") and r[4] == 2030]
        self.assertEqual(rows[0][5], self.result("central", "cost", "baseline", "total", 2030))
        parameters = list(book["Parameters"].iter_rows(values_only=True))
        self.assertTrue(all(row[-1] for row in parameters[1:]), "every parameter has a source")
        run_sheet = dict(book["Run"].iter_rows(values_only=True))
        self.assertEqual(run_sheet["seed"], 1)

    def test_it_makes_a_pdf_report_with_the_charts(self):
        response = self.client.get(f"/planning/runs/{self.run.pk}/report.pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        self.assertIn("Export test", text)
        self.assertIn("Sherrington", text)
