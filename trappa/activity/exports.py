"""A statistics table as csv or xlsx: one header row, then one row per line of the table."""

import csv
import io

from openpyxl import Workbook

from trappa.activity.statistics import HIDDEN


def _cells(table, hidden_text):
    yield ["key", "label", *[c.key for c in table.columns]]
    for row in table.rows:
        values = [hidden_text if v == HIDDEN else v for v in row.values]
        yield [row.key, str(row.label), *values]


def to_csv(table, hidden_text):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for cells in _cells(table, hidden_text):
        writer.writerow(["" if c is None else c for c in cells])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table, hidden_text):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.append([str(table.title)])
    for cells in _cells(table, hidden_text):
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
