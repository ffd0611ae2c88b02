"""What a part of the guide is laid out again with, after a layout shows a fault, and which layout is best.

Three faults are repaired by changing the part's HTML and laying it out again (print.guide
`GuideRenderer.lay_out`, at most a few times):
- a footnote lost or off its call's page: the block ending the page is kept whole (NUDGE), or
  the call's block starts a new page (PUSH) (print.guidehtml);
- three hyphenated lines in a row: the middle line's word is kept whole (print.hyphenate);
- a page left short by a figure or key-points box that did not fit: the box is moved after
  the next paragraph (print.floats).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .floats import defer
from .guidehtml import with_nudges
from .hyphenate import Hyphenator


@dataclass
class Repairs:
    nudged: list[str] = field(default_factory=list)  # data-b numbers of blocks kept whole
    pushed: list[str] = field(default_factory=list)  # ... and of blocks that start a new page
    whole: list[tuple[str, str]] = field(default_factory=list)  # (block, word) kept whole
    deferred: list[str] = field(default_factory=list)  # data-f numbers of floats moved (once a layout)

    def html(self, html: str) -> str:
        """The part's HTML with the nudges and pushes applied (the other repairs change it in place)."""
        return with_nudges(html, self.nudged, self.pushed)

    def apply(self, html: str, check, ladders: list[tuple[str, str]], floats: list[str],
              hyphenator: Hyphenator) -> tuple[str, bool]:
        """The HTML for the next layout, and whether anything new was tried."""
        before = (len(set(self.nudged)), len(set(self.pushed)), len(self.whole), len(self.deferred))
        for place in check.lost + check.moved:
            target = place.page_end_block or place.call_block
            if target and target not in self.nudged:
                self.nudged.append(target)
            elif place.call_block and place.call_block not in self.pushed:
                self.pushed.append(place.call_block)  # nudged already: start the call's block anew
        for block, word in ladders:
            if (block, word) not in self.whole:
                self.whole.append((block, word))
                html = hyphenator.unhyphenate(html, block, word)
        for number in floats:
            moved = defer(html, number)
            if moved != html:
                self.deferred.append(number)
                html = moved
        after = (len(set(self.nudged)), len(set(self.pushed)), len(self.whole), len(self.deferred))
        return html, after != before


def score(check, ladders: int, short_pages: int) -> tuple[int, ...]:
    """Lower is better: notes lost, notes over the text, notes off their page, pages left
    short by a float, hyphen ladders."""
    return (len(check.lost), len(check.overlapping), len(check.moved), short_pages, ladders)
