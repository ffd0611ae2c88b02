"""The scatter chart: a marker at each (x, y), x on a value scale with round ticks, and a trend line if asked."""
from __future__ import annotations

from .axes import Plot
from .data import ChartData
from .scale import _tick_decimals, nice_ticks
from .style import SERIES_COLOURS, TICK
from .svg import _error_bar, _marker, _n, _Svg, _t
from .values import format_number


def x_scale(plot: Plot, xs: list[float]) -> list[float]:
    """Round x ticks covering the values; the plot's x scale set to run over them."""
    ticks = nice_ticks(min(xs), max(xs)) if xs else [0.0, 1.0]
    plot.x_lo, plot.span, plot.inset = ticks[0], (ticks[-1] - ticks[0]) or 1.0, 0.0
    return ticks


def _scatter(svg: _Svg, data: ChartData, plot: Plot, lang: str, trend: bool) -> None:
    xs = [float(c) for c in data.categories]
    ticks = x_scale(plot, xs)
    decimals = _tick_decimals(ticks) if ticks else 0
    svg.add('<g class="lc-x-ticks">')
    for t in ticks:
        x = plot.x_at(t)
        svg.add(f'<line class="lc-grid" x1="{_n(x)}" y1="{_n(plot.top)}" x2="{_n(x)}" y2="{_n(plot.bottom)}" '
                f'stroke="#eeeeee" stroke-width="1"/>')
        svg.text(x, plot.bottom + 6 + TICK, format_number(t, lang, decimals), "lc-cat", TICK)
    svg.add("</g>")
    radius = 4.5 if len(xs) <= 30 else 3.5 if len(xs) <= 100 else 2.5  # fewer points, larger marks
    for k, s in enumerate(data.series):
        c = k % len(SERIES_COLOURS)
        svg.add(f'<g class="lc-series lc-series-{k + 1}" data-series="{_t(s.name)}">')
        points = [(x, y) for x, y in zip(xs, s.values) if y is not None]
        if trend:
            line = least_squares(points)
            if line:
                slope, intercept = line
                x0, x1 = ticks[0], ticks[-1]
                svg.add(f'<line class="lc-trend lc-l{c + 1}" x1="{_n(plot.x_at(x0))}" y1="{_n(plot.y_of(slope * x0 + intercept))}" '
                        f'x2="{_n(plot.x_at(x1))}" y2="{_n(plot.y_of(slope * x1 + intercept))}" '
                        f'stroke="{SERIES_COLOURS[c]}" stroke-width="2" stroke-dasharray="6 4"/>')
        for x, y, e in zip(xs, s.values, s.errors or [None] * len(xs)):
            if y is not None and e:
                svg.add(_error_bar(plot.x_at(x), plot.y_of(y - e), plot.y_of(y + e)))
        for x, y in points:
            svg.add(_marker(c, plot.x_at(x), plot.y_of(y), radius, SERIES_COLOURS[c]))
        svg.add("</g>")


def least_squares(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """The slope and intercept of the least-squares line; None for fewer than two distinct x."""
    n = len(points)
    if n < 2:
        return None
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return slope, my - slope * mx


def r_squared(points: list[tuple[float, float]]) -> float | None:
    line = least_squares(points)
    if line is None:
        return None
    my = sum(y for _, y in points) / len(points)
    total = sum((y - my) ** 2 for _, y in points)
    if total == 0:
        return None
    slope, intercept = line
    return 1 - sum((y - (slope * x + intercept)) ** 2 for x, y in points) / total
