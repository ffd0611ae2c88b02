"""A chart drawn as one inline, accessible <svg>: the steps in order; drawn charts remembered."""
from __future__ import annotations

import hashlib
import re

from markupsafe import Markup

from ..course.model import Chart
from .axes import _categories, _grid, settle_plot
from .bar import _bars, _label_room
from .data import _value_decimals, chart_data
from .heading import _heading
from .line import _lines
from .scatter import _scatter
from .stacked import _stacked
from .style import BAR_KINDS, FONT_FAMILY, HEIGHT, STYLE_ELEMENT, VALUE, WIDTH
from .summary import _words, chart_summary
from .svg import _Svg, _t
from .values import unit_style

def chart_key(chart: Chart, lang: str = "en", id_prefix: str | None = None,
              show_title: bool = True, width: int = WIDTH, height: int = HEIGHT) -> str:
    """Everything a drawn chart depends on but the drawing code, as text."""
    table = chart.table
    return repr((chart.type, chart.x, chart.y, chart.title, chart.unit, chart.trend, chart.bins, chart.error,
                 table.columns if table else None, table.rows if table else None, lang, id_prefix or chart.pos,
                 show_title, width, height))


def draw_chart_svg(chart: Chart, lang: str = "en", id_prefix: str | None = None,
                   show_title: bool = True, width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """The chart as one inline <svg> element: no script, no external reference.

    `id_prefix` makes the element ids unique in the page (default: a hash of the chart).
    `show_title` draws the chart's title at the top (it is in <title> either way); pass False
    where the page prints the title itself. `width` and `height` set the viewBox: text keeps
    its size in viewBox units, so a smaller box (SLIDE_SIZE) gives larger text when scaled
    to the same room. The element has no width or height: size it with CSS
    (`svg.lectern-chart { width: 100%; height: auto }`).
    """
    W, H = max(200, int(width)), max(150, int(height))
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix) if id_prefix else _prefix(chart, lang)
    data = chart_data(chart, lang)
    ustyle = unit_style(chart.unit, lang)
    svg = _Svg()
    nseries = max(1, len(data.series))
    plot_top = _heading(svg, chart, data, ustyle, W, show_title)
    bars = chart.type in ("bar", "grouped", "histogram")
    room = _label_room(data, chart.unit, lang, W, nseries) if bars else VALUE + 8.0
    plot = settle_plot(chart, data, ustyle, lang, room=room, W=W, H=H, plot_top=plot_top)
    _grid(svg, plot)
    if chart.type != "scatter":
        _categories(svg, plot)
    decimals = _value_decimals(data)
    if chart.type in ("line", "area"):
        _lines(svg, data, plot, nseries, chart.unit, lang, decimals, filled=chart.type == "area")
    elif chart.type == "scatter":
        _scatter(svg, data, plot, lang, chart.trend)
    elif chart.type == "stacked":
        _stacked(svg, data, plot, chart.unit, lang, decimals)
    else:
        _bars(svg, data, plot, chart.unit, lang, decimals, nseries, touching=chart.type == "histogram")
    return Markup(_svg_head(chart, lang, prefix, W, H) + "".join(svg.parts) + "</svg>")


def _svg_head(chart: Chart, lang: str, prefix: str, W: int, H: int) -> str:
    """The opening <svg> tag, its <title> and <desc> (the chart in words), and the style."""
    title = chart.title or _words(lang)[0 if chart.type in BAR_KINDS else 1]
    desc = chart_summary(chart, lang)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="lectern-chart '
            f'lectern-chart-{_t(chart.type)}" viewBox="0 0 {W} {H}" '
            f'role="img" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc" '
            f'font-family="{FONT_FAMILY}" direction="ltr" lang="{_t(lang)}">'
            f'<title id="{prefix}-title">{_t(title)}</title>'
            f'<desc id="{prefix}-desc">{_t(desc)}</desc>'
            f"{STYLE_ELEMENT}")


def _prefix(chart: Chart, lang: str) -> str:
    key = repr((chart.type, chart.x, chart.y, chart.title, chart.unit, lang,
                chart.table.columns if chart.table else None,
                chart.table.rows if chart.table else None, chart.pos))
    return "chart-" + hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:10]
