"""Above the plot: the chart's title, the legend of its series and the title of a long unit."""
from __future__ import annotations

from ..course.model import Chart
from .data import ChartData
from .scale import ellipsize, text_width, wrap
from .style import LEGEND, LEGEND_ROWS, PAD, SERIES_COLOURS, TICK, TITLE
from .svg import _marker, _n, _Svg
from .values import UnitStyle


def _heading(svg: _Svg, chart: Chart, data: ChartData, ustyle: UnitStyle, W: float,
             show_title: bool) -> float:
    """Draws, top down, what stands above the plot; returns the plot's top."""
    top = PAD
    if show_title and chart.title:
        for line in wrap(chart.title, W - 2 * PAD, TITLE)[:2]:
            top += TITLE
            svg.text(W / 2, top, line, "lc-title", TITLE, fill="#1a1a1a", weight="bold")
            top += 4
        top += 6
    if len(data.series) > 1:
        top = _legend(svg, data, chart.type, top, W)
    if ustyle.axis_title:
        top += TICK
        svg.text(PAD, top, ellipsize(ustyle.axis_title, W / 2, TICK), "lc-tick lc-unit",
                 TICK, anchor="start")
        top += 4
    return top + TICK / 2 + 4


def _legend(svg: _Svg, data: ChartData, kind: str, top: float, W: float) -> float:
    """Swatch and name for every series, in centred rows (three at most: past that, "+N"
    stands for the rest, named in <desc>); returns the new top."""
    items = []
    for i, s in enumerate(data.series):
        name = ellipsize(s.name, W / 3, LEGEND)
        items.append((i, name, 22 + text_width(name, LEGEND) + 18))
    rows: list[list[tuple[int, str, float]]] = [[]]
    width = 0.0
    more = f"+{len(items)}"
    for n, it in enumerate(items):
        more = f"+{len(items) - n}"
        last_row = len(rows) == LEGEND_ROWS
        room = W - 2 * PAD - (text_width(more, LEGEND) + 10 if last_row else 0)
        if rows[-1] and width + it[2] > room:
            if last_row:
                break
            rows.append([])
            width = 0.0
        rows[-1].append(it)
        width += it[2]
    else:
        more = ""
    svg.add('<g class="lc-legend">')
    for row in rows:
        top += LEGEND + 2
        x = (W - sum(it[2] for it in row) + 18) / 2
        for i, name, w in row:
            k = i % len(SERIES_COLOURS)
            colour = SERIES_COLOURS[k]
            cy = top - LEGEND * 0.35
            if kind == "line":
                svg.add(f'<line class="lc-l{k + 1}" x1="{_n(x)}" y1="{_n(cy)}" x2="{_n(x + 16)}" '
                        f'y2="{_n(cy)}" stroke="{colour}" stroke-width="2.5"/>')
                svg.add(_marker(k, x + 8, cy, 3.5, colour))
            else:
                svg.add(f'<rect class="lc-s{k + 1}" x="{_n(x)}" y="{_n(cy - 6)}" width="14" '
                        f'height="12" fill="{colour}"/>')
            svg.text(x + 22, top, name, "lc-legend-label", LEGEND, anchor="start")
            x += w
        if more and row is rows[-1]:
            svg.text(x, top, more, "lc-legend-more", LEGEND, anchor="start")
        top += 4
    svg.add("</g>")
    return top + 4
