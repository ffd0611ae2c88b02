"""Drawn charts kept in the user's cache folder, so a build after an edit draws only the charts it changed.

Drawing a chart is pure: its SVG follows from what `charts.chart_key` names and from the drawing
code. A build's process reads the charts earlier processes drew (one file per version of the
charts package's code), draws the others, and keeps what it drew when resolving is done:

    svg = drawn(chart, lang, id_prefix=..., show_title=False, width=..., height=...)
    keep_drawn()     # after resolving: the charts drawn in this process, written once
"""
from __future__ import annotations

import hashlib
import pickle
import threading
from pathlib import Path

from markupsafe import Markup

from .. import charts
from ..charts import draw
from ..state import usercache

KEPT_CHARTS = 4096  # drawn charts kept between processes (the most recently used)
_LOCK = threading.Lock()
_KEPT: dict[str, str] = {}  # chart key -> SVG, read from the cache folder once a process
_STATE = {"loaded": False, "new": False}


def drawn(chart, lang: str, **how) -> Markup:
    """The chart's SVG (`charts.draw_chart_svg`), remembered for the process and, from the user's
    cache folder, from an earlier process that drew it."""
    key = charts.chart_key(chart, lang, **how)
    with _LOCK:
        _load()
        svg = _KEPT.pop(key, None)
        if svg is not None:
            _KEPT[key] = svg  # most recently used last
            return Markup(svg)
    made = draw.draw_chart_svg(chart, lang, **how)  # (_KEPT is this process's memo too: not chart_svg's as well)
    with _LOCK:
        _KEPT[key] = str(made)
        _STATE["new"] = True
    return made


def keep_drawn() -> None:
    """Write the kept charts (the newest KEPT_CHARTS) if this process drew any."""
    with _LOCK:
        if not _STATE["new"]:
            return
        while len(_KEPT) > KEPT_CHARTS:
            _KEPT.pop(next(iter(_KEPT)))
        data = pickle.dumps(dict(_KEPT), protocol=pickle.HIGHEST_PROTOCOL)
        if usercache.keep(_file(), data):
            _STATE["new"] = False
            usercache.prune(_file().parent, "charts-*.pkl", 1)  # those of other versions of the code


def _load() -> None:
    if _STATE["loaded"]:
        return
    _STATE["loaded"] = True
    try:
        kept = pickle.loads(_file().read_bytes())  # this user's own file (state/usercache)
    except Exception:  # none yet, or unreadable: drawn again and kept anew
        return
    if isinstance(kept, dict):
        for key, svg in kept.items():
            if isinstance(key, str) and isinstance(svg, str):
                _KEPT.setdefault(key, svg)


def _file() -> Path:
    return usercache.folder() / f"charts-{_code_digest()}.pkl"


_DIGEST: list[str] = []


def _code_digest() -> str:
    """A digest of the charts package's code (a change to it draws every chart again)."""
    if not _DIGEST:
        h = hashlib.blake2b(digest_size=10)
        for path in sorted(Path(charts.__file__).parent.glob("*.py")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        _DIGEST.append(h.hexdigest())
    return _DIGEST[0]
