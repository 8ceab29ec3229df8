"""Parameter set + population arrays -> the engine's Inputs and Scenario (no Django here)."""

import dataclasses

import numpy as np

from .engine import Inputs, Intervention, Scenario


def build_inputs(population, first_year, alternatives, ps, calibration):
    """population (A, M, 2, 106, Y); calibration (M, L) factors on the national rates."""
    keys = ps.level_keys
    return Inputs(
        levels=keys,
        years=np.arange(first_year, first_year + population.shape[-1]),
        population=population,
        alternative_weights=_alternative_weights(alternatives, ps),
        rates=ps.rates(),
        calibration=calibration,
        staff_years_per_user=tuple(level.staff_years_per_user.uncertain() for level in ps.levels),
        cost_per_staff_year=ps.cost_per_staff_year.uncertain(),
        other_cost_per_user=tuple(level.other_cost_per_user.uncertain() for level in ps.levels),
        groups=tuple((key, tuple(keys.index(k) for k in levels)) for key, _, levels in ps.groups),
    )


def build_scenario(name, chosen, ps, first_year):
    """chosen: {intervention key: {"mode": off|evidence|optimistic|custom, "uptake", "effect", ...}}."""
    interventions = tuple(
        _intervention(ps.interventions[key], choice, ps.level_keys, first_year)
        for key, choice in chosen.items()
        if choice.get("mode", "off") != "off" and key in ps.interventions
    )
    return Scenario(name, interventions)


def _alternative_weights(alternatives, ps):
    """Weights of the alternatives present in the file, rescaled; unknown ones get none."""
    weights = np.array([ps.alternative_weights.get(code, 0.0) for code in alternatives])
    if weights.sum() <= 0:
        weights = np.zeros(len(alternatives))
        weights[0] = 1.0
    return tuple(weights / weights.sum())


def chosen_values(spec, choice):
    """The effect and uptake Values a choice means (mode, and the user's overrides)."""
    mode = choice.get("mode", "evidence")
    effect = spec.optimistic_effect if mode == "optimistic" and spec.optimistic_effect else spec.effect
    effect_param = effect.uncertain()
    if mode == "custom" and choice.get("effect") is not None:
        # "What if the effect were exactly x": a planner's own effect has no interval.
        effect_param = effect_param.with_value(choice["effect"], choice["effect"], choice["effect"])
    uptake_param = spec.uptake.uncertain()
    if choice.get("uptake") is not None:
        uptake_param = uptake_param.with_value(choice["uptake"])
    return effect, effect_param, uptake_param


def _intervention(spec, choice, keys, first_year):
    _, effect, uptake = chosen_values(spec, choice)
    # Evidence, optimistic and custom effects share one random stream, so runs compare draw by draw.
    effect = dataclasses.replace(effect, name=f"intervention.{spec.key}.effect")
    start = first_year + 1
    return Intervention(
        name=spec.key,
        kind=spec.kind,
        levels=tuple(keys.index(k) for k in spec.levels),
        effect=effect,
        uptake=uptake,
        start_year=start,
        min_age=choice.get("min_age", spec.min_age),
        max_age=choice.get("max_age", spec.max_age),
        cohort_age=spec.cohort_age,
        full_year=start + spec.phase_in_years - 1 if spec.phase_in_years > 1 else None,
        substitute_level=keys.index(spec.substitute_level) if spec.substitute_level else None,
        substitute_share=spec.substitute_share.uncertain() if spec.substitute_share else None,
    )
