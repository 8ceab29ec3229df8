"""Lay rotation-stay decisions on the beds, week by week, with OR-Tools CP-SAT.

A pure module on plain data: it never imports Django, so it is tested and
benchmarked on generated decision sets. Weeks are integers 0..horizon-1 (the
caller maps them to Mondays).

A decision promises stays: with a pattern of `home_weeks` home and `stay_weeks`
in, a stay starts at `first_stay_week` and every `home_weeks + stay_weeks` weeks
after it, for as long as the decision is valid (`valid_from`..`valid_until`,
end exclusive). A stay is clipped to the validity and the horizon, so one that
began before the horizon continues in week 0.

The rules, as constraints:
- a bed holds at most one person a week;
- a stay goes only to a bed of the decision's group (somatic or dementia);
- a person keeps the same bed for the whole of a stay;
- a stay is placed whole or not at all (a shortened stay is an option the
  staff choose, never something the solver does silently).

The objective is lexicographic, solved in two steps: first place as many stays
as possible (all of them whenever that is possible), then, with that number
fixed, change as few person-weeks as possible from the previous plan (a
person-week changes when its bed differs or it is no longer placed).

Within one group, beds are interchangeable, so the stays form an interval graph
and all of them fit exactly when no week has more stays than beds (interval
graphs are perfect). That gives an exact overbooking report per week, which
is computed directly and does not depend on the solver.
"""

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

GROUPS = ("somatic", "dementia")


class PlanningError(ValueError):
    """The input cannot be planned as given (a clear message for the user)."""


@dataclass(frozen=True)
class Bed:
    id: str
    group: str


@dataclass(frozen=True)
class Decision:
    id: str
    person: str
    group: str
    home_weeks: int
    stay_weeks: int
    first_stay_week: int
    valid_from: int
    valid_until: int  # exclusive


@dataclass(frozen=True)
class Stay:
    decision: str
    person: str
    group: str
    start: int
    end: int  # exclusive

    @property
    def weeks(self):
        return range(self.start, self.end)


@dataclass(frozen=True)
class Overbooking:
    group: str
    week: int
    demand: int
    beds: int

    @property
    def excess(self):
        return self.demand - self.beds


@dataclass(frozen=True)
class Option:
    """A way to place a stay that does not fit as promised, given the rest of the plan."""

    stay: Stay
    kind: str  # "shift" (same length, moved) or "shorten" (fewer weeks, same dates otherwise)
    start: int
    end: int
    bed: str

    @property
    def harm(self):
        """Weeks lost, then weeks moved: a shift loses nothing, a shortened stay loses weeks."""
        lost = self.stay.end - self.stay.start - (self.end - self.start)
        return (lost, abs(self.start - self.stay.start))


@dataclass
class Plan:
    assignments: dict  # Stay -> bed id
    unplaced: list  # stays that could not be placed
    overbooked: list  # Overbooking, one per group and week over
    options: list  # Option, least harmful first
    changes: int  # person-weeks changed from the previous plan
    status: str  # "optimal" or "feasible"
    gap: float = 0.0  # relative gap of the second step when not proven optimal
    wall_time: float = 0.0

    def bed_weeks(self):
        """(bed id, week) -> stay, for calendars."""
        return {(bed, week): stay for stay, bed in self.assignments.items() for week in stay.weeks}

    def person_weeks(self):
        """(decision id, week) -> bed id: the form a later run takes as its previous plan."""
        return {(stay.decision, week): bed for stay, bed in self.assignments.items() for week in stay.weeks}


@dataclass
class Problem:
    beds: list
    decisions: list
    horizon: int = 26
    previous: dict = field(default_factory=dict)  # (decision id, week) -> bed id


