"""Drawn charts kept in the user's cache folder, so a build after an edit draws only the charts it changed.

Drawing a chart is pure: its SVG follows from what `charts.chart_key` names and from the drawing
code. A build's process reads the charts earlier processes drew (one file per version of the
charts package's code), draws the others, and keeps what it drew when resolving is done
(state.keptmemo.write_all, called by the pipeline):

    svg = drawn(chart, lang, id_prefix=..., show_title=False, width=..., height=...)
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from markupsafe import Markup

from .. import charts
from ..charts import draw
from ..state.keptmemo import KeptMemo

KEPT_CHARTS = 4096  # drawn charts kept between processes (the most recently used)


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the charts package's code (a change to it draws every chart again)."""
    h = hashlib.blake2b(digest_size=10)
    for path in sorted(Path(charts.__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


_CHARTS = KeptMemo("charts", _code_digest, KEPT_CHARTS)


def drawn(chart, lang: str, **how) -> Markup:
    """The chart's SVG (`charts.draw_chart_svg`), remembered for the process and, from the user's
    cache folder, from an earlier process that drew it."""
    key = charts.chart_key(chart, lang, **how)
    return Markup(_CHARTS.get(key, lambda: draw.draw_chart_svg(chart, lang, **how)))
