"""The projection engine: NumPy only, never Django.

The Django layer turns data files, SSB projections and register aggregates into
plain arrays and dataclasses (`Inputs`, `Scenario`); the engine projects users,
staff-years and cost per care level with uncertainty draws (`project`).
"""

from .draws import Uncertain, draw, keyed_normal
from .model import Inputs, Intervention, Projection, Scenario, attribute, project, simulate_draws

__all__ = [
    "Inputs",
    "Intervention",
    "Projection",
    "Scenario",
    "Uncertain",
    "attribute",
    "draw",
    "keyed_normal",
    "project",
    "simulate_draws",
]
