"""Stacked bars: each category's series one on another from the zero line, the total written on top."""
from __future__ import annotations

from .axes import Plot
from .data import ChartData
from .style import MAX_LABEL, SERIES_COLOURS, VALUE
from .svg import _n, _Svg, _t
from .values import _label, format_value


def _stacked(svg: _Svg, data: ChartData, plot: Plot, unit: str, lang: str, decimals: int) -> None:
    """A bar a category, its series stacked in order (a white hairline between parts, so they
    stay apart in grey print), each part's value in its tooltip, the total above the bar."""
    width = min(plot.band * 0.6, 110.0)
    tops = [0.0] * len(data.categories)
    for k, s in enumerate(data.series):
        c = k % len(SERIES_COLOURS)
        svg.add(f'<g class="lc-series lc-series-{k + 1}" data-series="{_t(s.name)}">')
        for i, v in enumerate(s.values):
            if not v:
                continue
            x = plot.x_of(i) - width / 2
            y0, y1 = plot.y_of(tops[i]), plot.y_of(tops[i] + v)
            tops[i] += v
            svg.add(f'<rect class="lc-bar lc-s{c + 1}" x="{_n(x)}" y="{_n(y1)}" width="{_n(width)}" '
                    f'height="{_n(y0 - y1)}" fill="{SERIES_COLOURS[c]}" stroke="#fff" stroke-width="1">'
                    f"<title>{_t(s.name)}, {_t(_label(data.categories[i], lang)[:MAX_LABEL])}: "
                    f"{_t(format_value(v, unit, lang, decimals))}</title></rect>")
        svg.add("</g>")
    svg.add('<g class="lc-totals">')
    for i, total in enumerate(tops):
        if total:
            svg.text(plot.x_of(i), plot.y_of(total) - 4, format_value(total, unit, lang, decimals), "lc-value",
                     VALUE, fill="#1a1a1a")
    svg.add("</g>")
