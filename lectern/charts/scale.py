"""Sizes before drawing: estimated text widths, wrapping and cutting to fit, round tick values."""
from __future__ import annotations

import functools
import math

from .values import _decimals_of

_NARROW = set("iljtfrI.,:;'!|()[] ")
_WIDE = set("mwMW@%")


@functools.lru_cache(maxsize=4096)
def _em(ch: str) -> float:
    """The width of one character, in em, of a typical sans font (rounded up)."""
    if ch in _NARROW:
        return 0.32
    if ch in _WIDE:
        return 0.88
    if ch.isupper():
        return 0.68
    if ch.isdigit():
        return 0.57
    if ord(ch) > 0x2e80:  # CJK and the like: full width
        return 1.0
    return 0.56


_SLACK = 1.04


def text_width(text: str, size: float) -> float:
    """An estimate, on the generous side, of the width of `text` set at `size` in a sans font."""
    return sum(map(_em, text)) * size * _SLACK


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` (a long word stays whole)."""
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    space = text_width(" ", size)
    for word in text.split():
        w = text_width(word, size)
        if current and used + space + w > width:
            lines.append(" ".join(current))
            current, used = [word], w
        else:
            used += (space if current else 0.0) + w
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines or [""]


def ellipsize(text: str, width: float, size: float) -> str:
    """`text` cut with "…" to fit `width` (reads no further than the width allows)."""
    room = width - text_width("…", size)
    used = 0.0
    cut = None
    for n, ch in enumerate(text):
        used += _em(ch) * size * _SLACK
        if cut is None and used > room:
            cut = n
        if used > width:
            return text[:cut].rstrip() + "…"
    return text


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (0 always included), steps of 1, 2, 2.5 or 5 × 10^k."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo < 1e-12:
        hi = lo + 1
    raw = (hi - lo) / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw - 1e-12)
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    v = start
    while v < hi - 1e-9 * step:
        ticks.append(v)
        v += step
    ticks.append(v)
    return [round(t, 10) for t in ticks]


def _tick_decimals(ticks: list[float]) -> int:
    return min(3, max(_decimals_of(t) for t in ticks))
