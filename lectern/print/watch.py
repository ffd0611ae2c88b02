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
(print.guide `lay_out`), as before. The limit is small on purpose: each stop lays the part's
HTML out again from the cascade on (about 0.1 s for a chapter), which a batch of moves after a
whole layout pays once; what the watch buys is the first moves decided on the pages as they
are (a later float moved on pages an earlier move changed can end alone on the chapter's last
page, leaving a short page above). A long chapter laid out in pieces (print/chapterpieces) is not
watched: a piece's cascade costs 0.6 s, and the 2,000-slide lecture's chapter took 114 layouts
where 33 when its pieces were.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .floats import LINE, SHORT_LINES, Pushed, first_float, page_blank

MOST_STOPS = 2  # stops of one part's layouts before the watch gives up watching


@dataclass
class Watch:
    most: int = MOST_STOPS  # stops allowed (0: not watched)
    since: int = 0  # the first page the current layout makes anew (earlier ones were watched)
    stuck: set[str] = field(default_factory=set)  # data-f numbers of floats that cannot be moved
    stops: int = 0
    found: Pushed | None = None

    @property
    def watching(self) -> bool:
        return self.stops < self.most

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
