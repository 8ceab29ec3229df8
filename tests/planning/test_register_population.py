"""The register-derived projection's pure parts: projection by hand, the life table and its fit."""

import datetime
import tomllib

import numpy as np
from django.test import SimpleTestCase

from trappa.planning import lifetable
from trappa.planning import register_population as rp
from trappa.planning.engine.model import AGES

ON = datetime.date(2026, 3, 1)


def empty():
    return np.zeros((2, AGES))


class ProjectTest(SimpleTestCase):
    def test_it_gives_the_hand_numbers_for_a_tiny_population(self):
        start, death = empty(), empty()
        start[0, 0], start[0, 1] = 100, 50  # women aged 0 and 1
        death[0, 0], death[0, 1], death[0, 2] = 0.1, 0.2, 0.5
        pop = rp.project(start, death, births=21, years=3, sex_ratio=1.1)
        # Year 1: 100 × 0.9 = 90 reach 1, 50 × 0.8 = 40 reach 2; 21 births: 10 girls, 11 boys.
        self.assertAlmostEqual(pop[0, 0, 1], 10)
        self.assertAlmostEqual(pop[1, 0, 1], 11)
        self.assertAlmostEqual(pop[0, 1, 1], 90)
        self.assertAlmostEqual(pop[0, 2, 1], 40)
        # Year 2: 10 × 0.9 = 9, 90 × 0.8 = 72, 40 × 0.5 = 20.
        np.testing.assert_allclose(pop[0, :4, 2], [10, 9, 72, 20])
        np.testing.assert_allclose(pop[1, :2, 2], [11, 11])
        np.testing.assert_array_equal(pop[:, :, 0], start)

    def test_deaths_and_ageing_keep_everyone_else(self):
        rng = np.random.default_rng(3)
        start = rng.integers(0, 200, (2, AGES)).astype(float)
        death = rng.uniform(0, 0.3, (2, AGES))
        pop = rp.project(start, death, births=0, years=2, sex_ratio=1.05)
        self.assertAlmostEqual(pop[:, :, 1].sum(), start.sum() - (start * death).sum(), places=6)
        np.testing.assert_allclose(pop[:, 1 : AGES - 1, 1], (start * (1 - death))[:, : AGES - 2])

    def test_births_enter_at_age_zero_split_by_sex_less_newborn_deaths(self):
        pop = rp.project(empty(), empty(), births=20.5, years=2, sex_ratio=1.05, newborn_death=(0.1, 0.2))
        self.assertAlmostEqual(pop[0, 0, 1], 10 * 0.9)
        self.assertAlmostEqual(pop[1, 0, 1], 10.5 * 0.8)
        self.assertEqual(pop[:, 1:, 1].sum(), 0)

    def test_the_open_age_group_keeps_its_survivors(self):
        start, death = empty(), empty()
        start[1, AGES - 2], start[1, AGES - 1] = 10, 20  # men aged 104 and 105+
        death[1, AGES - 2], death[1, AGES - 1] = 0.5, 0.25
        pop = rp.project(start, death, births=0, years=2, sex_ratio=1.05)
        self.assertAlmostEqual(pop[1, AGES - 1, 1], 10 * 0.5 + 20 * 0.75)
        self.assertAlmostEqual(pop[1, AGES - 2, 1], 0)

    def test_a_death_factor_scales_each_years_deaths_per_sex(self):
        start, death = empty(), empty()
        start[:, 70] = 100
        death[:, 70:72] = 0.2
        pop = rp.project(
            start, death, births=0, years=3, sex_ratio=1.05, death_factor=np.array([[0.5, 0.5], [1.0, 0.0]])
        )
        np.testing.assert_allclose(pop[:, 71, 1], [90, 80])
        np.testing.assert_allclose(pop[:, 72, 2], [81, 80])

    def test_it_refuses_wrong_shapes_and_negative_births(self):
        with self.assertRaises(ValueError):
            rp.project(np.zeros((2, 10)), empty(), births=1, years=2, sex_ratio=1.05)
        with self.assertRaises(ValueError):
            rp.project(empty(), empty(), births=-1, years=2, sex_ratio=1.05)

    def test_the_yearly_death_probability_spans_two_exact_ages(self):
        q = np.linspace(0.01, 0.5, AGES + 1)
        death = rp.yearly_death(q)
        self.assertAlmostEqual(death[0], (q[0] + q[1]) / 2)
        self.assertAlmostEqual(death[AGES - 1], (q[AGES - 1] + q[AGES]) / 2)  # 105+ as the ages below
        self.assertAlmostEqual(rp.newborn_death(q), q[0] / 2)

    def test_births_are_the_young_childrens_yearly_average(self):
        start = empty()
        start[0, 0:3] = (10, 12, 14)
        start[1, 0:3] = (11, 13, 15)
        start[:, 3] = 99
        self.assertAlmostEqual(rp.births_per_year(start, 3), 25)


