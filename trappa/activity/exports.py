"""A statistics table as csv or xlsx: one header row, then one row per line of the table.
Written through trappa/lib/exports.py, the one writer that keeps formulas out of the cells."""

from trappa.activity.statistics import HIDDEN
from trappa.lib.exports import append_row, csv_bytes, new_workbook, workbook_bytes


def _cells(table, hidden_text):
    yield ["key", "label", *[c.key for c in table.columns]]
    for row in table.rows:
        values = [hidden_text if v == HIDDEN else v for v in row.values]
        yield [row.key, str(row.label), *values]


def to_csv(table, hidden_text):
    return csv_bytes(["" if c is None else c for c in cells] for cells in _cells(table, hidden_text))


def to_xlsx(table, hidden_text):
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    append_row(sheet, [str(table.title)])
    for cells in _cells(table, hidden_text):
        append_row(sheet, cells)
    return workbook_bytes(workbook)
