"""The bar chart's data: grouped bars from the zero line, each with its value written at its end."""
from __future__ import annotations

from .axes import Plot
from .data import ChartData, _value_decimals
from .scale import text_width
from .style import MAX_LABEL, SERIES_COLOURS, TICK, VALUE
from .svg import _error_bar, _n, _Svg, _t
from .values import _label, format_value


def _label_room(data: ChartData, unit: str, lang: str, W: float, nseries: int) -> float:
    """The room above the tallest bar (below the deepest) for its value label: a label turned
    upright on a narrow bar needs its whole width."""
    room = VALUE + 8.0
    numbers = data.numbers or [0.0]
    dec = _value_decimals(data)
    widest = max((text_width(format_value(v, unit, lang, dec), VALUE) for v in numbers),
                 default=0)
    bar_w = (W - 90) / max(1, len(data.categories)) * 0.72 / nseries
    if widest > bar_w + 4:
        room = widest * min(1.0, max(8.0, min(VALUE, bar_w)) / VALUE) + 8
    return room


def _bars(svg: _Svg, data: ChartData, plot: Plot, unit: str, lang: str, decimals: int,
          nseries: int, touching: bool = False) -> None:
    """Grouped bars from the zero line, each with its value written above (or below) it.

    A label that would leave the plot (a crowded chart squeezed flat) is left out rather than
    drawn over the axis labels; the value stays in the bar's tooltip and the chart's <desc>.
    """
    band, x_of, y_of = plot.band, plot.x_of, plot.y_of
    plot_top, plot_bottom = plot.top, plot.bottom
    group = band if touching else min(band * (0.72 if nseries > 1 else 0.6), 110.0 * nseries ** 0.8)  # a histogram's bins touch
    width = group / nseries
    gap = min(2.0, width * 0.1) if nseries > 1 else 0.0
    zero = y_of(0.0)
    # one font size for every value label: as large as fits the narrowest bar
    labels = [[format_value(v, unit, lang, decimals) if v is not None else None
               for v in s.values] for s in data.series]
    widest = max((text_width(lb, 1) for ls in labels for lb in ls if lb), default=1)
    size = max(8.0, min(VALUE, (width + gap * 2 + 2) / widest))
    vertical = widest * size > width + 4  # too narrow even at the smallest size: turn them
    if vertical:
        size = max(8.0, min(VALUE, width + gap))
    legible = width + gap >= 7  # below that, labels would pile up: the values stay in <desc>
    for k, s in enumerate(data.series):
        c = k % len(SERIES_COLOURS)
        colour = SERIES_COLOURS[c]
        svg.add(f'<g class="lc-series lc-series-{k + 1}" data-series="{_t(s.name)}">')
        for i, v in enumerate(s.values):
            if v is None:
                continue
            x = x_of(i) - group / 2 + k * width + gap / 2
            y = y_of(v)
            top, bottom = round(min(y, zero), 1), round(max(y, zero), 1)
            h = round(bottom - top, 1)
            svg.add(f'<rect class="lc-bar lc-s{c + 1}" x="{_n(x)}" y="{_n(top)}" '
                    f'width="{_n(width - gap)}" height="{_n(h)}" fill="{colour}">'
                    f"<title>{_t(s.name)}, {_t(_label(data.categories[i], lang)[:MAX_LABEL])}: "
                    f"{_t(labels[k][i])}</title></rect>")
            cx = x + (width - gap) / 2
            e = s.errors[i] if s.errors else None
            if e:
                svg.add(_error_bar(cx, y_of(v - e), y_of(v + e), min(5.0, (width - gap) / 3)))
                if v >= 0:  # the value's label clears the bar's end
                    top = min(top, round(y_of(v + e), 1))
                else:
                    h = max(h, round(y_of(v - e) - top, 1))
            extent = text_width(labels[k][i], size) + 4 if vertical else size + 4
            if not legible or (v >= 0 and top - extent < plot_top - TICK / 2 - 2) or (
                    v < 0 and bottom + extent > plot_bottom + 1):
                continue
            if vertical:
                if v >= 0:
                    svg.text(cx + size * 0.35, top - 4, labels[k][i], "lc-value", size,
                             anchor="start", fill="#1a1a1a", rotate=-90)
                else:
                    svg.text(cx + size * 0.35, top + h + 4, labels[k][i], "lc-value", size,
                             anchor="end", fill="#1a1a1a", rotate=-90)
            elif v >= 0:
                svg.text(cx, top - 4, labels[k][i], "lc-value", size, fill="#1a1a1a")
            else:
                svg.text(cx, top + h + size + 2, labels[k][i], "lc-value", size, fill="#1a1a1a")
        svg.add("</g>")