class AlternativesTest(SimpleTestCase):
    def test_the_alternatives_start_alike_and_part_as_their_life_expectancy_says(self):
        assumptions = rp.load_assumptions(ON)
        start = empty()
        start[:, 20:90] = 100
        pop = rp.project_alternatives(start, assumptions.death_probabilities(), 30, 2026, 2050, assumptions)
        self.assertEqual(pop.shape, (3, 2, AGES, 25))
        self.assertEqual(list(assumptions.alternatives), ["MMMM", "LLML", "HHMH"])
        for a in range(3):
            np.testing.assert_array_equal(pop[a, :, :, 0], start)
        old = pop[:, :, 80:, -1].sum(axis=(1, 2))
        self.assertLess(old[1], old[0])  # low life expectancy: fewer 80+
        self.assertLess(old[0], old[2])
        births_2050 = pop[:, :, 0, -1].sum(axis=1)
        self.assertLess(births_2050[1], births_2050[0])
        self.assertLess(births_2050[0], births_2050[2])

    def test_mortality_falls_from_the_base_year_only(self):
        assumptions = rp.load_assumptions(ON)
        start = empty()
        start[:, 85] = 1000
        q = assumptions.death_probabilities()
        pop = rp.project_alternatives(start, q, 0, 2020, 2022, assumptions)
        # 2020-2023 lie before the 2023 base year: no fall yet.
        np.testing.assert_allclose(pop[0, :, 86, 1], 1000 * (1 - rp.yearly_death(q)[:, 85]))


class LifeTableTest(SimpleTestCase):
    def setUp(self):
        with rp.FILE.open("rb") as f:
            self.law = tomllib.load(f)["mortality"]["values"][0]

    def test_the_stored_law_gives_the_published_life_expectancy_at_birth(self):
        for sex in ("female", "male"):
            p = self.law[sex]
            q = lifetable.death_probabilities(p["a"], p["b"], p["c"], p["q0"])
            self.assertAlmostEqual(lifetable.life_expectancy(q), p["e0"], delta=0.01)

    def test_the_stored_slope_is_the_fit_to_the_slope_years_figures(self):
        for sex in ("female", "male"):
            p = self.law[sex]
            a, b = lifetable.fit(p["e0_slope_year"], p["e70_slope_year"], 70, p["c"], p["q0_slope_year"])
            self.assertAlmostEqual(b, p["b"], places=4)
            q = lifetable.death_probabilities(a, b, p["c"], p["q0_slope_year"])
            self.assertAlmostEqual(lifetable.life_expectancy(q, 70), p["e70_slope_year"], delta=0.01)
            self.assertAlmostEqual(lifetable.fit_level(p["e0"], b, p["c"], p["q0"]), p["a"], delta=p["a"] * 1e-3)

    def test_death_probabilities_rise_with_age_and_end_at_one(self):
        q = lifetable.death_probabilities(6e-6, 0.112, 0.00027, 0.0023)
        self.assertTrue((np.diff(q[1:]) > 0).all())
        self.assertEqual(q[-1], 1.0)
        self.assertAlmostEqual(q[0], 0.0023)

    def test_a_life_table_with_certain_death_gives_the_hand_expectancy(self):
        q = np.array([0.5, 1.0])  # half die in the first year (a tenth of it lived), the rest in the second
        self.assertAlmostEqual(lifetable.life_expectancy(q), 0.5 + 0.1 * 0.5 + 0.5 * 0.5)
