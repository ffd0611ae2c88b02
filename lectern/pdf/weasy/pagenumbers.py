"""A document's margin boxes numbered as pages of a larger one: page counter shifted, `pages` given.

A long print document (a lecture's handout) is laid out a few pages at a time, each piece its
own WeasyPrint document, and the pieces are joined into one PDF (print/printparts.py). Each
piece's margins must print the page numbers they would have in the whole: `counter(page)` the
page's place in the whole document, `counter(pages)` the whole's count. WeasyPrint 70 makes a
page's margin boxes (`layout.page.make_margin_boxes`) from the page's counter state once the
document is paginated; while a `PageNumbers` is set, this hands it a copy of that state with the
`page` counter moved on by `before` and `pages` set to `total`. Nothing else changes: the page
boxes, their counters inside the content, the layout.

    with pagenumbers.numbered(PageNumbers(before=12, total=40)):
        document = ...render(...)        # its first page's margins print "13 / 40"

    pagenumbers.install()     # once a process (pdf/engine.py does it at import)
    pagenumbers.INSTALLED     # False when this WeasyPrint's code is not the one this was made for
"""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass

from weasyprint import layout as wlayout
from weasyprint.layout import page as wpage

INSTALLED = False
ORIGINAL = wpage.make_margin_boxes
_local = threading.local()  # .numbers: the PageNumbers of the document being laid out


@dataclass(frozen=True)
class PageNumbers:
    """Where a document's pages sit in a larger one: `before` pages come first, `total` in all."""

    before: int
    total: int


def make_margin_boxes(context, page, state):
    """WeasyPrint's `make_margin_boxes`, with the page counters of the larger document (if set)."""
    numbers = getattr(_local, "numbers", None)
    if numbers is not None:
        quote_depth, counter_values, counter_scopes, page_groups = state
        values = dict(counter_values)
        values["page"] = [*values.get("page", [0])[:-1], values.get("page", [0])[-1] + numbers.before]
        values["pages"] = [numbers.total]
        state = (quote_depth, values, counter_scopes, page_groups)
    return ORIGINAL(context, page, state)


@contextlib.contextmanager
def numbered(numbers: PageNumbers | None):
    """For as long as the block runs, documents laid out in this thread are numbered by `numbers`."""
    previous = getattr(_local, "numbers", None)
    _local.numbers = numbers
    try:
        yield
    finally:
        _local.numbers = previous


def install() -> bool:
    """Use `make_margin_boxes` where WeasyPrint (and resume.py) call it (idempotent); whether it is in use."""
    global INSTALLED
    if INSTALLED:
        return True
    if wpage.make_margin_boxes is not ORIGINAL or getattr(wlayout, "make_margin_boxes", None) is not ORIGINAL:
        return False
    wpage.make_margin_boxes = make_margin_boxes
    wlayout.make_margin_boxes = make_margin_boxes
    INSTALLED = True
    return True


def weasyprint_own():
    """For tests: WeasyPrint's own margin boxes, for as long as the block runs."""
    from .rewrite import swapped
    return swapped(ORIGINAL, (wpage, "make_margin_boxes"), (wlayout, "make_margin_boxes"))
