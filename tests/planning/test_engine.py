"""Named cases for the projection engine, openfisca style: inputs, year, expected output, margin."""

import dataclasses
from unittest import mock

import numpy as np
from django.test import SimpleTestCase

from trappa.planning.engine import Intervention, Scenario, Uncertain, model, project, simulate_draws

from .helpers import small_municipality

HOME, INST, GROUP, TOTAL = 0, 1, 2, 3
MARGIN = 1e-9


def visits(effect=0.8, uptake=0.5, **kwargs):
    args = {
        "levels": (INST,),
        "start_year": 2026,
        "min_age": 85,
        "substitute_level": HOME,
        "substitute_share": Uncertain("share", 1.0),
    }
    args.update(kwargs)
    return Intervention(
        "visits",
        "relative_risk",
        effect=Uncertain("rr", effect, distribution="lognormal"),
        uptake=Uncertain("uptake", uptake),
        **args,
    )


class SmallMunicipalityTest(SimpleTestCase):
    def test_it_computes_users_staff_years_and_cost_by_hand(self):
        result = project(small_municipality(), Scenario("baseline"), draws=0)
        users = result.central["users"]["baseline"][0]
        # 100 women 80 x 0.04 + 50 men 90 x 0.17 = 4 + 8.5 in long-term institution.
        self.assertAlmostEqual(users[INST, 0], 12.5, delta=MARGIN)
        # 100 x 0.12 + 50 x 0.22 = 12 + 11 in home nursing.
        self.assertAlmostEqual(users[HOME, 0], 23.0, delta=MARGIN)
        self.assertAlmostEqual(users[TOTAL, 0], 35.5, delta=MARGIN)
        staff = result.central["staff_years"]["baseline"][0]
        self.assertAlmostEqual(staff[INST, 0], 12.5 * 1.1, delta=MARGIN)
        cost = result.central["cost"]["baseline"][0]
        # 13.75 staff-years x 900 000 + 12.5 users x 150 000.
        self.assertAlmostEqual(cost[INST, 0], 14_250_000, delta=1e-3)

    def test_it_applies_a_relative_risk_to_the_reached_cells_from_the_start_year(self):
        result = project(small_municipality(), Scenario("s", (visits(),)), draws=0)
        diff = result.central["users"]["difference"][0]
        self.assertAlmostEqual(diff[INST, 0], 0.0, delta=MARGIN)  # 2025: before the start
        # 2026: men 90 (85+) x 0.17 x 50 % uptake x (0.8 - 1) = -0.85; women 80 are not reached.
        self.assertAlmostEqual(diff[INST, 1], -0.85, delta=MARGIN)
        # The avoided institution users receive home nursing instead.
        self.assertAlmostEqual(diff[HOME, 1], 0.85, delta=MARGIN)
        self.assertAlmostEqual(diff[TOTAL, 1], 0.0, delta=MARGIN)

    def test_it_takes_the_rates_of_a_younger_age_for_an_age_shift(self):
        shift = Intervention(
            "delay",
            "age_shift",
            levels=(INST,),
            effect=Uncertain("years", 0.5),
            uptake=Uncertain("u", 1.0),
            start_year=2025,
            min_age=90,
        )
        result = project(small_municipality(), Scenario("s", (shift,)), draws=0)
        users = result.central["users"]["scenario"][0]
        # Men 90 get the rate half-way between 89 (0.10) and 90 (0.17): 50 x 0.135 + women 4.
        self.assertAlmostEqual(users[INST, 0], 4 + 50 * 0.135, delta=MARGIN)

    def test_it_reaches_only_cohorts_turning_the_age_after_the_start(self):
        iv = visits(min_age=0, cohort_age=80)
        reach = iv.reach(np.array([2025, 2026, 2027]))
        self.assertEqual(reach[80].tolist(), [0, 1, 1])
        self.assertEqual(reach[81].tolist(), [0, 0, 1])
        self.assertEqual(reach[82].tolist(), [0, 0, 0])
        self.assertEqual(reach[79].tolist(), [0, 0, 0])


