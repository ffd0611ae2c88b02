"""Break points in unbroken runs of text that cross many inline elements, before layout.

`*a*a*a…` in Markdown is one word made of thousands of <em>s. WeasyPrint looks for a line break
in such a run by laying its pieces out again and again, in time growing with the square of their
number: a 40 kB run took ten minutes in the study guide, a 10 kB run seven in a handout. A run of
at least LONG characters spread over at least PIECES text pieces gets a zero-width break point
every EVERY characters, so it wraps at the measure like a long URL and lays out in linear time.
Runs inside one text piece are left to the `overflow-wrap` rules of the print style sheets.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

LONG, PIECES, EVERY = 25, 8, 12
ZWSP = "\u200b"
BREAKS = re.compile(r"[\s\u00ad\u200b]")  # characters where a line may already end
# elements whose text is laid out as is (code, formulas, drawings) or not at all
SKIP = frozenset("pre code kbd samp script style title head svg math".split())
INLINE = frozenset("a abbr b bdi bdo cite data dfn em i mark q s small span strong sub sup time u var del ins "
                   "wbr".split())


class _Piece:
    """One stretch of text in the tree: an element's `text` or its `tail`."""

    __slots__ = ("element", "attr")

    def __init__(self, element: ET.Element, attr: str):
        self.element, self.attr = element, attr

    def get(self) -> str:
        return getattr(self.element, self.attr) or ""

    def set(self, value: str) -> None:
        setattr(self.element, self.attr, value)


def break_long_runs(root: ET.Element) -> int:
    """Put break points into every long many-piece run under `root`; the number of runs broken."""
    broken = 0
    for flow in _flows(root):
        broken += _break_flow(flow)
    return broken


def _flows(root: ET.Element) -> list[list[_Piece | None]]:
    """The text pieces of the document in reading order, split wherever a block starts or ends
    (None marks such a boundary), skipping what is laid out as is."""
    flow: list[_Piece | None] = []

    def walk(element: ET.Element) -> None:
        name = _name(element)
        block = name not in INLINE
        if block:
            flow.append(None)
        if element.text:
            flow.append(_Piece(element, "text"))
        for child in element:
            if _name(child) in SKIP:
                flow.append(None)  # what is laid out as is ends a run
            else:
                walk(child)
            if child.tail:
                flow.append(_Piece(child, "tail"))
        if block:
            flow.append(None)

    if _name(root) not in SKIP:
        walk(root)
    return [flow]


def _name(element: ET.Element) -> str:
    """The local tag name; comments and processing instructions count as skipped."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else "script"


def _break_flow(flow: list[_Piece | None]) -> int:
    broken = 0
    run: list[tuple[_Piece, int]] = []  # the current run's pieces and where in each it starts
    length = 0

    def close() -> None:
        nonlocal broken, run, length
        if length >= LONG and len({id(p) for p, _ in run}) >= PIECES:
            _cut(run)
            broken += 1
        run, length = [], 0

    for piece in flow:
        if piece is None:
            close()
            continue
        text = piece.get()
        start = 0
        for match in BREAKS.finditer(text):
            if match.start() > start:
                run.append((piece, start))
                length += match.start() - start
            close()
            start = match.end()
        if start < len(text):
            run.append((piece, start))
            length += len(text) - start
    close()
    return broken


def _cut(run: list[tuple[_Piece, int]]) -> None:
    """A break point every EVERY characters of the run (inserted from the end of each piece,
    so that earlier positions stay valid)."""
    cuts: dict[int, tuple[_Piece, list[int]]] = {}
    count = 0
    for piece, start in run:
        text = piece.get()
        stop = BREAKS.search(text, start)
        end = stop.start() if stop else len(text)
        for pos in range(start, end):
            if count == EVERY:
                cuts.setdefault(id(piece), (piece, []))[1].append(pos)
                count = 0
            count += 1
    for piece, positions in cuts.values():
        text = piece.get()
        bounds = [0, *positions, len(text)]
        piece.set(ZWSP.join(text[a:b] for a, b in zip(bounds, bounds[1:])))
