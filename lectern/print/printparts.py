"""A print document laid out a dozen slides at a time, each chunk kept on disk, joined into one PDF.

A handout's, notes PDF's or slide PDF's pages are independent of one another: a page holds its
slides, the running head and the folio, nothing that flows from the page before. So the
document is laid out in chunks of CHUNK_SLIDES slides, each its own WeasyPrint document whose
margins are numbered as pages of the whole (pdf.PageNumbers), painted for a book
(`pdf.write_part`) and joined (`pdf.write_book`, as the study guide's parts are: one outline,
the theme's fonts embedded once). Two things follow:

- an edit lays out only the chunk holding the slide it changed: each chunk is kept in a
  `PartStore` (print/chapters.py), keyed by its exact HTML and its page numbers;
- a lecture of any length is laid out in bounded memory: one chunk's boxes at a time.

A course whose print CSS carries state from page to page (page selectors such as `:first` or
`:left`, counters, named strings: `WHOLE_ONLY`) gets its document laid out whole, as before.

    data = print_pdf(PrintRequest("handout", deck, env, roots, "A4", meta), store)
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import pdf
from ..deck.deck import prepare
from ..state import gcpolicy
from ..text.view import DeckView
from ..theme.fonts import font_files
from .chapters import PartStore, StoredPart
from .guidehtml import theme_roots
from .slidepages import NOTES_LIMITS, Chunk, geometry_of, notes_size, print_html

CHUNK_SLIDES = 12  # slides a chunk (a whole number of pages: rounded up to a multiple of the page's slides)
# CSS that carries state from one page to the next: such a document is laid out whole
WHOLE_ONLY = re.compile(r"@page[^{;]*:(?:first|left|right|recto|verso|blank|nth)\b|counter-(?:reset|increment|set)\s*:"
                        r"|string-set\s*:")


@dataclass
class PrintRequest:
    """One print document to make: which kind, of which deck, with which templates and paper."""

    kind: str  # "handout", "notes" or "slides"
    deck: DeckView
    env: jinja2.Environment
    roots: list[Path]
    paper: str
    meta: pdf.PdfMeta
    layouts: list[str] = field(default_factory=list)  # the chunks laid out (not taken from the store), for tests


def plan_chunks(request: PrintRequest) -> list[list[int]]:
    """The deck's slide numbers in chunks of CHUNK_SLIDES (whole pages), in order."""
    per_page = geometry_of(request.kind, request.paper).per_page
    size = per_page * math.ceil(CHUNK_SLIDES / per_page)
    numbers = [r.number for r in prepare(request.deck)]
    return [numbers[i:i + size] for i in range(0, len(numbers), size)]


def _pages_expected(request: PrintRequest, slides: list[int]) -> int:
    """The pages a chunk should take: its rows of slides; notes longer than a page run on to a second."""
    if request.kind == "notes":
        renders = {r.number: r for r in prepare(request.deck)}
        return sum(2 if notes_size(renders[n].slide.notes) == len(NOTES_LIMITS) else 1 for n in slides)
    return math.ceil(len(slides) / geometry_of(request.kind, request.paper).per_page)


def print_pdf(request: PrintRequest, store: PartStore | None = None) -> bytes:
    """The print document's PDF: laid out by chunks and joined, or whole (see the module's docstring)."""
    from .handout import handout_document, slide_keys
    chunks = plan_chunks(request)
    if len(chunks) <= 1 or WHOLE_ONLY.search(_css(request)):
        return pdf.write_pdf(handout_document(request.kind, request.deck, request.env, request.roots,
                                              request.paper), request.meta)
    programs = pdf.font_programs(list(font_files(theme_roots(request.env)).values()))
    keys = slide_keys(request.deck, request.env, request.roots)
    total = sum(_pages_expected(request, slides) for slides in chunks)
    for _ in range(3):  # a chunk longer than expected (notes run on): every folio's count changes once
        parts, before = [], 0
        for index, slides in enumerate(chunks):
            chunk = Chunk(frozenset(slides), pdf.PageNumbers(before, total))
            part = _chunk_part(request, chunk, {n: keys[n] for n in slides}, programs, store)
            parts.append(part)
            before += len(part.pages)
            gcpolicy.piece_done(index)
        if before == total:
            break
        total = before
    return pdf.write_book(parts, request.meta, programs=programs)


def _css(request: PrintRequest) -> str:
    """The print document's style sheets (all of its <style>), as its first chunk's HTML holds them."""
    html = print_html(request.kind, request.deck, request.env, request.roots, request.paper, only=set())
    return "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.S))


def _chunk_part(request: PrintRequest, chunk: Chunk, keys: dict[int, str], programs: dict[str, bytes],
                store: PartStore | None) -> pdf.PartPdf:
    """One chunk laid out (with its crowded slides fitted) and painted for the book, or as kept;
    `keys` are its slides' `slide_keys`."""
    from .handout import handout_document
    fits = _fits(keys)
    digest = _digest(request, chunk, fits, store)
    kept = store.take(digest, programs) if store is not None else None
    if kept is not None:
        return kept.pdf
    document = handout_document(request.kind, request.deck, request.env, request.roots, request.paper, chunk=chunk,
                                keys=keys)
    part = pdf.write_part(document, programs)
    request.layouts.append(f"{min(chunk.slides)}-{max(chunk.slides)}")
    if store is not None:
        stored = StoredPart(request.kind, f"slides {min(chunk.slides)}-{max(chunk.slides)}", len(part.pages), None,
                            1, [], [], [], part)
        store.save(digest, stored)
        found = _fits(keys)  # crowded slides' fits this layout found: the next build asks by the HTML with them
        if found != fits:
            store.save(_digest(request, chunk, found, store), stored)
    return part


def _fits(keys: dict[int, str]) -> dict[int, float]:
    """The fits known for these slides (of `slide_keys`) that shrink their type."""
    from .handout import known_fits
    return {n: fit for n, fit in known_fits(keys).items() if fit < 1}


def _digest(request: PrintRequest, chunk: Chunk, fits: dict[int, float], store: PartStore | None) -> str:
    """A chunk's key in the store: its HTML with `fits`, and its page numbers."""
    if store is None:
        return ""
    html = print_html(request.kind, request.deck, request.env, request.roots, request.paper, fits, chunk=chunk)
    return store.key(request.kind, html, [f"pages {chunk.numbers.before} + of {chunk.numbers.total}"])
