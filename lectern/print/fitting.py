"""Crowded slides fitted to their frames: type shrunk a step at a time (the deck's --fit) until they fit.

Like the deck's runtime (deck/js/scale.js), a slide whose content would run past its box is
drawn with smaller type rather than clipped. Every layout goes through `slidepages._layout`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import pdf
from ..text.view import DeckView
from . import slidepages  # its _layout looked up at each call, as by `handout`: one place to count layouts
from .overflow import _slide_pages, overflowing
from .slidepages import Chunk, print_html

MIN_FIT = 0.6  # as deck/js/scale.js: type shrinks by 0.05 at a time, never below 60 %
FIT_STEP = 0.05


def refit(document, kind: str, deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
          crowded: set[int], fits: dict[int, float] | None = None, log: list[str] | None = None,
          chunk: Chunk | None = None):
    """`document` with its crowded slides fitted, and all fits: (document, {number: fit}).

    `fits` are those `document` was laid out with (of slides known to fit with them).

    As `fit_slides`, type shrinks a step at a time until a slide fits. Each step lays out only
    the pages that hold a slide still crowded: the other slides are blank in a second document
    that keeps every page in its place (running heads, folios, ruled lines, notes), and its
    pages replace the first document's (WeasyPrint writes pages of several documents as one).
    When the pages do not line up (a crowded slide had run on to another page), the fits are
    found on their own and the whole document is laid out again. A `chunk`'s document is that
    chunk's (see slidepages.Chunk).
    """
    where = _slide_pages(document)
    fits = dict(fits or {})
    pending, fit = set(crowded), 1.0
    while pending and fit > MIN_FIT:
        fit = max(MIN_FIT, round(fit - FIT_STEP, 2))
        fits.update({n: fit for n in pending})
        pages = set().union(*(where.get(n, set()) for n in pending))
        keep = {n for n, on in where.items() if on & pages}
        run = page_run(where, pages, chunk)
        laid = run.chunk if run else chunk
        part = slidepages._layout(print_html(kind, deck, env, roots, paper, fits, only=keep, placeholders=True,
                                             chunk=laid), roots, log, laid)
        first = run.first if run else 0
        span = run.pages if run else len(document.pages)
        if len(part.pages) != span or any(
                {p + first for p in on} != where.get(n) for n, on in _slide_pages(part).items()):
            fits.update(fit_slides(deck, env, roots, crowded))
            return slidepages._layout(print_html(kind, deck, env, roots, paper, fits, chunk=chunk), roots, log,
                                      chunk), fits
        for index in pages:
            document.pages[index] = part.pages[index - first]
        # the new pages' fonts belong to the second document's font configuration: keep it alive
        document.lectern_parts = [*getattr(document, "lectern_parts", []), part]
        pending &= overflowing(part)
    return document, fits


@dataclass(frozen=True)
class PageRun:
    """The pages of a chunk a refit lays out again, as a chunk of their own."""

    chunk: Chunk  # their slides, numbered as pages of the whole document
    first: int  # 0-based index of its first page in the chunk's document
    pages: int  # how many pages it spans


def page_run(where: dict[int, set[int]], pages: set[int], chunk: Chunk | None) -> PageRun | None:
    """The run of a chunk's pages from the first to the last of `pages`, when its slides lie on
    those pages alone; None for a document laid out whole (its print CSS may carry state from
    page to page: printparts.WHOLE_ONLY) or when a slide spans the run's edge."""
    if chunk is None or not pages:
        return None
    first, last = min(pages), max(pages)
    span = set(range(first, last + 1))
    slides = {n for n, on in where.items() if on & span}
    if any(not where[n] <= span for n in slides):
        return None
    numbers = pdf.PageNumbers(chunk.numbers.before + first, chunk.numbers.total)
    return PageRun(Chunk(frozenset(slides), numbers), first, last - first + 1)


def fit_slides(deck: DeckView, env: jinja2.Environment, roots: list[Path], numbers: set[int]) -> dict[int, float]:
    """The --fit of each crowded slide: the largest step down from 1 at which it no longer overflows."""
    fits: dict[int, float] = {}
    pending = set(numbers)
    fit = 1.0
    while pending and fit > MIN_FIT:
        fit = max(MIN_FIT, round(fit - FIT_STEP, 2))
        fits.update({n: fit for n in pending})
        document = slidepages._layout(print_html("slides", deck, env, roots, "A4", fits, only=pending), roots)
        pending &= overflowing(document)
    return fits
