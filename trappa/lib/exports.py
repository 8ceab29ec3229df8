"""The one writer for every CSV and xlsx export of the product.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, tab or carriage
return) as a formula: a person or a projection named `=HYPERLINK("http://evil.example","x")`
would become a live link in the planner's Excel. Every text cell goes through `safe_cell`:
CSV cells get a leading apostrophe (the convention spreadsheets read as "this is text"),
xlsx cells are stored as text, never as a formula. Numbers, dates and empty cells pass as they are.
"""

import csv
import io

from django.utils.functional import Promise
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]


class CsvWriter:
    """csv.writer with every cell made safe; `;` between fields (what Norwegian Excel expects)."""

    def __init__(self, stream, delimiter=";", lineterminator="\r\n"):
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator=lineterminator)

    def writerow(self, values):
        self._writer.writerow(safe_row(values))

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)


def csv_bytes(blocks, delimiter=";"):
    """A whole CSV file as UTF-8 with a byte-order mark (so Excel reads æøå), from an iterable of rows."""
    buffer = io.StringIO()
    CsvWriter(buffer, delimiter=delimiter).writerows(blocks)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def new_workbook():
    return Workbook()


def append_row(sheet, values):
    """sheet.append with every cell made safe; a cell is stored as text, never as a formula."""
    sheet.append([_xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":  # openpyxl reads a text starting with "=" as a formula
            cell.data_type = "s"


def _xlsx_value(value):
    if isinstance(value, Promise):
        return str(value)
    return value


def workbook_bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
