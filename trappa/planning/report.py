"""A stored run's results turned into what the pages, the PDF and the exports show."""

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trappa.lib import charts

LABELS = {
    "preventive": _("Preventive and low-threshold services"),
    "practical_help": _("Practical help"),
    "home_nursing": _("Home nursing"),
    "day_care": _("Day care"),
    "short_term": _("Short-term and rotation stays"),
    "long_term": _("Long-term institution"),
    "home_services": _("Home services (practical help and home nursing)"),
    "institution": _("Institution places (short-term and long-term)"),
    "total": _("All care levels"),
}
# The interventions' names and effect labels as shown (the parameter files hold the English originals).
INTERVENTIONS = {
    "preventive_home_visits": _("Preventive home visits for everyone turning 80"),
    "fall_prevention": _("Fall-prevention training (strength and balance) for people 67+ living at home"),
    "everyday_rehabilitation": _("Everyday rehabilitation for new home-service users"),
    "caregiver_support": _("Caregiver support delaying long-term institution"),
    "healthy_ageing": _("Healthy ageing: need for care comes later at every age"),
    "need_delay": _("Delay of need by N years for a target group"),
}
EFFECT_LABELS = {
    "preventive_home_visits": _("Relative risk of long-term institution"),
    "fall_prevention": _("Relative risk of needing care (from falls rate ratio x share of need caused by falls)"),
    "everyday_rehabilitation": _("Relative risk of home-service use"),
    "caregiver_support": _("Years by which admission to long-term institution comes later"),
    "healthy_ageing": _("Years by which the age profile of need moves (full effect after the phase-in)"),
    "need_delay": _("Years by which need comes later in the target group"),
}
MEASURES = {"users": _("Users"), "staff_years": _("Staff-years"), "cost": _("Cost (NOK)")}
UNITS = {"users": _("users"), "staff_years": _("staff-years"), "cost": _("NOK")}
SERIES = {"baseline": _("Baseline"), "scenario": _("Scenario"), "difference": _("Scenario minus baseline")}
HEADLINE_ROWS = ("institution", "home_services", "long_term")
# The one statistic every page, chart, table and export reports: the run with every parameter at
# its value and the main population alternative. The draws give the 90 % interval beside it; their
# mean is kept in the exports for checking only (issue #15: one statistic everywhere).
ESTIMATE = "central"


def label(row):
    return LABELS.get(row, row)


def intervention_label(spec):
    return INTERVENTIONS.get(spec.key, spec.label)


def effect_label(spec):
    return EFFECT_LABELS.get(spec.key, spec.effect_label)


def parameter_label(kind, subject, ps):
    """A sensitivity row's parameter, in words."""
    spec = ps.interventions.get(subject)
    names = {"intervention": intervention_label(spec) if spec else subject, "level": label(subject)}
    texts = {
        "staff_years_per_user": gettext("%(level)s: staff-years per user"),
        "other_cost_per_user": gettext("%(level)s: other cost per user (NOK)"),
        "cost_per_staff_year": gettext("Cost per staff-year (NOK)"),
        "effect": gettext("%(intervention)s: effect"),
        "uptake": gettext("%(intervention)s: uptake"),
        "substitute_share": gettext("%(intervention)s: share moved to the substitute level"),
        "population": gettext("Population projection alternative"),
    }
    return texts[kind] % names


def table_years(years):
    """Every fifth year, the first and the last: short enough to read, exports hold all."""
    return [y for y in years if y % 5 == 0 or y in (years[0], years[-1])]


def fmt(value, measure="users"):
    if value is None:
        return "–"
    digits = {"users": 0, "staff_years": 1, "cost": 0, "ratio": 3, "share": 1}.get(measure, 0)
    # A value that rounds to zero is 0, not "-0" (round(-0.3) is -0.0, which is falsy).
    return number_format(round(value, digits) or 0.0, decimal_pos=digits, force_grouping=True)


def signed(value, measure="users"):
    text = fmt(value, measure)
    return text if value < 0 or text.lstrip("-").strip("0,. ") == "" else f"+{text}"


