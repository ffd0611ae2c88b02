"""Watches a guide part's pages as they are laid out and stops at the first float that left a page short.

A float (figure, key-points box) that does not fit at a page's foot starts the next page and
leaves the page before it short; print/floats moves it down past the text that fills the gap
and the part is laid out again. Found after a whole layout, each such repair laid out the rest
of the part again. Watched as pages are made, the layout ends two pages after the short one
(the float's page and the page after it, which `defer_to_fill` measures); the float is moved
and the layout resumes from the short page (pdf.Resume), so a repair lays out a few pages:

    watch = Watch()
    document = pdf.render(html, ..., keep=True, resume=resume, stop=watch.stop)
    if pdf.stopped(document):
        pushed = watch.found      # the float (floats.Pushed) to move before resuming

A float that cannot be moved (nothing follows it) is `stuck` and passed over; after MOST_STOPS
stops the watch stops watching, and what is left is found by the whole layout's check
(print.guide `lay_out`), as before.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .floats import LINE, SHORT_LINES, Pushed, first_float, page_blank

MOST_STOPS = 24  # stops of one part's layouts before the watch gives up watching


@dataclass
class Watch:
    since: int = 0  # the first page the current layout makes anew (earlier ones were watched)
    stuck: set[str] = field(default_factory=set)  # data-f numbers of floats that cannot be moved
    stops: int = 0
    found: Pushed | None = None

    @property
    def watching(self) -> bool:
        return self.stops < MOST_STOPS

    def stop(self, pages: list) -> bool:
        """After page len(pages) - 1 is made: whether the page before it starts with a float
        that left the page before that one short (then `found` is that float)."""
        j = len(pages) - 1
        if j < 2 or j - 1 < self.since or not self.watching:
            return False
        blank = page_blank(pages[j - 2])
        if blank // LINE <= SHORT_LINES:
            return False
        number = first_float(pages[j - 1])
        if number is None or number in self.stuck:
            return False
        self.found = Pushed(number, j - 1, blank)
        self.stops += 1
        return True
