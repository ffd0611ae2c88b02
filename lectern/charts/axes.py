"""The plot area: its y ticks and its x category labels, settled together, then drawn."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..course.model import Chart
from .data import ChartData
from .scale import _tick_decimals, ellipsize, nice_ticks, text_width, wrap
from .style import BAR_KINDS, MAX_LABEL, PAD, TICK
from .svg import _n, _Svg
from .values import UnitStyle, _label, format_number, is_number


@dataclass
class _Cat:
    """How the category labels on the x axis are laid out."""

    lines: list[list[str]]  # per label, its lines (horizontal mode)
    rotate: bool
    show: list[bool]  # which labels are drawn (thinned when crowded)
    height: float


def _layout_categories(labels: list[str], band: float, max_height: float) -> _Cat:
    """Wrap labels on up to 3 lines in their band; else rotate 45°; thin them when crowded."""
    n = len(labels)
    line_h = TICK * 1.2
    wrapped = [wrap(lb, band - 6, TICK) for lb in labels]
    fits = all(len(ls) <= 3 and all(text_width(x, TICK) <= band - 4 for x in ls)
               for ls in wrapped)
    if fits:
        rows = max((len(ls) for ls in wrapped), default=1)
        return _Cat(wrapped, False, [True] * n, rows * line_h + 6)
    # Rotated by 45°: neighbours sit band·sin45 apart, perpendicular to the text; a label
    # may take two lines where that leaves room, and crowded labels are thinned.
    gap = band * math.sin(math.pi / 4)
    every = max(1, math.ceil(line_h / gap))
    show = [i % every == 0 for i in range(n)]
    nlines = 2 if gap * every >= 2 * line_h + 2 else 1
    room = (max_height - TICK - 8) / math.sin(math.pi / 4)
    longest = max((text_width(lb, TICK) for lb in labels), default=0)
    if longest <= room:
        nlines = 1
    lines = []
    for lb in labels:
        ls = wrap(lb, max(room, longest / nlines + TICK), TICK) if nlines > 1 else [lb]
        if len(ls) > nlines:
            ls = ls[: nlines - 1] + [" ".join(ls[nlines - 1:])]
        lines.append([ellipsize(x, room, TICK) for x in ls])
    widest = max((text_width(x, TICK) for ls in lines for x in ls), default=0)
    height = min(max_height, (widest + TICK * 1.2 * nlines) * math.sin(math.pi / 4) + 10)
    return _Cat(lines, True, show, height)


@dataclass
class Plot:
    """Where the data goes in the viewBox, the y ticks and the x categories; x_of and y_of place
    a category and a value in it."""

    top: float
    bottom: float
    left: float
    right: float
    band: float  # the width of one category
    ticks: list[float]
    tick_labels: list[str]
    labels: list[str]  # the category labels, cut to MAX_LABEL (in full in <desc>)
    cat: _Cat
    xs: list[float] | None = None  # where the categories are numbers on a linear x scale
    x_lo: float = field(init=False, default=0.0)
    span: float = field(init=False, default=1.0)
    inset: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        if self.xs is not None:
            self.x_lo, x_hi = min(self.xs), max(self.xs)
            self.span = (x_hi - self.x_lo) or 1.0
            self.inset = min(24.0, (self.right - self.left) * 0.04)

    def y_of(self, v: float) -> float:
        t0, t1 = self.ticks[0], self.ticks[-1]
        return self.bottom - (v - t0) / (t1 - t0) * (self.bottom - self.top)

    def x_at(self, value: float) -> float:
        """Where a value sits on a linear x scale (a scatter's)."""
        return self.left + self.inset + (value - self.x_lo) / self.span * (self.right - self.left - 2 * self.inset)

    def x_of(self, i: int) -> float:
        """Where the i-th category sits: the middle of its band, or its value on a spaced axis."""
        if self.xs is None:
            return self.left + self.band * (i + 0.5)
        return self.x_at(self.xs[i])


def settle_plot(chart: Chart, data: ChartData, ustyle: UnitStyle, lang: str, *, room: float,
                W: float, H: float, plot_top: float) -> Plot:
    """The y scale and x layout, settled in two passes: the room value labels need in data
    units depends on the plot's height, which depends on the category labels below it.

    `room` is what the tallest bar (the deepest) needs above (below) it for its value label.
    """
    numbers = data.numbers or [0.0]
    lo, hi = min(numbers), max(numbers)
    labelled = chart.type in BAR_KINDS or (
        chart.type in ("line", "area") and len(data.series) == 1 and len(data.categories) <= 16)
    labels = [_label(c, lang)[:MAX_LABEL] for c in data.categories]  # in full in <desc>
    numeric_x = chart.type in ("line", "area", "scatter") and len(labels) > 1 and all(
        is_number(c) for c in data.categories)
    max_label_h = (H - plot_top) * 0.4
    plot_h = max(1.0, H - plot_top - 70)
    for _pass in range(2):
        ticks = _y_ticks(lo, hi, plot_h, room, labelled)
        tick_labels = _tick_labels(ticks, lang, ustyle)
        plot_left = PAD + max(text_width(t, TICK) for t in tick_labels) + 8
        plot_left, plot_right, band, cat = _x_layout("line" if chart.type in ("area", "scatter") else chart.type,
                                                     labels, numeric_x, plot_left, W,
                                                     max_label_h)
        plot_bottom = H - PAD - cat.height
        if abs((plot_bottom - plot_top) - plot_h) < 2:
            break
        plot_h = max(1.0, plot_bottom - plot_top)
    xs = [float(c) for c in data.categories] if numeric_x else None
    return Plot(plot_top, plot_bottom, plot_left, plot_right, band, ticks, tick_labels, labels,
                cat, xs)


def _y_ticks(lo: float, hi: float, plot_h: float, room: float, labelled: bool) -> list[float]:
    """Round ticks covering the values; where values are `labelled`, a step more at the top
    (bottom) while the highest (lowest) value leaves less than `room` to the plot's edge."""
    ticks = nice_ticks(lo, hi)
    for _ in range(6 if labelled else 0):
        step = ticks[1] - ticks[0]
        span = ticks[-1] - ticks[0]
        if hi > 0 and (ticks[-1] - hi) / span * plot_h < room:
            ticks.append(round(ticks[-1] + step, 10))
        elif lo < 0 and (lo - ticks[0]) / span * plot_h < room:
            ticks.insert(0, round(ticks[0] - step, 10))
        else:
            break
    return ticks


def _tick_labels(ticks: list[float], lang: str, ustyle: UnitStyle) -> list[str]:
    """The y ticks written with the unit around them: '$2bn', '−$1bn'."""
    tick_dec = _tick_decimals(ticks)
    tick_labels = [format_number(t, lang, tick_dec) for t in ticks]
    return [ustyle.prefix + t + ustyle.suffix if not t.startswith("\u2212")
            else "\u2212" + ustyle.prefix + t[1:] + ustyle.suffix for t in tick_labels]


def _x_layout(kind: str, labels: list[str], numeric_x: bool, plot_left: float, W: float,
              max_label_h: float) -> tuple[float, float, float, _Cat]:
    """The x axis across: the plot's left and right edges, the band of each category, and how
    its labels are laid out (a rotated first label may push the left edge right)."""
    ncat = max(1, len(labels))
    plot_right = W - PAD
    if kind == "line":
        # points sit on the band centres (or a linear scale): half the last label hangs out
        end_room = min(60.0, max((text_width(lb, TICK) for lb in labels[-1:]), default=0) / 2)
        plot_right = W - PAD - max(0.0, end_room - 10)
    band = (plot_right - plot_left) / ncat
    if numeric_x:
        return plot_left, plot_right, band, _Cat([[lb] for lb in labels], False,
                                                 [True] * len(labels), TICK * 1.2 + 6)
    cat = _layout_categories(labels, band, max_label_h)
    if cat.rotate and labels:
        # a rotated first label reaches left of its band: make room on the left
        first = max(text_width(x, TICK) for x in cat.lines[0]) * math.cos(math.pi / 4)
        need = PAD + first - band / 2 + TICK
        if need > plot_left:
            plot_left = need
            band = (plot_right - plot_left) / ncat
            cat = _layout_categories(labels, band, max_label_h)
    return plot_left, plot_right, band, cat


def _grid(svg: _Svg, plot: Plot) -> None:
    """A grid line and label at every y tick; the zero line darker, as the axis."""
    svg.add('<g class="lc-grid-lines">')
    for t, lbl in zip(plot.ticks, plot.tick_labels):
        y = plot.y_of(t)
        cls = "lc-axis" if t == 0 else "lc-grid"
        colour = "#555" if t == 0 else "#d9d9d9"
        svg.add(f'<line class="{cls}" x1="{_n(plot.left)}" y1="{_n(y)}" x2="{_n(plot.right)}" '
                f'y2="{_n(y)}" stroke="{colour}" stroke-width="1"/>')
        svg.text(plot.left - 6, y + TICK * 0.35, lbl, "lc-tick", TICK, anchor="end")
    svg.add("</g>")


def _categories(svg: _Svg, plot: Plot) -> None:
    """The category labels under the plot: numbers spaced out on a linear scale, else each
    under its band, wrapped or rotated as laid out."""
    svg.add('<g class="lc-categories">')
    label_top = plot.bottom + 6
    cat = plot.cat
    if plot.xs is not None:
        last_right = -math.inf
        for i, lb in enumerate(plot.labels):
            w = text_width(lb, TICK)
            x = plot.x_of(i)
            if x - w / 2 < last_right + 6:
                continue
            last_right = x + w / 2
            svg.text(x, label_top + TICK, lb, "lc-cat", TICK)
    else:
        for i, lines in enumerate(cat.lines):
            if not cat.show[i]:
                continue
            x = plot.x_of(i)
            if cat.rotate:
                for k, line in enumerate(lines):
                    # lines stacked across the slant, the block centred on the tick
                    dy = (k - (len(lines) - 1) / 2) * TICK * 1.15 + TICK * 0.35
                    svg.text(x + TICK * 0.3, label_top + TICK * 0.6 + dy, line, "lc-cat",
                             TICK, anchor="end",
                             rotate=-45, origin=(x + TICK * 0.3, label_top + TICK * 0.6))
            else:
                for k, line in enumerate(lines):
                    svg.text(x, label_top + TICK + k * TICK * 1.2, line, "lc-cat", TICK)
    svg.add("</g>")
