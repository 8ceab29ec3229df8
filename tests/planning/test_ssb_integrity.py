"""SSB files that would store wrong figures are refused, naming the cell (#13 findings 6 and 7)."""

import json
from pathlib import Path

from django.test import SimpleTestCase

from trappa.planning.ssb import SsbFormatError, read_csv, read_file

DATA = Path(__file__).resolve().parent / "data"


class CompleteGridTest(SimpleTestCase):
    def codes_csv(self):
        return (DATA / "14288_tiny_codes.csv").read_text(encoding="utf-8")

    def test_a_file_cut_at_a_line_end_is_refused_naming_the_first_missing_cell(self):
        lines = self.codes_csv().splitlines(keepends=True)
        with self.assertRaisesMessage(SsbFormatError, "the file is incomplete: 6 cells have no figure, the first"):
            read_csv("".join(lines[:-3]))

    def test_the_whole_file_is_read(self):
        self.assertEqual(read_csv(self.codes_csv()).regions, ("1824", "3451"))

    def test_a_municipality_under_its_old_and_new_number_is_refused_not_counted_twice(self):
        lines = self.codes_csv().splitlines(keepends=True)
        again = [line.replace('"3451"', '"0542"') for line in lines[1:] if '"3451"' in line]
        with self.assertRaisesMessage(SsbFormatError, "is given under more than one number (0542, 3451)"):
            read_csv("".join(lines + again))

    def test_json_stat2_with_an_old_and_a_new_number_is_refused(self):
        data = json.loads((DATA / "14288_tiny.json").read_text())
        region = data["dimension"]["Region"]["category"]
        # The second region's figures as if they were Nord-Aurdal's under its old number.
        region["index"] = {"3451": 0, "0542": 1}
        region["label"] = {"3451": "Nord-Aurdal", "0542": "Nord-Aurdal (-2019)"}
        with self.assertRaisesMessage(SsbFormatError, "the municipality 3451 appears under more than one number"):
            read_file("x.json", json.dumps(data).encode())


class FiniteWholeNumbersTest(SimpleTestCase):
    def dataset(self, **cell):
        data = json.loads((DATA / "14288_tiny.json").read_text())
        for position, figure in cell.items():
            data["value"][int(position.removeprefix("at"))] = figure
        return data

    def refused(self, text, message):
        with self.assertRaisesMessage(SsbFormatError, message):
            read_file("14288.json", text.encode())

    def test_infinity_and_nan_are_refused(self):
        text = json.dumps(self.dataset(at0=1)).replace('"value": [1', '"value": [Infinity', 1)
        self.refused(text, "json-stat2 holds Infinity, which is not a number of persons")
        self.refused(text.replace("Infinity", "NaN", 1), "json-stat2 holds NaN")
        self.refused(text.replace("Infinity", "1e400", 1), "is not a number")

    def test_text_true_and_huge_figures_are_refused_naming_the_cell(self):
        self.refused(json.dumps(self.dataset(at3="12")), "'12' is not a number (json-stat2 figures are JSON numbers)")
        self.refused(json.dumps(self.dataset(at3=True)), "True is not a number")
        self.refused(json.dumps(self.dataset(at3=1e300)), "is more than 10,000,000 persons in one cell")
        self.refused(json.dumps(self.dataset(at3=10**400)), "is more than 10,000,000 persons in one cell")
        self.refused(json.dumps(self.dataset(at3=2.5)), "'2.5' is not a whole number of persons")
        self.refused(json.dumps(self.dataset(at3=1e300)), "the cell ")

    def test_a_sparse_key_outside_the_cells_is_refused(self):
        data = self.dataset()
        data["value"] = {str(i): v for i, v in enumerate(data["value"])}
        data["value"]["-1"] = 5
        self.refused(json.dumps(data), "json-stat2 value key '-1' is not a cell number from 0 to")

    def test_csv_figures_must_be_finite_whole_numbers(self):
        header = '"Region";"Kjonn";"Alder";"2030"\n'
        with self.assertRaisesMessage(SsbFormatError, "line 2, column '2030': 'inf' is not a number"):
            read_csv(header + '"1824";"1";"070";Infinity\n')
        with self.assertRaisesMessage(SsbFormatError, "line 2, column '2030': '1e+300' is more than"):
            read_csv(header + '"1824";"1";"070";1e300\n')


class StreamedReadTest(SimpleTestCase):
    """The command line reads a file on disk as a stream (#13 finding 12): same cells as reading it whole."""

    def test_read_path_gives_the_same_table_as_reading_the_bytes(self):
        import numpy as np

        from trappa.planning.ssb import read_path

        for name in ("14288_tiny_codes.csv", "14288_tiny_texts.csv", "14288_tiny.json"):
            whole = read_file(name, (DATA / name).read_bytes())
            streamed = read_path(DATA / name)
            self.assertEqual(
                (streamed.regions, streamed.years, streamed.title), (whole.regions, whole.years, whole.title)
            )
            np.testing.assert_array_equal(streamed.population, whole.population)

    def test_a_json_file_over_the_limit_is_refused_naming_the_limit(self):
        from unittest import mock

        from trappa.planning.ssb import read_path, readers

        with (
            mock.patch.object(readers, "MAX_JSON_BYTES", 1024),
            self.assertRaisesMessage(SsbFormatError, "at most 0 MB"),
        ):
            read_path(DATA / "14288_tiny.json")
