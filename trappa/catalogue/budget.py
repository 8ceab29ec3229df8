"""Sums for the action plan and the effort staircase (innsatstrapp).

Every figure has one home: an offering's staffing and costs are its YearlyCost
rows; a measure that is an offering reads them from there, other measures carry
their own MeasureYear rows. These functions only add up, they never store.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from trappa.catalogue.models import Access, Measure, Offering, YearlyCost


@dataclass
class Amount:
    staffing_percent: Decimal = Decimal("0")
    cost: int = 0

    def add(self, staffing_percent, cost):
        self.staffing_percent += Decimal(staffing_percent)
        self.cost += cost

    @property
    def staff_years(self):
        return self.staffing_percent / 100


@dataclass
class Row:
    measure: Measure
    years: dict = field(default_factory=dict)  # year -> Amount


@dataclass
class AreaBlock:
    area: object
    rows: list = field(default_factory=list)
    totals: dict = field(default_factory=lambda: defaultdict(Amount))


@dataclass
class PlanTable:
    revision: object
    years: list
    areas: list
    totals: dict


def measure_amounts(measure):
    """{year: Amount} for one measure: its own rows if it has any (a frozen revision
    keeps its figures there), else its offering's current costs."""
    own = list(measure.years.all())
    if own or not measure.offering_id:
        return {row.year: Amount(row.staffing_percent, row.cost) for row in own}
    return {cost.year: Amount(cost.staffing_percent, cost.total) for cost in measure.offering.costs.all()}


def plan_table(revision):
    """The plan as the seeds lay it out: areas, their measures, per-year sums."""
    measures = (
        # Texts fall back to the municipality's written standard: fetch it with the rows.
        revision.measures.select_related(
            "focus_area__plan__municipality", "revision__plan__municipality", "offering", "step"
        )
        .prefetch_related("years", "offering__costs")
        .order_by("focus_area__position", "position", "id")
    )
    blocks, totals, years = {}, defaultdict(Amount), set()
    for measure in measures:
        block = blocks.setdefault(measure.focus_area_id, AreaBlock(measure.focus_area))
        row = Row(measure, measure_amounts(measure))
        block.rows.append(row)
        for year, amount in row.years.items():
            years.add(year)
            block.totals[year].add(amount.staffing_percent, amount.cost)
            totals[year].add(amount.staffing_percent, amount.cost)
    return PlanTable(revision, sorted(years), list(blocks.values()), totals)


def offering_totals(offerings):
    """{year: Amount} summed over offerings (e.g. the Byparken offerings of 000 §3.3)."""
    totals = defaultdict(Amount)
    for cost in YearlyCost.objects.filter(offering__in=offerings):
        totals[cost.year].add(cost.staffing_percent, cost.total)
    return dict(sorted(totals.items()))


def effort_staircase(municipality):
    """{step: {year: Amount}} for every step, lowest first: the innsatstrapp.

    Offerings' costs, plus measures of each plan's latest revision that carry
    their own costs and name a step (a measure that is an offering is counted
    once, through the offering).
    """
    steps = list(municipality.steps.order_by("position"))
    effort = {step: defaultdict(Amount) for step in steps}
    by_id = {step.id: step for step in steps}
    for cost in YearlyCost.objects.filter(offering__municipality=municipality).select_related("offering"):
        effort[by_id[cost.offering.step_id]][cost.year].add(cost.staffing_percent, cost.total)
    for measure in _latest_measures_with_own_costs(municipality):
        for row in measure.years.all():
            effort[by_id[measure.step_id]][row.year].add(row.staffing_percent, row.cost)
    return effort


# Seed 002 §9: the holistic effort staircase shows the low-threshold offerings and those given by decision.
BY_DECISION = (Access.APPLICATION, Access.DECISION)


def access_by_step(municipality):
    """{step id: (low-threshold offerings, offerings by application or decision)} of the catalogue."""
    counts = defaultdict(lambda: [0, 0])
    for step_id, access in Offering.objects.filter(municipality=municipality).values_list("step_id", "access"):
        counts[step_id][access in BY_DECISION] += 1
    return {step_id: tuple(pair) for step_id, pair in counts.items()}


def _latest_measures_with_own_costs(municipality):
    latest = [plan.latest_revision() for plan in municipality.action_plans.all()]
    return Measure.objects.filter(
        revision__in=[r for r in latest if r], offering__isnull=True, step__isnull=False
    ).prefetch_related("years")


def effort_years(effort):
    return sorted({year for per_year in effort.values() for year in per_year})
