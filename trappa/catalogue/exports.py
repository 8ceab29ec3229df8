"""The action plan as xlsx (openpyxl) and PDF (WeasyPrint), laid out like the
seeds' tables: focus area, measure, responsible, period, funding, then
staffing and cost per year, with a subtotal per area and a total at the end.
After it, the tables the apps above this one register for the plan (trappa/lib/panels.py),
such as the volunteers' hours on the plan's offerings."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from weasyprint import HTML

from trappa.catalogue.budget import plan_table
from trappa.lib import exports, panels

BOLD = Font(bold=True)
SHADE = PatternFill("solid", fgColor="F2F5F8")


def _header(years):
    head = [_("Focus area"), _("Measure"), _("Responsible"), _("Period"), _("Funding")]
    for year in years:
        head += [_("Staffing %(year)s (%%)") % {"year": year}, _("Cost %(year)s (NOK)") % {"year": year}]
    return head


def _amount_cells(amounts, years):
    cells = []
    for year in years:
        amount = amounts.get(year)
        cells += [float(amount.staffing_percent), amount.cost] if amount else [None, None]
    return cells


def _measure_cells(area_name, row, years):
    m = row.measure
    funding = m.get_funding_display() + (f" – {m.funding_note}" if m.funding_note else "")
    return [area_name, m.text("title"), m.responsible, m.period_label(), funding, *_amount_cells(row.years, years)]


def plan_xlsx(revision):
    table = plan_table(revision)
    workbook = exports.new_workbook()
    sheet = workbook.active
    sheet.title = str(revision.year)
    exports.append_row(sheet, [f"{revision.plan.text('name')} – {revision.year}"])
    sheet["A1"].font = Font(bold=True, size=14)
    exports.append_row(sheet, _header(table.years))
    for cell in sheet[2]:
        cell.font, cell.fill = BOLD, SHADE
    for block in table.areas:
        for row in block.rows:
            exports.append_row(sheet, _measure_cells(block.area.text("name"), row, table.years))
        _total_row(sheet, _("Total for %(area)s") % {"area": block.area.text("name")}, block.totals, table.years)
    _total_row(sheet, _("Total"), table.totals, table.years)
    _widths(sheet)
    for extra in panels.tables("catalogue:plan", table=table):
        _extra_table(sheet, extra)
    return exports.workbook_bytes(workbook)


def _total_row(sheet, label, totals, years):
    exports.append_row(sheet, [label, "", "", "", "", *_amount_cells(totals, years)])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, SHADE


def _extra_table(sheet, extra):
    """A registered table below the plan: a blank row, its title, head, rows, total and note."""
    exports.append_row(sheet, [])
    exports.append_row(sheet, [extra.title])
    sheet.cell(row=sheet.max_row, column=1).font = BOLD
    for cells, shaded in ((extra.header, True), *((row, False) for row in extra.rows), (extra.footer, True)):
        if not cells:
            continue
        exports.append_row(sheet, cells)
        if shaded:
            for cell in sheet[sheet.max_row]:
                cell.font, cell.fill = BOLD, SHADE
    if extra.note:
        exports.append_row(sheet, [extra.note])


def _widths(sheet):
    for letter, width in zip("ABCDE", (34, 50, 40, 12, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row[:5]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def plan_pdf(revision, request=None):
    table = plan_table(revision)
    context = {"table": table, "extra_tables": panels.tables("catalogue:plan", table=table)}
    html = render_to_string("catalogue/plan_pdf.html", context, request=request)
    return HTML(string=html).write_pdf()