class RunReport:
    def __init__(self, run):
        self.run = run
        self.r = run.results
        self.years = self.r["years"]
        self.rows = self.r["rows"]
        self.index = {row: i for i, row in enumerate(self.rows)}
        self.has_draws = "mean" in self.r
        groups = {"home_services", "institution", "total"}
        self.levels = [row for row in self.rows if row not in groups]
        self.last = len(self.years) - 1

    def value(self, kind, measure, series, row, year_index):
        return self.r[kind][measure][series][self.index[row]][year_index]

    def headlines(self):
        """ "−83 institution users in 2050, 90 % interval …" for the key rows."""
        out = []
        for row in [r for r in HEADLINE_ROWS if r in self.index] + ["total"]:
            for measure in ("users", "staff_years", "cost") if row == "total" else ("users",):
                out.append(self.headline(row, measure))
        return out

    def headline(self, row, measure):
        year = self.years[self.last]
        central = self.value(ESTIMATE, measure, "difference", row, self.last)
        text = gettext("%(change)s %(measure)s, %(row)s, in %(year)s") % {
            "change": signed(central, measure),
            "measure": UNITS[measure],
            "row": str(label(row)).lower(),
            "year": year,
        }
        if self.has_draws:
            low = self.value("low", measure, "difference", row, self.last)
            high = self.value("high", measure, "difference", row, self.last)
            text += " " + gettext("(90 %% interval %(low)s to %(high)s)") % {
                "low": signed(low, measure),
                "high": signed(high, measure),
            }
        return text

    def table(self, measure, series, interval=False, rows=None):
        """The central estimate per row and year; with `interval`, the draws' 90 % interval beside it."""
        years = table_years(self.years)
        positions = [self.years.index(y) for y in years]
        body = []
        for row in rows or self.rows:
            cells = [fmt(self.value(ESTIMATE, measure, series, row, p), measure) for p in positions]
            if self.has_draws and interval:
                lows = [self.value("low", measure, series, row, p) for p in positions]
                highs = [self.value("high", measure, series, row, p) for p in positions]
                cells = [
                    f"{c} ({fmt(lo, measure)} – {fmt(hi, measure)})"
                    for c, lo, hi in zip(cells, lows, highs, strict=True)
                ]
            body.append((label(row), cells))
        return {"years": years, "rows": body}

    def tables(self):
        """The tables under the charts: (tables, captions) keyed alike."""
        interval = (
            gettext(" Central estimate with the 90 %% interval of the draws in brackets.") % {}
            if self.has_draws
            else gettext(" Central estimate.")
        )
        tables = {
            "users_baseline": self.table("users", "baseline", rows=self.levels + ["total"]),
            "users_scenario": self.table("users", "scenario", rows=self.levels + ["total"]),
            "users_difference": self.table("users", "difference", True),
            "staff": self.table("staff_years", "difference", True),
            "cost": self.table("cost", "difference", True),
        }
        captions = {
            "users_baseline": gettext("Users by care level, baseline (central estimate)"),
            "users_scenario": gettext("Users by care level, scenario (central estimate)"),
            "users_difference": gettext("Users, scenario minus baseline.") + interval,
            "staff": gettext("Staff-years, scenario minus baseline.") + interval,
            "cost": gettext("Cost in NOK, scenario minus baseline.") + interval,
        }
        return tables, captions

    def charts(self):
        users = [(label(row), self.r["central"]["users"]["baseline"][self.index[row]]) for row in self.levels]
        scenario = [(label(row), self.r["central"]["users"]["scenario"][self.index[row]]) for row in self.levels]
        out = {
            "baseline": charts.stacked(
                f"run{self.run.pk}-baseline",
                gettext("Users by care level, baseline"),
                gettext("Stacked areas, one per care level, from %(first)s to %(last)s.") % self._span(),
                self.years,
                users,
            ),
            "scenario": charts.stacked(
                f"run{self.run.pk}-scenario",
                gettext("Users by care level, scenario"),
                gettext("Stacked areas, one per care level, from %(first)s to %(last)s.") % self._span(),
                self.years,
                scenario,
            ),
        }
        kind = ESTIMATE
        out["difference"] = self._bands(
            "difference",
            "users",
            "difference",
            [r for r in ("institution", "home_services", "total") if r in self.index],
            gettext("Scenario minus baseline, users, with 90 %% intervals") % {},
            kind,
        )
        out["staff"] = self._bands(
            "staff",
            "staff_years",
            None,
            ["total"],
            gettext("Staff-years, baseline and scenario, with 90 %% intervals") % {},
            kind,
        )
        out["cost"] = self._bands(
            "cost",
            "cost",
            "difference",
            ["total"],
            gettext("Cost, scenario minus baseline (NOK), with 90 %% interval") % {},
            kind,
        )
        return out

    def statistic(self):
        """The sentence naming the statistic shown, for the page and the PDF."""
        if not self.has_draws:
            return gettext(
                "Every number is the central estimate (every parameter at its value, main population alternative)."
            )
        return gettext(
            "Every number in the summary, the tables and the charts is the central estimate (every parameter at "
            "its value, main population alternative), with the 90 %% interval of %(draws)s draws beside it."
        ) % {"draws": fmt(self.run.draws)}

    def _span(self):
        return {"first": self.years[0], "last": self.years[-1]}

    def _bands(self, name, measure, series, rows, title, kind):
        lines = []
        pairs = [(row, series) for row in rows] if series else [("total", "baseline"), ("total", "scenario")]
        for row, s in pairs:
            estimate = self.r[kind][measure][s][self.index[row]]
            low = self.r["low"][measure][s][self.index[row]] if self.has_draws else estimate
            high = self.r["high"][measure][s][self.index[row]] if self.has_draws else estimate
            name_text = str(label(row)) if series else str(SERIES[s])
            lines.append((name_text, estimate, low, high))
        description = (
            gettext("Lines with shaded 90 %% intervals from %(first)s to %(last)s; the table below gives the numbers.")
            % self._span()
        )
        return charts.bands(f"run{self.run.pk}-{name}", title, description, self.years, lines)

    def calibration_rows(self):
        c = self.run.calibration
        if c.get("source") != "register":
            return []
        return [
            (
                label(k),
                _suppressed(c["observed"][k]),
                fmt(c["expected"][k]),
                number_format(c["factor"][k], decimal_pos=2),
                c["used"][k],
            )
            for k in c["factor"]
        ]


def _suppressed(n):
    """Counts of 1-4 are shown as "<5" so no small group stands out."""
    return "<5" if 0 < n < 5 else str(n)
