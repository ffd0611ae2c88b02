"""SVG drawing helpers all charts share: escaped text, short coordinates, text elements, markers."""
from __future__ import annotations

import re

from markupsafe import escape

from .style import MARKERS

_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _t(text: object) -> str:
    """Text for an SVG text node or attribute: escaped, without characters XML forbids."""
    return str(escape(_XML_BAD.sub("", str(text))))


def _n(v: float) -> str:
    """A coordinate, short."""
    r = round(v, 1)
    return str(int(r)) if r == int(r) else str(r)


class _Svg:
    """A list of SVG element strings being assembled."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, s: str) -> None:
        self.parts.append(s)

    def text(self, x: float, y: float, s: str, cls: str, size: float, anchor: str = "middle",
             fill: str = "#444", weight: str = "", rotate: float = 0,
             origin: tuple[float, float] | None = None) -> None:
        extra = f' font-weight="{weight}"' if weight else ""
        if rotate:
            ox, oy = origin or (x, y)
            extra += f' transform="rotate({_n(rotate)} {_n(ox)} {_n(oy)})"'
        self.add(f'<text class="{cls}" x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" '
                 f'text-anchor="{anchor}" fill="{fill}"{extra}>{_t(s)}</text>')


def _marker(k: int, x: float, y: float, r: float, colour: str) -> str:
    """A point marker; its shape varies by series so lines stay apart in grey print."""
    shape = MARKERS[k % len(MARKERS)]
    attrs = (f'class="lc-s{k + 1} lc-marker" fill="{colour}" stroke="#fff" '
             f'stroke-width="1.5"')
    if shape == "square":
        return (f'<rect {attrs} x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(2 * r)}" '
                f'height="{_n(2 * r)}"/>')
    if shape == "triangle":
        r *= 1.25
        pts = f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y + r * 0.8)} {_n(x - r)},{_n(y + r * 0.8)}"
        return f'<polygon {attrs} points="{pts}"/>'
    if shape == "diamond":
        r *= 1.3
        pts = f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y)} {_n(x)},{_n(y + r)} {_n(x - r)},{_n(y)}"
        return f'<polygon {attrs} points="{pts}"/>'
    return f'<circle {attrs} cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"/>'


def _error_bar(x: float, y_low: float, y_high: float, cap: float = 5.0) -> str:
    """An error bar: a dark vertical stroke from value − margin to value + margin, capped at both
    ends (dark on every series colour, so it reads in grey print too)."""
    return (f'<path class="lc-error" d="M{_n(x)} {_n(y_low)}V{_n(y_high)}M{_n(x - cap)} {_n(y_low)}H{_n(x + cap)}'
            f'M{_n(x - cap)} {_n(y_high)}H{_n(x + cap)}" stroke="#1a1a1a" stroke-width="1.5" fill="none"/>')
