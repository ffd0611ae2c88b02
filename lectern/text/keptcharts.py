"""Drawn charts kept in the user's cache folder, so a build after an edit draws only the charts it changed.

Drawing a chart is pure: its SVG follows from what `charts.chart_key` names and from the drawing
code. A build's process reads the charts earlier processes drew (one file per version of the
charts package's code), draws the others, and keeps what it drew when resolving is done
(state.keptmemo.write_all, called by the pipeline):

    svg = drawn(chart, lang, id_prefix=..., show_title=False, width=..., height=...)
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from .. import charts
from ..charts import draw
from ..state.keptmemo import KeptMemo, code_stamp

KEPT_CHARTS = 4096  # drawn charts kept between processes (the most recently used)
# one file per version of the charts package's code: a change to it draws every chart again
_CHARTS = KeptMemo("charts", lambda: code_stamp(sorted(Path(charts.__file__).parent.glob("*.py"))), KEPT_CHARTS)


def drawn(chart, lang: str, **how) -> Markup:
    """The chart's SVG (`charts.draw_chart_svg`), remembered for the process and, from the user's
    cache folder, from an earlier process that drew it."""
    key = charts.chart_key(chart, lang, **how)
    return Markup(_CHARTS.get(key, lambda: draw.draw_chart_svg(chart, lang, **how)))
