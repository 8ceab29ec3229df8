"""Every number and every parameter of a run, with its source: CSV, xlsx and PDF."""

import io
import json

from django.template.loader import render_to_string
from weasyprint import HTML

from trappa.lib import exports as lib_exports

from . import params
from .report import RunReport, label

KINDS = ("central", "mean", "low", "high")
RESULT_HEADER = ["measure", "series", "row", "row_label", "year", "central", "mean", "low_90", "high_90"]
PARAMETER_HEADER = [
    "parameter",
    "label",
    "value",
    "low",
    "high",
    "ci_level",
    "distribution",
    "valid_from",
    "confidence",
    "optimistic",
    "source",
]


def result_rows(run):
    r = run.results
    for measure in r["central"]:
        for series in r["central"][measure]:
            for i, row in enumerate(r["rows"]):
                for y, year in enumerate(r["years"]):
                    values = [r[k][measure][series][i][y] if k in r else None for k in KINDS]
                    yield [measure, series, row, str(label(row)), year, *values]


def parameter_rows(run):
    ps = params.load(run.parameters_on)
    for v in ps.values():
        yield [
            v.name,
            v.label,
            v.value,
            v.low,
            v.high,
            v.level,
            v.distribution,
            v.valid_from.isoformat(),
            v.confidence,
            v.optimistic,
            v.source,
        ]
    for key, weight in ps.alternative_weights.items():
        yield [
            f"population_alternatives.{key}",
            key,
            weight,
            None,
            None,
            None,
            None,
            ps.on.isoformat(),
            "",
            False,
            ps.alternatives_source,
        ]
    yield [
        "usage_rates",
        "National usage rate profile",
        None,
        None,
        None,
        None,
        None,
        ps.rates_from.isoformat(),
        ps.rates_confidence,
        False,
        ps.rates_source,
    ]
    if run.dataset.register_derived:
        for part, info in run.dataset.assumptions.get("sources", {}).items():
            yield [
                f"register_population.{part}",
                f"Register-derived population: {part}",
                None,
                None,
                None,
                None,
                None,
                info["from"],
                info["confidence"],
                False,
                info["source"],
            ]


def run_rows(run):
    yield ["name", run.name]
    yield ["municipality", f"{run.region} {run.region_name}"]
    yield ["projection", f"{run.dataset.name} ({run.dataset.file_name}, sha256 {run.dataset.sha256})"]
    yield ["synthetic_projection", run.dataset.synthetic]
    yield ["projection_origin", run.dataset.origin]
    if run.dataset.register_derived:
        for n, line in enumerate(run.dataset.assumption_lines(), start=1):
            yield [f"register_population:{n}", line]
        yield ["register_population:record", json.dumps(run.dataset.assumptions, ensure_ascii=False, sort_keys=True)]
    yield [
        "reported_estimate",
        "central: every parameter at its value and the main population alternative, as on the page and in the "
        "PDF; low_90 and high_90: 5th and 95th percentiles of the draws; mean: mean of the draws, for checking only",
    ]
    yield ["seed", run.seed]
    yield ["draws", run.draws]
    yield ["parameters_on", run.parameters_on.isoformat()]
    yield ["inputs", str(run.inputs)]
    yield ["calibration", str(run.calibration)]
    for name, date in sorted(run.parameter_versions.items()):
        yield [f"version:{name}", date]
    for name, digest in sorted(run.parameter_checksums.items()):
        yield [f"sha256:{name}", digest]


def to_csv(run):
    """One file, three blocks (run, results, parameters), each with its own header line."""
    buffer = io.StringIO()
    writer = lib_exports.CsvWriter(buffer)
    writer.writerow(["# run"])
    writer.writerow(["key", "value"])
    writer.writerows(run_rows(run))
    writer.writerow(["# results"])
    writer.writerow(RESULT_HEADER)
    writer.writerows(result_rows(run))
    writer.writerow(["# parameters"])
    writer.writerow(PARAMETER_HEADER)
    writer.writerows(parameter_rows(run))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read æøå


def to_xlsx(run):
    book = lib_exports.new_workbook()
    sheet = book.active
    sheet.title = "Run"
    lib_exports.append_row(sheet, ["key", "value"])
    for row in run_rows(run):
        lib_exports.append_row(sheet, row)
    for title, header, rows in (
        ("Results", RESULT_HEADER, result_rows(run)),
        ("Parameters", PARAMETER_HEADER, parameter_rows(run)),
    ):
        sheet = book.create_sheet(title)
        lib_exports.append_row(sheet, header)
        for row in rows:
            lib_exports.append_row(sheet, row)
        sheet.freeze_panes = "A2"
    return lib_exports.workbook_bytes(book)


def to_pdf(run, request=None):
    report = RunReport(run)
    tables, captions = report.tables()
    context = {
        "run": run,
        "report": report,
        "charts": report.charts(),
        "tables": tables,
        "captions": captions,
        "parameters": list(parameter_rows(run)),
    }
    html = render_to_string("planning/report.html", context, request=request)
    return HTML(string=html).write_pdf()
