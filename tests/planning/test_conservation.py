"""Every substitution moves people exactly once (issue #15): a hand case and a property test.

The property test compares the engine with a brute-force reference written
here from the rules in docs/planning-model.md ("Several interventions on one
level"): per cell, the product of the interventions' factors; the change of
each level split among the interventions by Shapley values computed over every
subset; each substituting intervention then moves its own avoided users once.
"""

import itertools
import math

import numpy as np
from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappa.planning.engine import Inputs, Intervention, Scenario, Uncertain, attribute, project, simulate_draws
from trappa.planning.engine.model import AGES

from .helpers import small_municipality

HOME, INST = 0, 1
LEVELS = ("practical_help", "home_nursing", "short_term", "long_term")
MARGIN = 1e-9


def substituting(name, kind, effect, uptake=1.0, share=1.0, min_age=80):
    return Intervention(
        name,
        kind,
        levels=(INST,),
        effect=Uncertain(f"{name}.effect", effect),
        uptake=Uncertain(f"{name}.uptake", uptake),
        start_year=2025,
        min_age=min_age,
        substitute_level=HOME,
        substitute_share=Uncertain(f"{name}.share", share),
    )


class DoubleCountingTest(SimpleTestCase):
    """Preventive home visits and caregiver support both keep people out of long-term care."""

    def scenario(self):
        return Scenario(
            "both",
            (substituting("visits", "relative_risk", 0.8), substituting("support", "age_shift", 1.0, uptake=0.5)),
        )

    def test_home_nursing_gains_the_avoided_institution_users_once(self):
        result = project(small_municipality(), self.scenario(), draws=0)
        diff = result.central["users"]["difference"][0]
        self.assertLess(diff[INST, -1], -1.0)
        # Everyone kept out of long-term care receives home nursing: no more, no fewer.
        self.assertAlmostEqual(diff[HOME, -1], -diff[INST, -1], delta=MARGIN)
        self.assertAlmostEqual(diff[-1, -1], 0.0, delta=MARGIN)

    def test_each_intervention_moves_only_its_own_share(self):
        shares = attribute(small_municipality(), self.scenario())
        diff = project(small_municipality(), self.scenario(), draws=0).central["users"]["difference"][0]
        together = shares["visits"] + shares["support"]
        np.testing.assert_allclose(together[0], diff[:2], atol=MARGIN)
        for name in ("visits", "support"):
            self.assertAlmostEqual(shares[name][0, HOME, -1], -shares[name][0, INST, -1], delta=MARGIN)

    def test_every_draw_conserves_the_users(self):
        visits = Intervention(
            "visits",
            "relative_risk",
            levels=(INST,),
            effect=Uncertain("rr", 0.85, 0.75, 0.95, distribution="lognormal"),
            uptake=Uncertain("u", 0.5, 0.4, 0.6, 0.9, minimum=0, maximum=1),
            start_year=2025,
            min_age=80,
            substitute_level=HOME,
            substitute_share=Uncertain("share", 1.0),
        )
        support = Intervention(
            "support",
            "age_shift",
            levels=(INST,),
            effect=Uncertain("years", 0.5, 0.0, 1.0, 0.9),
            uptake=Uncertain("u2", 0.3, 0.2, 0.4, 0.9, minimum=0, maximum=1),
            start_year=2025,
            min_age=80,
            substitute_level=HOME,
            substitute_share=Uncertain("share2", 1.0),
        )
        every = simulate_draws(small_municipality(alternatives=3), Scenario("s", (visits, support)), draws=500)
        diff = every["users"]["difference"][:, 0]  # (D, R, Y)
        np.testing.assert_allclose(diff[:, HOME], -diff[:, INST], atol=1e-9)

    def test_a_substitute_among_its_own_levels_is_refused(self):
        with self.assertRaises(ValueError):
            Intervention(
                "loop",
                "relative_risk",
                levels=(INST,),
                effect=Uncertain("e", 0.9),
                uptake=Uncertain("u", 1.0),
                start_year=2025,
                substitute_level=INST,
                substitute_share=Uncertain("s", 1.0),
            )


