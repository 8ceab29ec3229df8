"""One statistic everywhere (issue #15): the summary, the tables, the charts and the exports
report the central estimate, name it, and give the 90 % interval of the draws beside it."""

import io
import re
from unittest import mock

from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from trappa.lib import charts
from trappa.planning.models import PlanningRun
from trappa.planning.report import RunReport, fmt, label, signed

from .base import PlanningTestCase


class OneStatisticTest(PlanningTestCase):
    def setUp(self):
        # Everything the optimistic demo run switches on: the mean of the draws differs from the central estimate.
        self.make_run(
            name="One statistic",
            preventive_home_visits_mode="optimistic",
            caregiver_support_mode="optimistic",
            healthy_ageing_mode="optimistic",
        )
        self.run = PlanningRun.objects.get()
        self.login(self.planner)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "nb"})

    def value(self, kind, measure="users", series="difference", row="institution", year=2050):
        r = self.run.results
        return r[kind][measure][series][r["rows"].index(row)][r["years"].index(year)]

    def test_the_summary_and_the_tables_show_the_central_estimate_in_norwegian(self):
        row = "home_services"
        central, mean = self.value("central", row=row), self.value("mean", row=row)
        with translation.override("nb"):
            shown, other = signed(central), signed(mean)
            interval = f"{fmt(self.value('low', row=row))} – {fmt(self.value('high', row=row))}"
            name = str(label(row))
            statement = RunReport(self.run).statistic()
        self.assertNotEqual(shown, other, "the test needs a run whose mean differs from its central estimate")
        self.assertIn(",", fmt(1234.5, "staff_years"), "Norwegian decimal comma")
        page = self.client.get(f"/planning/runs/{self.run.pk}/").content.decode()
        summary = page.split("<ul>", 1)[1].split("</ul>", 1)[0]
        self.assertIn(shown, summary)
        self.assertNotIn(other, summary)
        self.assertIn(statement, page)
        # The groups are not in the baseline and scenario tables: the first row of the group is the difference's.
        cells = re.search(rf'<th scope="row">{re.escape(name)}</th>(.*?)</tr>', page, re.S)
        self.assertEqual(re.findall(r"<td>(.*?)</td>", cells.group(1))[-1], f"{fmt(central)} ({interval})")

    def test_the_charts_draw_the_central_estimate(self):
        drawn = {}

        def capture(chart_id, title, description, years, lines):
            drawn[chart_id.rsplit("-", 1)[1]] = lines
            return ""

        with mock.patch.object(charts, "bands", side_effect=capture):
            RunReport(self.run).charts()
        r = self.run.results
        name, estimate, low, high = drawn["difference"][0]
        self.assertEqual(estimate, r["central"]["users"]["difference"][r["rows"].index("institution")])
        self.assertEqual(low, r["low"]["users"]["difference"][r["rows"].index("institution")])

    def test_the_xlsx_names_the_statistic_and_holds_the_same_number(self):
        response = self.client.get(f"/planning/runs/{self.run.pk}/export.xlsx")
        book = load_workbook(io.BytesIO(response.content))
        run_sheet = {row[0]: row[1] for row in book["Run"].iter_rows(values_only=True)}
        self.assertTrue(run_sheet["reported_estimate"].startswith("central"))
        sheet = book["Results"]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            line = dict(zip(header, row, strict=True))
            key = (line["measure"], line["series"], line["row"], line["year"])
            if key == ("users", "difference", "institution", 2050):
                self.assertEqual(line["central"], self.value("central"))
                break
        else:
            self.fail("no 2050 institution row")
