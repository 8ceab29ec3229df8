"""The planner's capacity scenario (seed 002 §8, §11): beds per week against the stays granted.

Vefsn grants more rotation stays than it has beds and plans a rotation ward of at
least ten places. The scenario counts, week by week and per bed group, the stays
the valid decisions promise, the beds in use today and the beds with the
scenario's extra places, and how many weeks each leaves short. Counts only:
no person is named.
"""

import datetime
from dataclasses import dataclass

from trappa.respite import planner, services
from trappa.respite.models import Bed, BedGroup


@dataclass(frozen=True)
class Week:
    monday: datetime.date
    group: str
    demand: int
    beds: int
    scenario_beds: int

    @property
    def short_today(self):
        return max(0, self.demand - self.beds)

    @property
    def short_in_scenario(self):
        return max(0, self.demand - self.scenario_beds)


def scenario(municipality, start, weeks, extra_beds):
    """Every week and bed group of the horizon; `extra_beds` is {group: places added}."""
    beds = Bed.objects.filter(unit__municipality=municipality, active=True)
    today = {group: beds.filter(group=group).count() for group in BedGroup.values}
    decisions = [services.to_decision(d, start) for d in services.decisions_for(municipality, start, weeks)]
    demand = {}
    for decision in decisions:
        for stay in planner.stays_of(decision, weeks):
            for week in stay.weeks:
                demand[stay.group, week] = demand.get((stay.group, week), 0) + 1
    return [
        Week(
            start + datetime.timedelta(weeks=week),
            group,
            demand.get((group, week), 0),
            today[group],
            today[group] + extra_beds.get(group, 0),
        )
        for week in range(weeks)
        for group in BedGroup.values
    ]


def summary(rows):
    """Per group: the most stays in one week, and the weeks short today and in the scenario."""
    result = {}
    for group in BedGroup.values:
        mine = [r for r in rows if r.group == group]
        result[group] = {
            "peak": max((r.demand for r in mine), default=0),
            "weeks_short_today": sum(1 for r in mine if r.short_today),
            "weeks_short_in_scenario": sum(1 for r in mine if r.short_in_scenario),
            "stay_weeks_short_today": sum(r.short_today for r in mine),
            "stay_weeks_short_in_scenario": sum(r.short_in_scenario for r in mine),
        }
    return result