# --- the property test ------------------------------------------------------------------------


@st.composite
def cases(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_mun = draw(st.integers(1, 2))
    years = np.arange(2025, 2025 + draw(st.integers(1, 4)))
    pop = np.zeros((1, n_mun, 2, AGES, len(years)))
    pop[0, :, :, 60:, :] = rng.integers(0, 40, size=(n_mun, 2, AGES - 60, len(years)))
    rates = rng.uniform(0, 0.3, size=(2, AGES, len(LEVELS))) * (rng.random((2, AGES, len(LEVELS))) > 0.2)
    calibration = rng.uniform(0.5, 1.5, size=(n_mun, len(LEVELS)))
    interventions = []
    for k in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(("relative_risk", "age_shift")))
        levels = tuple(sorted(draw(st.sets(st.integers(0, len(LEVELS) - 1), min_size=1, max_size=3))))
        if kind == "relative_risk":
            effect = draw(st.floats(0.2, 1.6))
        else:
            effect = draw(st.floats(-1.0, 3.0))
        others = [level for level in range(len(LEVELS)) if level not in levels]
        target = draw(st.sampled_from([None, *others])) if others else None
        min_age = draw(st.integers(60, 100))
        first, last = int(years[0]), int(years[-1])
        start = draw(st.integers(first, last))
        interventions.append(
            Intervention(
                f"iv{k}",
                kind,
                levels=levels,
                effect=Uncertain(f"iv{k}.effect", effect),
                uptake=Uncertain(f"iv{k}.uptake", draw(st.floats(0.0, 1.0))),
                start_year=start,
                min_age=min_age,
                max_age=draw(st.integers(min_age, AGES - 1)),
                cohort_age=draw(st.sampled_from([None, min_age])),
                full_year=draw(st.sampled_from([None, start + 2])),
                substitute_level=target,
                substitute_share=Uncertain(f"iv{k}.share", draw(st.floats(0.0, 1.0))) if target is not None else None,
            )
        )
    exact = Uncertain("x", 1.0)
    inputs = Inputs(
        levels=LEVELS,
        years=years,
        population=pop,
        alternative_weights=(1.0,),
        rates=rates,
        calibration=calibration,
        staff_years_per_user=(exact,) * len(LEVELS),
        cost_per_staff_year=Uncertain("cost", 800000.0),
        other_cost_per_user=(exact,) * len(LEVELS),
    )
    return inputs, Scenario("random", tuple(interventions))


def cell_factor(iv, inputs, level):
    """(S, G, Y) factor on the rates of one level, 1 where the intervention does not act."""
    reach = iv.reach(inputs.years)[None]  # (1, G, Y)
    uptake, effect = iv.uptake.value, iv.effect.value
    if level not in iv.levels:
        return np.ones((2, AGES, len(inputs.years)))
    if iv.kind == "relative_risk":
        return np.broadcast_to(1 + uptake * (effect - 1) * reach, (2, AGES, len(inputs.years)))
    profile = inputs.rates[:, :, level]
    ages = np.arange(AGES)
    mix = np.zeros((2, AGES))
    for shift in range(math.floor(effect), math.ceil(effect) + 1):
        weight = max(0.0, 1 - abs(effect - shift))
        younger = profile[:, np.clip(ages - shift, 0, AGES - 1)]
        ratio = np.divide(younger, profile, out=np.ones_like(profile), where=profile > 0)
        mix += weight * ratio
    return 1 + uptake * reach * (mix[:, :, None] - 1)


