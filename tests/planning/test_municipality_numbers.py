"""Municipality numbers are checked against SSB's code list with its history (#13 finding 8)."""

from django.test import SimpleTestCase

from trappa.planning.ssb import SsbFormatError, read_csv
from trappa.planning.ssb.numbers import UnknownNumber, _code_list, current

HEADER = '"Region";"Kjonn";"Alder";"2030"\n'


class CodeListTest(SimpleTestCase):
    def test_the_list_holds_the_357_municipalities_of_today(self):
        valid, _successors, names = _code_list()
        self.assertEqual(len(valid), 357)
        self.assertEqual((names["1824"], names["3451"], names["5501"]), ("Vefsn", "Nord-Aurdal", "Tromsø"))

    def test_old_numbers_follow_the_2018_2020_and_2024_reforms(self):
        cases = {"1902": "5501", "5401": "5501", "0542": "3451", "1601": "5001", "0602": "3301", "0219": "3201"}
        self.assertEqual({old: current(old) for old in cases}, cases)
        self.assertEqual(current("1824"), "1824")

    def test_an_unknown_number_and_a_split_are_refused(self):
        with self.assertRaisesMessage(UnknownNumber, "municipality number 9999 is not in SSB's code list"):
            current("9999")
        with self.assertRaisesMessage(UnknownNumber, "municipality 1507 Ålesund was split (into 1508 and 1580)"):
            current("1507")


class ReadNumbersTest(SimpleTestCase):
    def test_9999_is_refused_not_stored_as_a_region(self):
        with self.assertRaisesMessage(SsbFormatError, "region '9999': municipality number 9999 is not in SSB's code"):
            read_csv(HEADER + '"9999";"1";"070";5\n')

    def test_tromsos_old_numbers_are_read_as_5501_and_reported(self):
        table = read_csv(HEADER + '"1902";"1";"070";5\n')
        self.assertEqual(table.regions, ("5501",))
        self.assertEqual(table.renumbered, {"1902": "5501"})
        table = read_csv(HEADER + '"5401";"1";"070";5\n')
        self.assertEqual((table.regions, table.renumbered), (("5501",), {"5401": "5501"}))

    def test_a_file_with_both_0542_and_3451_for_one_cell_is_refused(self):
        with self.assertRaisesMessage(SsbFormatError, "is given under more than one number (0542, 3451)"):
            read_csv(HEADER + '"0542";"1";"070";5\n"3451";"1";"070";6\n')
