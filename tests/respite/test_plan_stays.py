"""The respite planner's guarantees, checked on seeded random decision sets.

The checks do not trust the solver: double booking is read off the plan,
the most stays that can be placed is computed by a greedy that is optimal for
intervals on identical machines (checked itself against brute force on tiny
cases), overbooking is recounted week by week from the patterns, and the fewest
changes from a previous plan is found by brute force on tiny cases.
"""

import itertools
import random

from django.test import SimpleTestCase

from trappa.respite.planner import GROUPS, Bed, Decision, PlanningError, Problem, plan, stays_of

CASES = 150


def random_problem(rng, horizon=None, max_beds=4, max_decisions=8):
    horizon = horizon or rng.randint(4, 26)
    beds = [Bed(f"b{i}", rng.choice(GROUPS)) for i in range(rng.randint(1, max_beds))]
    decisions = []
    for i in range(rng.randint(1, max_decisions)):
        stay = rng.randint(1, 3)
        home = rng.randint(0, 6)
        first = rng.randint(-stay - home, horizon - 1)
        valid_from = rng.randint(min(first, 0), max(first, 0))
        decisions.append(
            Decision(
                f"d{i}", f"p{i}", rng.choice(GROUPS), home, stay, first, valid_from, valid_from + rng.randint(1, 30)
            )
        )
    return Problem(beds, decisions, horizon)


def greedy_most_placed(beds, stays):
    """Most intervals on k identical machines: by end, each to the free machine that finished latest."""
    placed = 0
    for group in GROUPS:
        free_at = [0] * sum(1 for bed in beds if bed.group == group)
        for stay in sorted((s for s in stays if s.group == group), key=lambda s: s.end):
            ready = [i for i, at in enumerate(free_at) if at <= stay.start]
            if ready:
                free_at[max(ready, key=lambda i: free_at[i])] = stay.end
                placed += 1
    return placed


def brute_force(beds, stays, previous):
    """(most placed, fewest changes at that number) over every assignment, None meaning unplaced."""
    best = None
    choices = [[None] + [bed.id for bed in beds if bed.group == stay.group] for stay in stays]
    for pick in itertools.product(*choices):
        used = [(bed, week) for stay, bed in zip(stays, pick, strict=True) if bed for week in stay.weeks]
        if len(used) != len(set(used)):
            continue
        changes = sum(
            1
            for stay, bed in zip(stays, pick, strict=True)
            for week in stay.weeks
            if (stay.decision, week) in previous and previous[stay.decision, week] != bed
        )
        score = (-sum(1 for bed in pick if bed), changes)
        best = score if best is None or score < best else best
    return -best[0], best[1]


