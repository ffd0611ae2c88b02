"""A lecture's slides as print PDFs: three-up handouts with ruled lines, a presenter's script, a 16:9 deck.

All three are laid out by WeasyPrint (through `lectern.pdf`) from the deck's own slide
partials and `deck/deck.css`, so a slide on paper is the slide on screen, drawn small:

    pdf = render_handout(deck, env, roots, "A4")     # output/handouts/<lecture>.pdf
    pdf = render_notes(deck, env, roots, "letter")   # output/handouts/<lecture>-notes.pdf
    pdf = render_slides_pdf(deck, env, roots, "A4")  # output/slides/<lecture>.pdf (16:9 pages)

`handout_document(...)` returns the laid-out WeasyPrint document instead of bytes (for tests
and for the benchmark). This module lays the documents out and writes them; the pieces are
its neighbours: `geometry` (page geometry in millimetres, handed to the templates),
`slidepages` (the print document's HTML and its layout), `overflow` (crowded slides found on
the layout), `fitting` (crowded slides' type shrunk until they fit) and `knownfits` (each
slide's fit remembered). The look lives in `templates/handout/handout.css`.
"""
from __future__ import annotations

from pathlib import Path

import jinja2

from ..text.view import DeckView
from .. import pdf
from . import slidepages  # its _layout looked up at each call, as by `fitting`: one place to count layouts
from .fitting import refit
from .knownfits import known_fits, remember_fits, slide_keys
from .overflow import overflowing
from .slidepages import Chunk, print_html
from .chapters import PartStore
from .printparts import PrintRequest, print_pdf

# the names callers import from here, wherever they now live
from .fitting import FIT_STEP, MIN_FIT, fit_slides  # noqa: F401
from .geometry import (LABEL_H, PAPERS, PX_MM, SLIDE_H_PX, SLIDE_W_PX, Geometry, Paper,  # noqa: F401
                       handout_geometry, notes_geometry, paper_of, slides_geometry)
from .knownfits import _FITS, KEPT_FITS  # noqa: F401
from .overflow import INLINE_BOXES  # noqa: F401
from .slidepages import (CUSTOM_CSS, KINDS, NOTES_LIMITS, Entry, _layout, entries, font_css,  # noqa: F401
                         lecture_label, notes_size, print_css)


def handout_document(kind: str, deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
                     log: list[str] | None = None, chunk: Chunk | None = None, keys: dict[int, str] | None = None):
    """The laid-out WeasyPrint document of a print kind (see `print_html`).

    Like the deck's runtime (deck/js/scale.js), a slide whose content would run past its box
    is drawn with smaller type (--fit) rather than clipped. The document is laid out once; only
    the pages holding crowded slides are laid out again, a step smaller each time, and put in
    place of the first ones (see `refit`). Each slide's fit is remembered by what the slide is
    (`slide_keys`), so the deck's other print kinds, and a rebuild after an edit (serve keeps
    its workers), lay those slides out once, already fitted. With `chunk`, the document is that
    chunk of the whole (see printparts); `keys` are the deck's `slide_keys` when already made.
    """
    keys = keys if keys is not None else slide_keys(deck, env, roots)
    if chunk is not None:
        keys = {n: key for n, key in keys.items() if n in chunk.slides}
    known = known_fits(keys)
    fits = {n: fit for n, fit in known.items() if fit < 1}
    document = slidepages._layout(print_html(kind, deck, env, roots, paper, fits, chunk=chunk), roots, log, chunk)
    crowded = overflowing(document) - set(known)
    if crowded:
        document, fits = refit(document, kind, deck, env, roots, paper, crowded, fits, log, chunk)
    remember_fits(keys, known, fits)
    return document


TITLES = {"handout": "handout", "notes": "speaker notes", "slides": "slides"}


def print_request(kind: str, deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str) -> PrintRequest:
    """What `printparts.print_pdf` makes one of KINDS from, with the PDF's title and metadata."""
    meta = pdf.PdfMeta(title=f"{deck.plain_title} ({TITLES[kind]})", authors=[deck.author], lang=deck.lang,
                       subject=deck.course_title)
    return PrintRequest(kind, deck, env, roots, paper, meta)


def render_handout(deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
                   store: PartStore | None = None) -> bytes:
    """Three slides a page down the left, ruled lines for notes beside each; `paper` is A4 or letter.
    Laid out a chunk of slides at a time, each chunk kept in `store` when given (see printparts)."""
    return print_pdf(print_request("handout", deck, env, roots, paper), store)


def render_notes(deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
                 store: PartStore | None = None) -> bytes:
    """The presenter's script: one slide a page, its speaker notes beneath."""
    return print_pdf(print_request("notes", deck, env, roots, paper), store)


def render_slides_pdf(deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
                      store: PartStore | None = None) -> bytes:
    """The deck one slide per 16:9 page, bookmarks per section; `paper` is ignored."""
    return print_pdf(print_request("slides", deck, env, roots, paper), store)