def stays_of(decision, horizon):
    """The stays a decision promises inside the horizon, clipped to its validity."""
    cycle = decision.home_weeks + decision.stay_weeks
    low, high = max(0, decision.valid_from), min(horizon, decision.valid_until)
    # step back to the first cycle that can still reach into the window
    k = max(0, (low - decision.first_stay_week - decision.stay_weeks) // cycle + 1)
    stays = []
    while True:
        start = decision.first_stay_week + k * cycle
        if start >= high:
            return stays
        begin, end = max(start, low), min(start + decision.stay_weeks, high)
        if begin < end and start >= decision.valid_from:
            stays.append(Stay(decision.id, decision.person, decision.group, begin, end))
        k += 1


def validate(problem):
    if problem.horizon < 1:
        raise PlanningError("The horizon must be at least one week.")
    bed_ids = [bed.id for bed in problem.beds]
    if len(set(bed_ids)) != len(bed_ids):
        raise PlanningError("Two beds have the same id.")
    for bed in problem.beds:
        if bed.group not in GROUPS:
            raise PlanningError(f"Bed {bed.id} has an unknown group {bed.group!r}.")
    ids = [decision.id for decision in problem.decisions]
    if len(set(ids)) != len(ids):
        raise PlanningError("Two decisions have the same id.")
    for decision in problem.decisions:
        _validate_decision(decision)


def _validate_decision(decision):
    if decision.group not in GROUPS:
        raise PlanningError(f"Decision {decision.id} has an unknown group {decision.group!r}.")
    if decision.stay_weeks < 1 or decision.home_weeks < 0:
        raise PlanningError(f"Decision {decision.id} needs at least one week in and no negative weeks home.")
    if decision.valid_until <= decision.valid_from:
        raise PlanningError(f"Decision {decision.id} ends before it starts.")


def all_stays(problem):
    stays = [stay for decision in problem.decisions for stay in stays_of(decision, problem.horizon)]
    _check_one_bed_per_person(stays)
    return stays


def _check_one_bed_per_person(stays):
    seen = {}
    for stay in stays:
        for week in stay.weeks:
            other = seen.setdefault((stay.person, week), stay.decision)
            if other != stay.decision:
                raise PlanningError(f"Decisions {other} and {stay.decision} both place the same person in week {week}.")


def overbooking(problem, stays):
    """Every group and week with more stays than beds, exactly."""
    beds = {group: sum(1 for bed in problem.beds if bed.group == group) for group in GROUPS}
    demand = {}
    for stay in stays:
        for week in stay.weeks:
            demand[stay.group, week] = demand.get((stay.group, week), 0) + 1
    return [
        Overbooking(group, week, count, beds[group])
        for (group, week), count in sorted(demand.items(), key=lambda item: (item[0][1], item[0][0]))
        if count > beds[group]
    ]


def plan(problem, time_limit=30.0, workers=2):
    """Solve the problem; raises PlanningError on bad input."""
    validate(problem)
    stays = all_stays(problem)
    solver = _Solver(problem, stays, time_limit, workers)
    assignments, status, gap = solver.solve()
    unplaced = [stay for stay in stays if stay not in assignments]
    result = Plan(
        assignments,
        unplaced,
        overbooking(problem, stays),
        [],
        _changes(problem.previous, stays, assignments),
        status,
        gap,
        solver.wall_time,
    )
    result.options = options_for(problem, result)
    return result


def _changes(previous, stays, assignments):
    count = 0
    for stay in stays:
        bed = assignments.get(stay)
        count += sum(
            1 for week in stay.weeks if (stay.decision, week) in previous and previous[stay.decision, week] != bed
        )
    return count


class _Solver:
    def __init__(self, problem, stays, time_limit, workers):
        self.problem, self.stays = problem, stays
        self.time_limit, self.workers = time_limit, workers
        self.wall_time = 0.0
        self.model = cp_model.CpModel()
        self.x = {}  # (stay index, bed id) -> BoolVar
        self._build()

    def _build(self):
        by_bed_week = {}
        for index, stay in enumerate(self.stays):
            own = []
            for bed in self.problem.beds:
                if bed.group != stay.group:
                    continue
                var = self.model.new_bool_var(f"s{index}_{bed.id}")
                self.x[index, bed.id] = var
                own.append(var)
                for week in stay.weeks:
                    by_bed_week.setdefault((bed.id, week), []).append(var)
            self.model.add_at_most_one(own)  # one bed for the whole stay
        for variables in by_bed_week.values():
            self.model.add_at_most_one(variables)  # one person per bed and week

    def _placed(self):
        return sum(self.x.values())

    def _change_cost(self):
        previous, terms = self.problem.previous, []
        for (index, bed), var in self.x.items():
            stay = self.stays[index]
            # weeks that had a bed before: kept weeks cost nothing, every other week costs one
            had = [week for week in stay.weeks if (stay.decision, week) in previous]
            kept = sum(1 for week in had if previous[stay.decision, week] == bed)
            if kept:
                terms.append(-kept * var)
        return sum(terms)

    def _run(self):
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = self.time_limit
        solver.parameters.num_workers = self.workers
        status = solver.solve(self.model)
        self.wall_time += solver.wall_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise PlanningError("The solver found no plan within the time limit.")
        return solver, status

    def solve(self):
        if not self.x:
            return {}, "optimal", 0.0
        # step 1: place as many stays as possible
        self.model.maximize(self._placed())
        solver, status = self._run()
        placed = round(solver.objective_value)
        if status != cp_model.OPTIMAL:
            return self._read(solver), "feasible", _gap(solver)
        # step 2: keep that many placed and stay as close to the previous plan as possible
        self.model.add(self._placed() >= placed)
        self._hint(solver)
        self.model.minimize(self._change_cost())
        solver, status = self._run()
        return self._read(solver), ("optimal" if status == cp_model.OPTIMAL else "feasible"), _gap(solver)

    def _hint(self, solver):
        for var in self.x.values():
            self.model.add_hint(var, solver.boolean_value(var))

    def _read(self, solver):
        return {self.stays[index]: bed for (index, bed), var in self.x.items() if solver.boolean_value(var)}


def _gap(solver):
    bound, value = solver.best_objective_bound, solver.objective_value
    return abs(bound - value) / max(1.0, abs(value))


def options_for(problem, result):
    """For each stay left out, the least harmful way it would still fit: a shift by one week, else its
    longest shortened stretch. Stays are taken in date order and each chosen option takes its bed-weeks,
    so the options never compete for a bed: staff may accept all of them together.
    """
    taken = set(result.bed_weeks())
    options = []
    for stay in sorted(result.unplaced, key=lambda s: (s.start, s.decision)):
        candidates = _shifts(problem, stay, taken) or _shortenings(problem, stay, taken)
        if candidates:
            best = min(candidates, key=lambda option: (option.harm, option.start))
            taken.update((best.bed, week) for week in range(best.start, best.end))
            options.append(best)
    return sorted(options, key=lambda option: (option.harm, option.stay.start, option.stay.decision))


def _free_bed(problem, group, start, end, taken):
    for bed in problem.beds:
        if bed.group == group and all((bed.id, week) not in taken for week in range(start, end)):
            return bed.id
    return None


def _shifts(problem, stay, taken):
    options = []
    for delta in (-1, 1):
        start, end = stay.start + delta, stay.end + delta
        if start < 0 or end > problem.horizon:
            continue
        bed = _free_bed(problem, stay.group, start, end, taken)
        if bed:
            options.append(Option(stay, "shift", start, end, bed))
    return options


def _shortenings(problem, stay, taken):
    """The longest stretches of the stay's own weeks that one bed can hold (ties: every such stretch)."""
    best, options = 0, []
    for start in stay.weeks:
        for end in range(stay.end, start, -1):
            if end - start < best:
                break
            bed = _free_bed(problem, stay.group, start, end, taken)
            if bed:
                if end - start > best:
                    best, options = end - start, []
                options.append(Option(stay, "shorten", start, end, bed))
                break
    return options
