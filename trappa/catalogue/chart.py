"""The effort staircase as a server-rendered SVG bar chart: kroner per step per
year, one group of bars per year. Geometry only; the template draws it, and a
table next to it carries the same numbers in text."""

from dataclasses import dataclass

# Colour-blind-safe (Okabe–Ito) colours, each with 3:1 contrast on white.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 320, 90, 40, 20


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


def bars(effort, years):
    """Bars for {step: {year: Amount}}, and the y-axis scale (max kroner)."""
    steps = list(effort)
    top = max([effort[s][y].cost for s in steps for y in years if y in effort[s]] + [1])
    group = (WIDTH - LEFT - 10) / max(len(years), 1)
    width = group * 0.8 / max(len(steps), 1)
    result = []
    for yi, year in enumerate(years):
        for si, step in enumerate(steps):
            cost = effort[step][year].cost if year in effort[step] else 0
            height = (HEIGHT - BOTTOM - TOP) * cost / top
            x = LEFT + yi * group + group * 0.1 + si * width
            result.append(Bar(x, HEIGHT - BOTTOM - height, width, height, COLOURS[si % len(COLOURS)], f"{step} {year}"))
    return result, top


def year_labels(years):
    group = (WIDTH - LEFT - 10) / max(len(years), 1)
    return [(LEFT + i * group + group / 2, year) for i, year in enumerate(years)]
