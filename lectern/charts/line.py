"""The line chart's data: a line per series, a marker at each value, values on a lone line."""
from __future__ import annotations

from .axes import Plot
from .data import ChartData
from .style import SERIES_COLOURS, VALUE
from .svg import _error_bar, _marker, _n, _Svg, _t
from .values import format_value


def _lines(svg: _Svg, data: ChartData, plot: Plot, nseries: int, unit: str, lang: str,
           decimals: int, filled: bool = False) -> None:
    """One line per series with a marker at every value; a missing value breaks the line.

    A single line of up to 16 points also gets its values written: above each point, below
    a dip.
    """
    x_of, y_of = plot.x_of, plot.y_of
    xs = [x_of(i) for i in range(len(data.categories))]
    spacing = min((abs(b - a) for a, b in zip(xs, xs[1:])), default=40.0)
    radius = max(2.0, min(4.5, spacing / 5))  # markers shrink where points crowd
    if filled:  # an area chart: each series' area down to zero, translucent, under every line
        _areas(svg, data, plot)
    for k, s in enumerate(data.series):
        c = k % len(SERIES_COLOURS)
        colour = SERIES_COLOURS[c]
        svg.add(f'<g class="lc-series lc-series-{k + 1}" data-series="{_t(s.name)}">')
        path: list[str] = []
        pen = False
        for i, v in enumerate(s.values):
            if v is None:
                pen = False
                continue
            path.append(f"{'L' if pen else 'M'}{_n(x_of(i))} {_n(y_of(v))}")
            pen = True
        if path:
            svg.add(f'<path class="lc-line lc-l{c + 1}" d="{" ".join(path)}" fill="none" '
                    f'stroke="{colour}" stroke-width="2.5" stroke-linejoin="round" '
                    f'stroke-linecap="round"/>')
        for i, v in enumerate(s.values):
            e = s.errors[i] if s.errors else None
            if v is not None and e:
                svg.add(_error_bar(x_of(i), y_of(v - e), y_of(v + e)))
        for i, v in enumerate(s.values):
            if v is not None:
                svg.add(_marker(c, x_of(i), y_of(v), radius, colour))
        if nseries == 1 and len(s.values) <= 16:
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                before = s.values[i - 1] if i > 0 else None
                after = s.values[i + 1] if i + 1 < len(s.values) else None
                dip = (before is None or before > v) and (after is None or after > v) and (
                    before is not None or after is not None)
                y = y_of(v) + (VALUE + 8 if dip else -9)
                svg.text(x_of(i), y, format_value(v, unit, lang, decimals), "lc-value", VALUE,
                         fill="#1a1a1a")
        svg.add("</g>")


def _areas(svg: _Svg, data: ChartData, plot: Plot) -> None:
    """Each series' run of values filled down to the zero line (or the axis' foot), a quarter
    opaque, so overlapping areas stay readable; a missing value ends a run."""
    base = plot.y_of(min(max(0.0, plot.ticks[0]), plot.ticks[-1]))
    for k, s in enumerate(data.series):
        c = k % len(SERIES_COLOURS)
        runs, run = [], []
        for i, v in enumerate(s.values):
            if v is None:
                runs, run = runs + ([run] if run else []), []
            else:
                run.append((plot.x_of(i), plot.y_of(v)))
        runs += [run] if run else []
        for run in runs:
            points = [(run[0][0], base)] + run + [(run[-1][0], base)]
            svg.add(f'<polygon class="lc-area lc-s{c + 1}" points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}" '
                    f'fill="{SERIES_COLOURS[c]}" fill-opacity="0.25" stroke="none"/>')