class UncertaintyTest(SimpleTestCase):
    def uncertain_visits(self):
        return Intervention(
            "visits",
            "relative_risk",
            levels=(INST,),
            start_year=2026,
            min_age=85,
            effect=Uncertain("rr", 1.02, 0.88, 1.18, distribution="lognormal"),
            uptake=Uncertain("uptake", 0.5, 0.4, 0.6, 0.9, minimum=0, maximum=1),
        )

    def test_a_scenario_with_zero_effect_equals_the_baseline_exactly(self):
        nothing = visits(effect=1.0)
        result = project(small_municipality(alternatives=3), Scenario("zero", (nothing,)), draws=500)
        for measure in ("users", "staff_years", "cost"):
            for stat in (result.mean, result.low, result.high):
                np.testing.assert_array_equal(stat[measure]["scenario"], stat[measure]["baseline"])
                self.assertEqual(np.abs(stat[measure]["difference"]).max(), 0.0)

    def test_the_same_seed_gives_the_same_numbers(self):
        scenario = Scenario("s", (self.uncertain_visits(),))
        first = project(small_municipality(alternatives=3), scenario, seed=7, draws=300)
        second = project(small_municipality(alternatives=3), scenario, seed=7, draws=300)
        other = project(small_municipality(alternatives=3), scenario, seed=8, draws=300)
        np.testing.assert_array_equal(first.low["users"]["difference"], second.low["users"]["difference"])
        np.testing.assert_array_equal(first.high["cost"]["scenario"], second.high["cost"]["scenario"])
        self.assertFalse(np.array_equal(first.low["users"]["difference"], other.low["users"]["difference"]))

    def test_common_random_numbers_make_the_difference_far_less_variable_than_independent_draws(self):
        inputs = small_municipality(alternatives=3)
        scenario = Scenario("s", (self.uncertain_visits(),))
        common = simulate_draws(inputs, scenario, seed=3, draws=2000)["users"]
        other_seed = simulate_draws(inputs, scenario, seed=4, draws=2000)["users"]
        with_common = common["scenario"] - common["baseline"]
        with_independent = common["scenario"] - other_seed["baseline"]
        # Common draws leave only the intervention's uncertainty; independent ones add the
        # population alternative's spread, which is many times larger here.
        ratio = with_common[:, 0, INST, -1].var() / with_independent[:, 0, INST, -1].var()
        self.assertLess(ratio, 0.1)

    def test_the_interval_holds_the_central_estimate_of_an_evidence_based_scenario(self):
        result = project(small_municipality(), Scenario("s", (self.uncertain_visits(),)), draws=1000)
        central = result.central["users"]["difference"][0, INST, -1]
        self.assertLessEqual(result.low["users"]["difference"][0, INST, -1], central)
        self.assertGreaterEqual(result.high["users"]["difference"][0, INST, -1], central)
        # RR 1.02 (0.88-1.18): no effect, so the interval spans zero.
        self.assertLess(result.low["users"]["difference"][0, INST, -1], 0)
        self.assertGreater(result.high["users"]["difference"][0, INST, -1], 0)

    def test_it_refuses_a_value_outside_its_own_interval(self):
        with self.assertRaises(ValueError):
            Uncertain("bad", 2.0, 0.5, 1.5)

    def test_it_can_limit_intervals_to_the_difference_with_the_same_numbers(self):
        scenario = Scenario("s", (self.uncertain_visits(),))
        full = project(small_municipality(alternatives=3), scenario, seed=2, draws=300)
        lean = project(small_municipality(alternatives=3), scenario, seed=2, draws=300, intervals=("difference",))
        np.testing.assert_array_equal(lean.low["cost"]["difference"], full.low["cost"]["difference"])
        np.testing.assert_array_equal(lean.mean["users"]["baseline"], full.mean["users"]["baseline"])
        self.assertTrue(np.isnan(lean.high["users"]["scenario"]).all())


def municipalities(count=5, alternatives=3):
    """`count` copies of the small municipality, each a different size and calibration."""
    one = small_municipality(alternatives=alternatives)
    sizes = 1.0 + np.arange(count)
    population = one.population * sizes[None, :, None, None, None]
    calibration = np.linspace(0.8, 1.2, count * 2).reshape(count, 2)
    return dataclasses.replace(one, population=population, calibration=calibration)


class BlocksAndThreadsTest(SimpleTestCase):
    def scenario(self):
        shift = Intervention(
            "delay",
            "age_shift",
            levels=(INST,),
            start_year=2025,
            min_age=85,
            effect=Uncertain("years", 0.5, 0.0, 1.2),
            uptake=Uncertain("u", 0.3, 0.2, 0.4),
        )
        return Scenario("s", (UncertaintyTest().uncertain_visits(), visits(effect=0.9, min_age=80), shift))

    def run_with(self, block_cells, workers, draws=400, intervals=("baseline", "scenario", "difference")):
        with mock.patch.object(model, "_BLOCK_CELLS", block_cells), mock.patch.object(model, "_WORKERS", workers):
            return project(municipalities(), self.scenario(), seed=5, draws=draws, intervals=intervals)

    def test_it_gives_the_same_numbers_on_threads_as_in_one_thread_and_in_one_block(self):
        serial = self.run_with(block_cells=1, workers=1)  # one municipality per block
        for block_cells, workers in ((1, 2), (1, 3), (10**9, 1)):
            other = self.run_with(block_cells, workers)
            for stat in ("central", "mean", "low", "high"):
                for measure in ("users", "staff_years", "cost"):
                    for series in ("baseline", "scenario", "difference"):
                        np.testing.assert_array_equal(
                            getattr(other, stat)[measure][series], getattr(serial, stat)[measure][series]
                        )

    def test_the_interval_ends_are_the_percentiles_of_every_draw_sorted(self):
        inputs = municipalities()
        for double_cells in (10**9, 0):  # double and single precision
            for draws in (1, 20, 999, 1000, 2000):
                with mock.patch.object(model, "_DOUBLE_CELLS", double_cells):
                    result = project(inputs, self.scenario(), seed=3, draws=draws)
                    every = simulate_draws(inputs, self.scenario(), seed=3, draws=draws)
                for measure in ("users", "cost"):
                    for series in ("baseline", "scenario", "difference"):
                        ranked = np.sort(every[measure][series], axis=0)
                        for q, found in ((5.0, result.low), (95.0, result.high)):
                            position = q / 100 * (draws - 1)
                            below = int(np.floor(position))
                            lower = ranked[below]
                            expected = lower + (position - below) * (ranked[min(below + 1, draws - 1)] - lower)
                            np.testing.assert_array_equal(found[measure][series], expected)
                            np.testing.assert_allclose(
                                found[measure][series],
                                np.percentile(every[measure][series], q, axis=0),
                                rtol=1e-5 if double_cells == 0 else 1e-12,
                                atol=1e-6,
                            )
