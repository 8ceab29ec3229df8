"""The reader of StatBank's table 07459 and the municipality sizes the national benchmark uses."""

from django.test import SimpleTestCase

from benchmarks import _statbank

TITLE = '"07459: Population, by region, age, contents and year"\n\n'


class StatBankReaderTest(SimpleTestCase):
    def test_the_data_file_holds_2021s_356_municipalities_and_their_known_totals(self):
        table = {number: (name, residents) for number, name, residents in _statbank.municipalities()}
        self.assertEqual(len(table), 356)
        self.assertEqual(sum(residents for _name, residents in table.values()), 5_391_369)
        self.assertEqual(table["1824"], ("Vefsn", 13_268))
        self.assertEqual(table["3451"], ("Nord-Aurdal", 6_360))
        self.assertEqual(table["0301"], ("Oslo", 697_010))

    def test_it_sums_the_ages_of_a_semicolon_download_and_leaves_out_what_is_no_municipality(self):
        text = TITLE + (
            '"region";"age";"Persons 2021"\n'
            '"K-1824 Vefsn";"0 years";100\n'
            '"K-1824 Vefsn";"105 years or older";2\n'
            '"K-23 Continental shelf";"0 years";0\n'
            '"K-Rest Divided municalities and unknown";"0 years";0\n'
            '"K-5001 Trondheim";"0 years";7\n'
        )
        self.assertEqual(_statbank.read_population(text), {"1824": ("Vefsn", 102), "5001": ("Trondheim", 7)})

    def test_it_reads_a_tab_separated_download_with_bare_region_numbers(self):
        text = TITLE + 'region\tage\tPersons 2021\n"0101 Halden"\t"0 years"\t3\n0101 Halden\t1 year\t-\n'
        self.assertEqual(_statbank.read_population(text), {"0101": ("Halden", 3)})

    def test_it_decodes_the_iso_8859_1_download(self):
        text = _statbank.decode('"region";"age";"P"\n"K-1119 Hå";"0 years";5\n'.encode("latin-1"))
        self.assertEqual(_statbank.read_population(text), {"1119": ("Hå", 5)})

    def test_it_names_a_count_that_is_not_a_number(self):
        with self.assertRaisesMessage(_statbank.StatBankError, "row 1"):
            _statbank.read_population('"region";"age";"P"\n"K-1824 Vefsn";"0 years";many\n')

    def test_it_rejects_a_file_with_no_header(self):
        with self.assertRaisesMessage(_statbank.StatBankError, "no header"):
            _statbank.read_population("something else\n")
