"""Balances CSS columns by galloping then halving, not 1 px at a time: the same height, found in far fewer layouts.

WeasyPrint 70 (`layout.column.columns_layout`) balances columns by starting at the average
column height and, when it cannot measure the space lost at a column's end (items kept whole,
`break-inside: avoid`), raising the height by 1 px and laying every column out again until the
content fits: about a hundred layouts for the deck's two-column timeline, 3 s for one slide on
paper. Here, while that space stays unknown, the heights tried are start + 1, + 2, + 4, ... until
one fits, then halved down to the first whole step that fits: the height WeasyPrint's own steps
stop at (the content fits at any greater height), in about 2 log2 of the steps. Once the lost
space is measured, WeasyPrint's own steps take over from the last height that did not fit.

    colsearch.install()     # once a process, before layout (pdf/engine.py does it at import)
    colsearch.INSTALLED     # False when this WeasyPrint's code did not match: nothing changed
"""
from __future__ import annotations

from math import inf

from weasyprint.layout import column

from .rewrite import rewritten, swapped

INSTALLED = False
ORIGINAL = column.columns_layout  # for tests: WeasyPrint's own

START = "        page_is_empty = stop_rendering = balancing = False\n"
STEP = """            if balancing:
                if column_skip_stack is None:
                    # We rendered the whole content, stop
                    break

                # Increase the column heights and render them again
                add_height = 1 if lost_space == inf else lost_space
                height += add_height
"""
SEARCH = """            if balancing:
                search = search or _HeightSearch(height, max_height)
                height = search.next(height, column_skip_stack is None, lost_space)
                if height is None:
                    height = search.found
                    break
"""


class HeightSearch:
    """The column heights to try: `next` gives the one after `height` (which `fits` or not), or
    None when `found` is the first fitting height of WeasyPrint's own steps.

    WeasyPrint steps up by the space lost at a column's end (1 px when unknown), which is
    usually the same at every step; the heights it would try are then start + k × step, and
    the first k that fits is found by galloping (1, 2, 4, ... steps) then halving. Should the
    lost space change (WeasyPrint keeps its smallest), WeasyPrint's own steps take over, from
    the greatest height known not to fit.
    """

    def __init__(self, start: float, max_height: float):
        self.start = start
        self.max_height = max_height
        self.step: float | None = None
        self.low = 0  # steps known not to fit (the start did not: balancing begins after it)
        self.high: int | None = None  # steps known to fit
        self.own = False
        self.found = start

    def next(self, height: float, fits: bool, lost_space: float) -> float | None:
        step = 1 if lost_space == inf else lost_space
        if self.step is None:
            self.step = step
        if not self.own and step != self.step:
            self.own = True
            height = max(self.start + self.low * self.step, height) if not fits else height
        if self.own:
            if fits:
                self.found = height
                return None
            return height + step
        k = round((height - self.start) / self.step)
        if fits:
            self.high = k
        else:
            self.low = max(self.low, k)
        if self.high is not None and self.high - self.low <= 1:
            self.found = self.start + self.high * self.step
            return None
        if self.high is not None:
            return self.start + (self.low + self.high) // 2 * self.step
        last = (self.max_height - self.start) / self.step  # WeasyPrint stops past its maximum height
        k = min(max(1, 2 * self.low), last // 1)  # gallop: 1, 2, 4, ... steps, not past the maximum
        if k <= self.low:  # the last step below the maximum did not fit: one more, and WeasyPrint stops
            k = self.low + 1
        return self.start + k * self.step


def install() -> bool:
    """Use the searching balance for columns (idempotent); whether it is in use."""
    global INSTALLED
    if not INSTALLED:
        changed = rewritten(ORIGINAL, {START: START + "        search = None\n", STEP: SEARCH},
                            {"_HeightSearch": HeightSearch})
        if changed is None:
            return False
        column.columns_layout = changed
        _rebind(changed)
        INSTALLED = True
    return True


def _rebind(function) -> None:
    """WeasyPrint's block layout imported `columns_layout` by name: point it at `function`."""
    from weasyprint.layout import block
    if getattr(block, "columns_layout", None) is not None:
        block.columns_layout = function


def weasyprint_own():
    """For tests: WeasyPrint's own steps, for as long as the block runs."""
    from weasyprint.layout import block
    return swapped(ORIGINAL, (column, "columns_layout"), (block, "columns_layout"))
