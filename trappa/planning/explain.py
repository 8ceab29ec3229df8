"""Sensitivity and reconciliation of stored runs, ready for the pages (Django side of sensitivity.py and
reconcile.py)."""

from django.utils.translation import gettext

from trappa.lib import charts

from . import params, reconcile, sensitivity
from .models import PopulationSeries
from .report import MEASURES, fmt, intervention_label, label, parameter_label, signed
from .services import build_model


def _model(run):
    series = PopulationSeries.objects.get(dataset=run.dataset, region=run.region)
    ps = params.load(run.parameters_on)
    inputs, scenario = build_model(run, series, ps)
    return ps, inputs, scenario


def run_sensitivity(run):
    """{"year", "central", "rows", "charts"}: the tornado of the run's last year, for every measure."""
    ps, inputs, scenario = _model(run)
    central, swings = sensitivity.tornado(inputs, scenario, alternatives=run.dataset.alternatives)
    rows = []
    for swing in swings:
        if swing.kind == "population":
            ends = (swing.low_value, swing.high_value)
        else:
            ends = (_value(swing.low_value), _value(swing.high_value))
        rows.append(
            {
                "name": swing.name,
                "label": parameter_label(swing.kind, swing.subject, ps),
                "ends": ends,
                "level": swing.level,
                "cells": [(signed(swing.low[m], m), signed(swing.high[m], m)) for m in MEASURES],
                "swing": swing,
            }
        )
    year = run.results["years"][-1]
    out = {"year": year, "central": {m: signed(central[m], m) for m in MEASURES}, "rows": rows, "charts": {}}
    for measure, title in MEASURES.items():
        ranked = sorted(swings, key=lambda s, m=measure: -s.width(m))
        bars = [
            (parameter_label(s.kind, s.subject, ps), s.low[measure], s.high[measure])
            for s in ranked
            if s.width(measure) > 0
        ]
        out["charts"][measure] = charts.tornado(
            f"run{run.pk}-tornado-{measure}",
            gettext("%(measure)s, scenario minus baseline in %(year)s: each parameter at the ends of its range")
            % {"measure": title, "year": year},
            gettext(
                "Horizontal bars, widest first, from the result with the parameter at the low end of its range to the "
                "result at the high end; a vertical line marks the central estimate, %(central)s. The table below "
                "gives the numbers."
            )
            % {"central": signed(central[measure], measure)},
            central[measure],
            bars,
            gettext("Parameter at the low end"),
            gettext("Parameter at the high end"),
        )
    return out


def _value(value):
    return fmt(value, "staff_years") if abs(value) < 10 else fmt(value)


def reconciliation(rec, runs):
    """The rows of a reconciliation's tables: the other model next to each run, and what one would have to believe."""
    ps, inputs, _scenario = _model(rec.run)
    evidence = [
        (key, spec.levels, spec.effect.value, spec.effect.low)
        for key, spec in ps.interventions.items()
        if spec.kind == "relative_risk" and spec.effect.low is not None
    ]
    solutions = [reconcile.solve(inputs, row, target, rec.year, evidence) for row, target in rec.targets()]
    compared = []
    for solution in solutions:
        cells = []
        for run in runs:
            r = run.results
            if rec.year not in r["years"] or solution.row not in r["rows"]:
                cells.append(None)
                continue
            i, y = r["rows"].index(solution.row), r["years"].index(rec.year)
            diff, base = r["central"]["users"]["difference"][i][y], r["central"]["users"]["baseline"][i][y]
            interval = (
                (signed(r["low"]["users"]["difference"][i][y]), signed(r["high"]["users"]["difference"][i][y]))
                if "low" in r
                else None
            )
            cells.append(
                {"change": signed(diff), "share": _percent(diff / base if base else None), "interval": interval}
            )
        compared.append(
            {
                "row": label(solution.row),
                "other": signed(solution.target),
                "other_share": _percent(solution.share),
                "baseline": fmt(solution.baseline),
                "runs": cells,
                "relative_risk": _ratio(solution.relative_risk),
                "reduction": _percent(1 - solution.relative_risk) if solution.relative_risk is not None else None,
                "years_later": fmt(solution.years_later, "staff_years") if solution.years_later is not None else None,
                "reach": [
                    {
                        "intervention": intervention_label(ps.interventions[key]),
                        "effect": _ratio(effect),
                        "best": _ratio(best),
                        "reach": _reach(at_effect),
                        "reach_best": _reach(at_best),
                    }
                    for key, effect, at_effect, best, at_best in solution.reach
                ],
            }
        )
    return compared


def _ratio(value):
    return fmt(value, "ratio") if value is not None else None


def _percent(share):
    if share is None:
        return "–"
    return fmt(share * 100, "share") + " %"


def _reach(share):
    """The share of people 67+ an effect would have to reach; above all of them it cannot be done."""
    if share is None:
        return gettext("not possible: the published effect is no reduction")
    if share > 1:
        return gettext("not possible: %(share)s of everyone 67+") % {"share": _percent(share)}
    return _percent(share)
