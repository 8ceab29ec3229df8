"""Server-rendered SVG charts, the one chart module: no JavaScript, a title and description
for screen readers, one palette, and every chart has a table alternative on the page (the
description says so). Used by the catalogue's effort staircase, the planning results and the
planning sensitivity's tornado."""

import math

from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 900, 320
LEFT, RIGHT, TOP, BOTTOM = 70, 340, 20, 40
BACKGROUND = "#ffffff"
# One palette for every chart. Okabe and Ito's colours for colour-vision deficiencies, those of them
# with at least 3:1 contrast against the white background (WCAG 1.4.11, graphical objects): blue,
# vermillion, bluish green, reddish purple, black. Their orange, sky blue and yellow fall short
# (2.3:1, 2.3:1, 1.3:1), so three of Paul Tol's "muted" colours, also made for colour-blind readers
# (indigo, wine, olive), complete eight. tests/lib/test_charts.py checks every contrast.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#332288", "#882255", "#999933")
MIN_CONTRAST = 3.0


def colour(n):
    """The n-th series' colour; the palette repeats after eight series (the legend still tells them apart)."""
    return PALETTE[n % len(PALETTE)]


def contrast_ratio(foreground, background=BACKGROUND):
    """WCAG 2 contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(hex_colour):
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _scale(years, low, high):
    span_x = max(years[-1] - years[0], 1)
    span_y = (high - low) or 1.0

    def x(year):
        return LEFT + (year - years[0]) / span_x * (WIDTH - LEFT - RIGHT)

    def y(value):
        return TOP + (high - value) / span_y * (HEIGHT - TOP - BOTTOM)

    return x, y


def nice_ticks(low, high, count=5):
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


def _frame(chart_id, title, description, years, low, high, x, y, year_label_at=None):
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
        format_html('<rect x="0" y="0" width="{}" height="{}" fill="{}"/>', WIDTH, HEIGHT, BACKGROUND),
    ]
    for tick in nice_ticks(low, high):
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
        # Every fifth year, and the ends unless a fifth year is close by (the labels would overlap);
        # every year where a chart has room for each (bars).
        near_fifth = any(abs(year - y) < 3 for y in years if y % 5 == 0 and y != year)
        if year_label_at or year % 5 == 0 or (year in (years[0], years[-1]) and not near_fifth):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#1a1a1a">{}</text>',
                    _n((year_label_at or x)(year)),
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
    """An axis label in the page's language: "1,6 M" in Norwegian, "1.6 M" in English."""
    text = f"{value / 1_000_000:g} M" if abs(value) >= 1_000_000 else f"{value:g}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def _legend(index, label, fill):
    top = TOP + 18 * index
    return format_html(
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12" fill="#1a1a1a">{}</text>',
        WIDTH - RIGHT + 10,
        top,
        fill,
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
        parts.append(
            format_html(
                '<polygon points="{}" fill="{}" stroke="{}" stroke-width="0.5"/>',
                _points(points),
                colour(n),
                BACKGROUND,
            )
        )
        parts.append(_legend(n, label, colour(n)))
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
        stroke = colour(n)
        band = [(x(yr), y(v)) for yr, v in zip(years, high, strict=True)]
        band += [(x(yr), y(v)) for yr, v in reversed(list(zip(years, low, strict=True)))]
        parts.append(format_html('<polygon points="{}" fill="{}" fill-opacity="0.25"/>', _points(band), stroke))
        line = [(x(yr), y(v)) for yr, v in zip(years, mean, strict=True)]
        parts.append(
            format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>', _points(line), stroke)
        )
        parts.append(_legend(n, label, stroke))
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 - every piece is escaped by format_html


def bars(chart_id, title, description, years, series):
    """Grouped bars, one group per year and one bar per series; series = [(label, [value per year])], values >= 0."""
    high = max([v for _, values in series for v in values] + [1.0]) * 1.05
    group = (WIDTH - LEFT - RIGHT) / max(len(years), 1)
    width = group * 0.8 / max(len(series), 1)

    def year_x(year):
        return LEFT + years.index(year) * group + group / 2

    x, y = _scale(years, 0.0, high)
    parts = _frame(chart_id, title, description, years, 0.0, high, x, y, year_label_at=year_x)
    for n, (label, values) in enumerate(series):
        for i, value in enumerate(values):
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _n(LEFT + i * group + group * 0.1 + n * width),
                    _n(y(value)),
                    _n(width),
                    _n(y(0.0) - y(value)),
                    colour(n),
                )
            )
        parts.append(_legend(n, label, colour(n)))
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
    for tick in nice_ticks(low_all, high_all):
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
        for value, fill in ((low, colour(0)), (high, colour(1))):
            left, width = min(x(value), x(central)), abs(x(value) - x(central))
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _n(left),
                    top,
                    _n(max(width, 1.0)),
                    row_height - 8,
                    fill,
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
    for n, (name, fill) in enumerate(((low_name, colour(0)), (high_name, colour(1)))):
        left = label_width + 220 * n
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="15" font-size="12" fill="#1a1a1a">{}</text>',
                left,
                fill,
                left + 18,
                name,
            )
        )
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 - every piece is escaped by format_html
