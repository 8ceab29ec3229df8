"""The reader of StatBank's population table 07459 (residents per municipality now)."""

from pathlib import Path
from tempfile import TemporaryDirectory

from django.test import SimpleTestCase

from trappa.planning.ssb import SsbFormatError, read_population, read_population_path

TITLE = '"07459: Population, by region, age, contents and year"\n\n'


class ReadPopulationTest(SimpleTestCase):
    def test_it_sums_the_ages_of_a_semicolon_download_and_leaves_out_what_is_no_municipality(self):
        text = TITLE + (
            '"region";"age";"Persons 2021"\n'
            '"0 The whole country";"0 years";107\n'
            '"K-1824 Vefsn";"0 years";100\n'
            '"K-1824 Vefsn";"105 years or older";2\n'
            '"K-23 Continental shelf";"0 years";0\n'
            '"K-Rest Divided municalities and unknown";"0 years";0\n'
            '"K-5001 Trondheim";"0 years";7\n'
            '"K-5061 Rindal";"0 years";0\n'
        )
        self.assertEqual(read_population(text), {"1824": ("Vefsn", 102), "5001": ("Trondheim", 7)})

    def test_it_reads_a_tab_separated_download_with_bare_region_numbers_and_sexes_summed(self):
        text = (
            TITLE
            + 'region\tkjønn\tage\tPersons 2021\n"0101 Halden"\tMenn\t"0 years"\t3\n0101 Halden\tKvinner\t1 year\t-\n'
        )
        self.assertEqual(read_population(text), {"0101": ("Halden", 3)})

    def test_it_decodes_the_windows_1252_download(self):
        with TemporaryDirectory() as folder:
            path = Path(folder) / "Personer2021.csv"
            path.write_bytes('"region";"age";"P"\n"K-1119 Hå";"0 years";5\n'.encode("latin-1"))
            self.assertEqual(read_population_path(path), {"1119": ("Hå", 5)})

    def test_it_names_the_line_and_column_of_a_count_that_is_not_a_number(self):
        with self.assertRaisesMessage(SsbFormatError, "line 2, column 'P': 'many' is not a number"):
            read_population('"region";"age";"P"\n"K-1824 Vefsn";"0 years";many\n')

    def test_it_refuses_a_count_that_is_missing_or_not_whole(self):
        with self.assertRaisesMessage(SsbFormatError, "line 2, column 'P': the figure is missing"):
            read_population('"region";"age";"P"\n"K-1824 Vefsn";"0 years";..\n')
        with self.assertRaisesMessage(SsbFormatError, "not a whole number of persons"):
            read_population('"region";"age";"P"\n"K-1824 Vefsn";"0 years";2.5\n')

    def test_it_rejects_a_file_with_no_header(self):
        with self.assertRaisesMessage(SsbFormatError, "no CSV header with a region column"):
            read_population("something else\n")
