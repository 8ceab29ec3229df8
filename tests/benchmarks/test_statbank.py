"""The municipality sizes the national benchmark uses (read by trappa.planning.ssb.read_population)."""

from django.test import SimpleTestCase

from benchmarks import _statbank


class StatBankDataTest(SimpleTestCase):
    def test_the_data_file_holds_2021s_356_municipalities_and_their_known_totals(self):
        table = {number: (name, residents) for number, name, residents in _statbank.municipalities()}
        self.assertEqual(len(table), 356)
        self.assertEqual(sum(residents for _name, residents in table.values()), 5_391_369)
        self.assertEqual(table["1824"], ("Vefsn", 13_268))
        self.assertEqual(table["3451"], ("Nord-Aurdal", 6_360))
        self.assertEqual(table["0301"], ("Oslo", 697_010))
