"""Balanced headings, broken the same on screen and on paper: breaks chosen from the font's widths.

The deck balances its title and section headings (every line about as long as the others:
"Revolution and its / hidden history, 1898–1959", not "Revolution and its hidden / history,
1898–1959"). Chromium does that with `text-wrap: balance`, which WeasyPrint 70 does not know,
so the printed slide broke its title elsewhere. Here the breaks are chosen once, when the
template renders, and written into the heading as line breaks, so both draw the same lines:

    {{ s.title|balanced(68, 1000) }}   # font size and measure in CSS px, the theme's bold sans

The words are shaped with HarfBuzz (uharfbuzz: the shaper Chromium and Pango use) in the font
file the deck uses, with the deck's old-style proportional figures. The lines a greedy wrap
needs are kept, and the breaks that make the longest line shortest are taken, when that line
stays within MEASURE of the measure (room for the screen's letter-spacing and rounding). A heading that fits one
line, or a word too long for any line, is left to the browser's own wrap.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

MEASURE = 0.95  # of the measure: room for kerning and rounding, so a line never wraps again
FONT = "LinBiolinum_RB.otf"  # the theme's bold sans (deck.css: headings, font-weight 700)
TAG_RE = re.compile(r"(<[^>]*>)")


FEATURES = {"kern": True, "liga": True, "onum": True, "pnum": True}  # the deck's type: old-style, proportional figures


@lru_cache(maxsize=8)
def _font(path: str):
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(path))
    return hb.Font(face), face.upem


def _width(text: str, font: Path, size: float) -> float:
    """The advance of `text` set in `font` at `size` px, shaped as the browser shapes it."""
    import uharfbuzz as hb

    shaper, per_em = _font(str(font))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(shaper, buffer, FEATURES)
    return sum(p.x_advance for p in buffer.glyph_positions) * size / per_em


def breaks(words: list[str], size: float, measure: float, font: Path) -> list[int] | None:
    """After which words (indexes) to break so that the lines are balanced; None when the words
    fit one line, or when one of them is too long for a line."""
    widths = [_width(w, font, size) for w in words]
    space = _width(" ", font, size)
    if not words or max(widths) > measure * MEASURE:
        return None
    lines, used = 1, widths[0]
    for w in widths[1:]:
        if used + space + w > measure:
            lines, used = lines + 1, w
        else:
            used += space + w
    if lines == 1:
        return None
    longest, cuts = _balanced(widths, space, lines)
    return cuts if longest <= measure * MEASURE else None


def _balanced(widths: list[float], space: float, lines: int) -> tuple[float, list[int]]:
    """The longest line, and the breaks into `lines` lines that make it shortest (on a tie, the
    later breaks: longer first lines, as a greedy wrap at that width gives)."""
    n = len(widths)

    def span(i: int, j: int) -> float:  # words i..j-1 on one line
        return sum(widths[i:j]) + space * (j - i - 1)

    best: dict[tuple[int, int], tuple[float, list[int]]] = {}

    def solve(start: int, left: int) -> tuple[float, list[int]]:
        if left == 1:
            return span(start, n), []
        if (start, left) not in best:
            options = []
            for end in range(start + 1, n - left + 2):
                rest, cuts = solve(end, left - 1)
                options.append((max(span(start, end), rest), -end, [end - 1] + cuts))
            worst, _, cuts = min(options)
            best[(start, left)] = (worst, cuts)
        return best[(start, left)]

    return solve(0, lines)


def balanced_html(html: object, size: float, measure: float, font: Path | None) -> Markup:
    """A heading's HTML with a line break before each word that starts a line (the space before
    it kept, so its text still reads with a space there); as it is when it needs no break or
    `font` is None."""
    source = str(html if html is not None else "")
    tokens = TAG_RE.split(source)
    places = [(i, k) for i, t in enumerate(tokens) if not t.startswith("<") for k in range(len(t))]
    stream = "".join(t for t in tokens if not t.startswith("<"))
    words = list(re.finditer(r"\S+", stream))
    cuts = breaks([w.group() for w in words], size, measure, font) if font is not None else None
    if not cuts:
        return Markup(source)
    starts = sorted((places[words[c + 1].start()] for c in cuts), reverse=True)
    for i, k in starts:  # from the end, so earlier places stay where they are
        tokens[i] = tokens[i][:k] + "<br>" + tokens[i][k:]
    return Markup("".join(tokens))