def reference(inputs, scenario):
    """(baseline, scenario, shares) users (M, L, Y) by brute force: Shapley over every subset."""
    pop = inputs.population[0]  # (M, S, G, Y)
    rated = inputs.rates[None] * inputs.calibration[:, None, None, :]  # (M, S, G, L)
    baseline = np.einsum("msgy,msgl->mly", pop, rated)
    ivs = scenario.interventions
    n = len(ivs)
    factors = [np.stack([cell_factor(iv, inputs, lv) for lv in range(len(LEVELS))], axis=-1) for iv in ivs]

    def value(members):
        product = np.ones_like(factors[0]) if factors else 1.0
        for k in members:
            product = product * factors[k]
        return np.einsum("msgy,msgl,sgyl->mly", pop, rated, product - 1)

    shares = []
    for k in range(n):
        others = [j for j in range(n) if j != k]
        phi = np.zeros_like(baseline)
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for subset in itertools.combinations(others, size):
                phi += weight * (value((*subset, k)) - value(subset))
        shares.append(phi)
    users = baseline + (value(range(n)) if n else 0.0)
    for k, iv in enumerate(ivs):
        if iv.substitute_level is None:
            continue
        moved = -iv.substitute_share.value * sum(shares[k][:, level] for level in iv.levels)
        moved = np.maximum(moved, -users[:, iv.substitute_level])
        users[:, iv.substitute_level] += moved
        shares[k][:, iv.substitute_level] += moved
    return baseline, users, shares


class ConservationPropertyTest(SimpleTestCase):
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cases())
    def test_substitutions_move_people_once_for_any_combination_of_scenarios(self, case):
        inputs, scenario = case
        result = project(inputs, scenario, draws=0).central["users"]
        n_levels = len(LEVELS)
        baseline, expected, shares = reference(inputs, scenario)
        scale = max(1.0, np.abs(baseline).max())
        # The engine equals the brute-force rules.
        np.testing.assert_allclose(result["baseline"][:, :n_levels], baseline, atol=1e-9 * scale)
        np.testing.assert_allclose(result["scenario"][:, :n_levels], expected, atol=1e-9 * scale)
        # No level is negative.
        self.assertGreaterEqual(result["scenario"].min(), -1e-9 * scale)
        # The difference is the same computed either way: scenario minus a separate baseline run,
        # and the sum of what each intervention changed (its Shapley shares plus what it moved).
        alone = project(inputs, Scenario("baseline"), draws=0).central["users"]["baseline"]
        np.testing.assert_array_equal(alone, result["baseline"])
        np.testing.assert_allclose(result["difference"], result["scenario"] - alone, atol=1e-9 * scale)
        found = attribute(inputs, scenario)
        total = sum(found.values()) if found else np.zeros_like(baseline)
        np.testing.assert_allclose(total, result["difference"][:, :n_levels], atol=1e-9 * scale)
        for k, iv in enumerate(scenario.interventions):
            np.testing.assert_allclose(found[iv.name], shares[k], atol=1e-9 * scale)
            if iv.substitute_level is None:
                continue
            # Users leaving the intervention's levels arrive at its substitute or are avoided:
            # the move is at most the share of its own avoided users, never more.
            own = -sum(found[iv.name][:, level] for level in iv.levels)
            moved = found[iv.name][:, iv.substitute_level]
            share = iv.substitute_share.value
            self.assertTrue(np.all(np.abs(moved) <= np.abs(share * own) + 1e-9 * scale))
            avoided = own > 0
            np.testing.assert_allclose(moved[avoided], share * own[avoided], atol=1e-9 * scale)

    @settings(max_examples=60, deadline=None)
    @given(cases())
    def test_zero_effects_equal_the_baseline_exactly(self, case):
        inputs, scenario = case
        neutral = Scenario(
            "zero",
            tuple(
                Intervention(
                    iv.name,
                    iv.kind,
                    levels=iv.levels,
                    effect=Uncertain(iv.effect.name, 1.0 if iv.kind == "relative_risk" else 0.0),
                    uptake=iv.uptake,
                    start_year=iv.start_year,
                    min_age=iv.min_age,
                    max_age=iv.max_age,
                    substitute_level=iv.substitute_level,
                    substitute_share=iv.substitute_share,
                )
                for iv in scenario.interventions
            ),
        )
        result = project(inputs, neutral, draws=0).central
        for measure in ("users", "staff_years", "cost"):
            np.testing.assert_array_equal(result[measure]["scenario"], result[measure]["baseline"])
