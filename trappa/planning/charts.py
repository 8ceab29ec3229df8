"""Server-rendered SVG charts: no JavaScript, a title and description for screen
readers, and every chart has a table alternative on the page."""

import math

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 900, 320
LEFT, RIGHT, TOP, BOTTOM = 70, 340, 20, 40
# Colours distinguishable in grey and for common colour-vision deficiencies (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def _scale(years, low, high):
    span_x = max(years[-1] - years[0], 1)
    span_y = (high - low) or 1.0

    def x(year):
        return LEFT + (year - years[0]) / span_x * (WIDTH - LEFT - RIGHT)

    def y(value):
        return TOP + (high - value) / span_y * (HEIGHT - TOP - BOTTOM)

    return x, y


def _nice_ticks(low, high, count=5):
    span = (high - low) or 1.0
    raw = span / count
    magnitude = 10.0 ** math.floor(math.log10(raw))  # below 1 too: a span of 0.3 users gets steps of 0.06
    step = max(round(raw / magnitude), 1) * magnitude
    start = (low // step) * step
    ticks = []
    value = start
    while value <= high + 1e-9:
        if value >= low - 1e-9:
            ticks.append(value)
        value += step
    return ticks


def _frame(chart_id, title, description, years, low, high, x, y):
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}-title {}-desc" class="chart">',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
        ),
        format_html(
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>', chart_id, title, chart_id, description
        ),
        format_html('<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>', WIDTH, HEIGHT),
    ]
    for tick in _nice_ticks(low, high):
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d0d0"/>'
                '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1a1a1a">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _n(y(tick)),
                _n(y(tick)),
                LEFT - 6,
                _n(y(tick) + 4),
                _label(tick),
            )
        )
    for year in years:
        # Every fifth year, and the ends unless a fifth year is close by (the labels would overlap).
        near_fifth = any(abs(year - y) < 3 for y in years if y % 5 == 0 and y != year)
        if year % 5 == 0 or (year in (years[0], years[-1]) and not near_fifth):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#1a1a1a">{}</text>',
                    _n(x(year)),
                    HEIGHT - BOTTOM + 18,
                    year,
                )
            )
    if low < 0 < high:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#1a1a1a"/>', LEFT, WIDTH - RIGHT, _n(y(0)), _n(y(0))
            )
        )
    return parts


def _n(value):
    """Coordinates with one decimal, formatted before format_html escapes them."""
    return f"{value:.1f}"


def _label(value):
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:g} M"
    return f"{value:g}"


def _legend(index, label, colour):
    top = TOP + 18 * index
    return format_html(
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12" fill="#1a1a1a">{}</text>',
        WIDTH - RIGHT + 10,
        top,
        colour,
        WIDTH - RIGHT + 28,
        top + 11,
        label,
    )


def stacked(chart_id, title, description, years, series):
    """Stacked areas; series = [(label, [value per year])], lowest step first."""
    totals = [sum(values[i] for _, values in series) for i in range(len(years))]
    high = max(totals + [1.0]) * 1.05
    x, y = _scale(years, 0.0, high)
    parts = _frame(chart_id, title, description, years, 0.0, high, x, y)
    below = [0.0] * len(years)
    for n, (label, values) in enumerate(series):
        above = [b + v for b, v in zip(below, values, strict=True)]
        points = [(x(yr), y(v)) for yr, v in zip(years, above, strict=True)]
        points += [(x(yr), y(v)) for yr, v in reversed(list(zip(years, below, strict=True)))]
        colour = PALETTE[n % len(PALETTE)]
        parts.append(
            format_html('<polygon points="{}" fill="{}" stroke="#ffffff" stroke-width="0.5"/>', _points(points), colour)
        )
        parts.append(_legend(n, label, colour))
        below = above
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 - every piece is escaped by format_html


def bands(chart_id, title, description, years, lines):
    """Lines with shaded intervals; lines = [(label, mean, low, high)]."""
    values = [v for _, mean, low, high in lines for v in (*mean, *low, *high)] or [0.0]
    low_all, high_all = min(values + [0.0]), max(values + [0.0])
    pad = (high_all - low_all) * 0.05 or 1.0
    x, y = _scale(years, low_all - pad, high_all + pad)
    parts = _frame(chart_id, title, description, years, low_all - pad, high_all + pad, x, y)
    for n, (label, mean, low, high) in enumerate(lines):
        colour = PALETTE[n % len(PALETTE)]
        band = [(x(yr), y(v)) for yr, v in zip(years, high, strict=True)]
        band += [(x(yr), y(v)) for yr, v in reversed(list(zip(years, low, strict=True)))]
        parts.append(format_html('<polygon points="{}" fill="{}" fill-opacity="0.25"/>', _points(band), colour))
        line = [(x(yr), y(v)) for yr, v in zip(years, mean, strict=True)]
        parts.append(
            format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>', _points(line), colour)
        )
        parts.append(_legend(n, label, colour))
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 - every piece is escaped by format_html


def _points(points):
    return escape(" ".join(f"{px:.1f},{py:.1f}" for px, py in points))


def tornado(chart_id, title, description, central, bars, low_name, high_name):
    """Horizontal bars from the result at a parameter's low end to its high end, widest first.

    bars = [(label, value at the low end, value at the high end)]; a vertical line marks the central
    estimate. The low end's half is drawn in one colour, the high end's in another (named in the legend).
    """
    row_height, label_width, right = 26, 330, 40
    height = TOP + BOTTOM + row_height * max(len(bars), 1)
    values = [central, 0.0] + [v for _, low, high in bars for v in (low, high)]
    low_all, high_all = min(values), max(values)
    pad = (high_all - low_all) * 0.05 or 1.0
    low_all, high_all = low_all - pad, high_all + pad
    span = high_all - low_all

    def x(value):
        return label_width + (value - low_all) / span * (WIDTH - label_width - right)

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}-title {}-desc" class="chart">',
            WIDTH,
            height,
            chart_id,
            chart_id,
        ),
        format_html(
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>', chart_id, title, chart_id, description
        ),
        format_html('<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>', WIDTH, height),
    ]
    for tick in _nice_ticks(low_all, high_all):
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d0d0"/>'
                '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#1a1a1a">{}</text>',
                _n(x(tick)),
                _n(x(tick)),
                TOP,
                height - BOTTOM,
                _n(x(tick)),
                height - BOTTOM + 16,
                _label(tick),
            )
        )
    for n, (label, low, high) in enumerate(bars):
        top = TOP + row_height * n + 4
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1a1a1a">{}</text>',
                label_width - 8,
                top + 13,
                label if len(label) <= 48 else label[:47] + "…",
            )
        )
        for value, colour in ((low, PALETTE[0]), (high, PALETTE[1])):
            left, width = min(x(value), x(central)), abs(x(value) - x(central))
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _n(left),
                    top,
                    _n(max(width, 1.0)),
                    row_height - 8,
                    colour,
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#1a1a1a" stroke-width="2"/>',
            _n(x(central)),
            _n(x(central)),
            TOP - 6,
            height - BOTTOM,
        )
    )
    for n, (name, colour) in enumerate(((low_name, PALETTE[0]), (high_name, PALETTE[1]))):
        left = label_width + 220 * n
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="15" font-size="12" fill="#1a1a1a">{}</text>',
                left,
                colour,
                left + 18,
                name,
            )
        )
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 - every piece is escaped by format_html
