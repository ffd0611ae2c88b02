"""What a part of the guide is laid out again with, after a layout shows a fault, and which layout is best.

Three faults are repaired by changing the part's HTML and laying it out again (print.guide
`GuideRenderer.lay_out`, at most a few times):
- a footnote lost or off its call's page: the block ending the page is kept whole (NUDGE), or
  the call's block starts a new page (PUSH) (print.guidehtml);
- three hyphenated lines in a row: the middle line's word is kept whole (print.hyphenate);
- a page left short by a figure or key-points box that did not fit: the box is moved after
  the next paragraph, or past as many as fill the gap (print.floats).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .floats import Pushed, defer_to_fill
from .guidehtml import with_nudges
from .hyphenate import Hyphenator


@dataclass
class Repairs:
    nudged: list[str] = field(default_factory=list)  # data-b numbers of blocks kept whole
    pushed: list[str] = field(default_factory=list)  # ... and of blocks that start a new page
    whole: list[tuple[str, str]] = field(default_factory=list)  # (block, word) kept whole
    deferred: list[str] = field(default_factory=list)  # data-f numbers of floats moved (once a layout)
    changed: set[tuple[str, str]] = field(default_factory=set)  # what the last `apply` changed: ("data-b", n), ("data-f", n)

    def html(self, html: str) -> str:
        """The part's HTML with the nudges and pushes applied (the other repairs change it in place)."""
        return with_nudges(html, self.nudged, self.pushed)

    def apply(self, html: str, check, ladders: list[tuple[str, str]], floats: list[Pushed],
              hyphenator: Hyphenator, document) -> tuple[str, bool]:
        """The HTML for the next layout, and whether anything new was tried (`document`: the
        layout the faults were found on, which a float's move measures)."""
        self.changed = set()
        for place in check.lost + check.moved:
            target = place.page_end_block or place.call_block
            if target and target not in self.nudged:
                self.nudged.append(target)
                self.changed.add(("data-b", target))
            elif place.call_block and place.call_block not in self.pushed:
                self.pushed.append(place.call_block)  # nudged already: start the call's block anew
                self.changed.add(("data-b", place.call_block))
        for block, word in ladders:
            if (block, word) not in self.whole:
                self.whole.append((block, word))
                self.changed.add(("data-b", block))
                html = hyphenator.unhyphenate(html, block, word)
        for pushed in floats:
            moved = defer_to_fill(html, pushed, document)
            if moved != html:
                self.deferred.append(pushed.number)
                self.changed.add(("data-f", pushed.number))
                html = moved
        return html, bool(self.changed)


def first_page_of(document, elements: set[tuple[str, str]]) -> int | None:
    """The first page (0-based) on which any of these elements is laid out, or None."""
    if not elements:
        return None
    wanted = {}
    for attr, value in elements:
        wanted.setdefault(attr, set()).add(value)
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and any(element.get(attr) in values for attr, values in wanted.items()):
                return index
    return None


def score(check, ladders: int, short_pages: int) -> tuple[int, ...]:
    """Lower is better: notes lost, notes over the text, notes off their page, pages left
    short by a float, hyphen ladders."""
    return (len(check.lost), len(check.overlapping), len(check.moved), short_pages, ladders)