def in_stay(decision, week, horizon):
    """Whether the decision has the person in on this week, from the pattern alone."""
    if not (0 <= week < horizon and decision.valid_from <= week < decision.valid_until):
        return False
    cycle = decision.home_weeks + decision.stay_weeks
    offset = week - decision.first_stay_week
    start = decision.first_stay_week + (offset // cycle) * cycle
    return offset >= 0 and offset % cycle < decision.stay_weeks and start >= decision.valid_from


def planned(problem, rng=None):
    try:
        return plan(problem, time_limit=20)
    except PlanningError:
        return None  # the generator made one person's decisions overlap


class PlannerTests(SimpleTestCase):
    def test_it_never_puts_two_people_in_a_bed_in_one_week(self):
        rng = random.Random(1)
        for _ in range(CASES):
            problem = random_problem(rng)
            result = planned(problem, rng)
            if result is None:
                continue
            beds = {bed.id: bed for bed in problem.beds}
            seen = set()
            for stay, bed in result.assignments.items():
                self.assertEqual(beds[bed].group, stay.group)
                for week in stay.weeks:
                    self.assertNotIn((bed, week), seen)
                    seen.add((bed, week))

    def test_it_places_every_promised_stay_when_that_is_possible(self):
        rng = random.Random(2)
        for _ in range(CASES):
            problem = random_problem(rng)
            result = planned(problem, rng)
            if result is None:
                continue
            stays = list(result.assignments) + result.unplaced
            self.assertEqual(len(result.assignments), greedy_most_placed(problem.beds, stays))
            self.assertEqual(result.status, "optimal")
            self.assertEqual(result.unplaced == [], result.overbooked == [])

    def test_the_greedy_check_agrees_with_brute_force(self):
        rng = random.Random(3)
        for _ in range(60):
            problem = random_problem(rng, horizon=8, max_beds=3, max_decisions=3)
            result = planned(problem, rng)
            if result is None:
                continue
            stays = list(result.assignments) + result.unplaced
            if len(stays) > 7:
                continue
            self.assertEqual(greedy_most_placed(problem.beds, stays), brute_force(problem.beds, stays, {})[0])

    def test_it_reports_exactly_the_weeks_that_are_over_and_by_how_much(self):
        rng = random.Random(4)
        for _ in range(CASES):
            problem = random_problem(rng, max_decisions=12)
            result = planned(problem, rng)
            if result is None:
                continue
            expected = {}
            for group in GROUPS:
                beds = sum(1 for bed in problem.beds if bed.group == group)
                for week in range(problem.horizon):
                    demand = sum(1 for d in problem.decisions if d.group == group and in_stay(d, week, problem.horizon))
                    if demand > beds:
                        expected[group, week] = demand - beds
            self.assertEqual({(o.group, o.week): o.excess for o in result.overbooked}, expected)

    def test_it_changes_as_little_as_possible_from_the_previous_plan(self):
        rng = random.Random(5)
        checked = 0
        for _ in range(80):
            problem = random_problem(rng, horizon=8, max_beds=3, max_decisions=4)
            result = planned(problem, rng)
            if result is None:
                continue
            stays = list(result.assignments) + result.unplaced
            if len(stays) > 6:
                continue
            previous = {
                (d.id, week): rng.choice(problem.beds).id
                for d in problem.decisions
                for week in range(problem.horizon)
                if rng.random() < 0.5
            }
            problem.previous = previous
            again = plan(problem)
            self.assertEqual((len(again.assignments), again.changes), brute_force(problem.beds, stays, previous))
            checked += 1
        self.assertGreater(checked, 10)

    def test_it_keeps_the_previous_plan_when_nothing_changed(self):
        rng = random.Random(6)
        for _ in range(40):
            problem = random_problem(rng, max_decisions=10)
            first = planned(problem, rng)
            if first is None:
                continue
            problem.previous = first.person_weeks()
            self.assertEqual(plan(problem).changes, 0)

    def test_its_options_fit_the_plan_and_each_other(self):
        rng = random.Random(7)
        seen = 0
        for _ in range(CASES):
            problem = random_problem(rng, max_beds=2, max_decisions=10)
            result = planned(problem, rng)
            if result is None:
                continue
            taken = set(result.bed_weeks())
            beds = {bed.id: bed.group for bed in problem.beds}
            self.assertEqual(len({o.stay for o in result.options}), len(result.options))
            for option in result.options:
                seen += 1
                self.assertIn(option.stay, result.unplaced)
                self.assertEqual(beds[option.bed], option.stay.group)
                self.assertTrue(0 <= option.start < option.end <= problem.horizon)
                weeks = {(option.bed, week) for week in range(option.start, option.end)}
                self.assertFalse(weeks & taken)  # free in the plan and not taken by another option
                taken |= weeks
            self.assertEqual([o.harm for o in result.options], sorted(o.harm for o in result.options))
        self.assertGreater(seen, 10)

    def test_it_proposes_a_shift_by_a_week_when_that_fits(self):
        beds = [Bed("solina-1", "somatic")]
        decisions = [Decision("a", "pa", "somatic", 4, 2, 0, 0, 6), Decision("b", "pb", "somatic", 4, 2, 1, 0, 6)]
        previous = {("a", 0): "solina-1", ("a", 1): "solina-1"}  # a keeps its bed, so b is the one left out
        result = plan(Problem(beds, decisions, horizon=6, previous=previous))
        self.assertEqual([s.decision for s in result.unplaced], ["b"])
        option = result.options[0]
        self.assertEqual((option.kind, option.start, option.end, option.bed), ("shift", 2, 4, "solina-1"))
        self.assertEqual([(o.group, o.week, o.excess) for o in result.overbooked], [("somatic", 1, 1)])

    def test_it_proposes_a_shorter_stay_when_no_shift_fits(self):
        beds = [Bed("solina-1", "dementia")]
        decisions = [
            Decision("a", "pa", "dementia", 4, 2, 0, 0, 6),
            Decision("b", "pb", "dementia", 2, 3, 1, 0, 4),
            Decision("c", "pc", "dementia", 4, 2, 3, 0, 6),
        ]
        result = plan(Problem(beds, decisions, horizon=6))
        self.assertEqual([(o.kind, o.start, o.end) for o in result.options], [("shorten", 2, 3)])


class StayTests(SimpleTestCase):
    def test_it_lays_out_stays_from_the_pattern_and_clips_them_to_the_validity(self):
        decision = Decision("a", "pa", "somatic", 2, 2, -1, -1, 9)
        self.assertEqual([(s.start, s.end) for s in stays_of(decision, 26)], [(0, 1), (3, 5), (7, 9)])

    def test_it_clips_stays_to_the_horizon(self):
        decision = Decision("a", "pa", "somatic", 6, 1, 3, 0, 40)
        self.assertEqual([(s.start, s.end) for s in stays_of(decision, 12)], [(3, 4), (10, 11)])


class BadInputTests(SimpleTestCase):
    def test_it_rejects_a_decision_with_no_weeks_in(self):
        with self.assertRaisesMessage(PlanningError, "at least one week in"):
            plan(Problem([Bed("x", "somatic")], [Decision("a", "pa", "somatic", 2, 0, 0, 0, 26)]))

    def test_it_rejects_an_unknown_group(self):
        with self.assertRaisesMessage(PlanningError, "unknown group"):
            plan(Problem([Bed("x", "psychiatry")], []))

    def test_it_rejects_one_person_in_two_decisions_the_same_week(self):
        decisions = [Decision("a", "pa", "somatic", 2, 2, 0, 0, 26), Decision("b", "pa", "somatic", 2, 2, 1, 0, 26)]
        with self.assertRaisesMessage(PlanningError, "same person"):
            plan(Problem([Bed("x", "somatic")], decisions))
