"""The one chart module: its palette is colour-blind safe and contrasts 3:1 with the background, and every
chart is an accessible image (title, description, a text alternative on the page) drawn in that palette."""

import re
from xml.etree import ElementTree

from django.test import SimpleTestCase

from trappa.lib import charts

SVG = "{http://www.w3.org/2000/svg}"
YEARS = [2025, 2026, 2027]
# Axis text and grid lines, not series: the only colours a chart may use outside the palette.
FRAME_COLOURS = {charts.BACKGROUND, "#1a1a1a", "#d0d0d0"}


class PaletteTest(SimpleTestCase):
    def test_contrast_ratios_are_those_of_wcag(self):
        self.assertAlmostEqual(charts.contrast_ratio("#000000"), 21.0)
        self.assertAlmostEqual(charts.contrast_ratio("#ffffff"), 1.0)
        self.assertAlmostEqual(charts.contrast_ratio("#767676"), 4.54, places=2)
        self.assertAlmostEqual(charts.contrast_ratio("#ffffff", "#767676"), 4.54, places=2)

    def test_every_colour_has_3_to_1_contrast_against_the_background(self):
        # WCAG 2.1, 1.4.11 non-text contrast: graphical objects needed to understand the content.
        for colour in charts.PALETTE:
            with self.subTest(colour=colour):
                self.assertGreaterEqual(charts.contrast_ratio(colour, charts.BACKGROUND), charts.MIN_CONTRAST)

    def test_the_palette_has_eight_different_colours_and_repeats_after_them(self):
        self.assertEqual(len(set(charts.PALETTE)), 8)
        self.assertEqual(charts.colour(8), charts.colour(0))

    def test_the_colours_of_okabe_and_itos_palette_that_fail_the_contrast_are_left_out(self):
        for colour in ("#E69F00", "#56B4E9", "#F0E442"):
            self.assertLess(charts.contrast_ratio(colour), charts.MIN_CONTRAST)
            self.assertNotIn(colour, charts.PALETTE)


class ChartTest(SimpleTestCase):
    def charts(self):
        series = [(f"Step {n} <b>", [1.0 + n, 2.0, 3.0]) for n in range(3)]
        lines = [("Baseline", [1.0, 2.0, 3.0], [0.5, 1.5, 2.5], [1.5, 2.5, 3.5])]
        return {
            "bars": charts.bars("b", "Kroner & steps", "The table below has the numbers.", YEARS, series),
            "stacked": charts.stacked("s", "Users & levels", "The table below has the numbers.", YEARS, series),
            "bands": charts.bands("l", "Difference & interval", "The table below has the numbers.", YEARS, lines),
        }

    def test_every_chart_is_an_image_named_by_its_title_and_description(self):
        for kind, svg in self.charts().items():
            with self.subTest(kind=kind):
                root = ElementTree.fromstring(svg)
                self.assertEqual(root.get("role"), "img")
                title_id, desc_id = root.get("aria-labelledby").split()
                self.assertEqual(root.find(f"{SVG}title").get("id"), title_id)
                self.assertEqual(root.find(f"{SVG}desc").get("id"), desc_id)
                self.assertIn("&", root.find(f"{SVG}title").text)  # escaped in the markup, read back whole
                self.assertIn("table below", root.find(f"{SVG}desc").text)

    def test_every_chart_has_a_legend_in_text(self):
        for kind, svg in self.charts().items():
            with self.subTest(kind=kind):
                texts = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
                expected = ["Baseline"] if kind == "bands" else ["Step 0 <b>", "Step 1 <b>", "Step 2 <b>"]
                for label in expected:
                    self.assertIn(label, texts)

    def test_every_chart_draws_its_series_in_the_palette_only(self):
        for kind, svg in self.charts().items():
            with self.subTest(kind=kind):
                used = {c.lower() for c in re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', svg)}
                self.assertLessEqual(used, {c.lower() for c in charts.PALETTE} | FRAME_COLOURS)
                self.assertIn(charts.PALETTE[0].lower(), used)

    def test_bars_stand_on_the_axis_and_are_as_tall_as_their_values(self):
        svg = charts.bars("b", "t", "d", YEARS, [("a", [0.0, 10.0, 5.0])])
        bars = [r for r in ElementTree.fromstring(svg).iter(f"{SVG}rect") if r.get("fill") == charts.PALETTE[0]]
        heights = [float(r.get("height")) for r in bars[:3]]
        bottoms = {round(float(r.get("y")) + float(r.get("height"))) for r in bars[:3]}
        self.assertEqual(heights[0], 0.0)
        self.assertAlmostEqual(heights[1], 2 * heights[2], delta=0.2)
        self.assertEqual(len(bottoms), 1)

    def test_bars_label_every_year(self):
        svg = charts.bars("b", "t", "d", YEARS, [("a", [1.0, 2.0, 3.0])])
        texts = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
        for year in YEARS:
            self.assertIn(str(year), texts)
