"""Joins the parts' PDF objects into one tagged book: one page tree, tag tree and outline, fonts embedded once.

A long book is painted and written part by part (`part.write_part`: each part in whichever
process laid it out, and kept on disk), then the parts' PDF objects are joined into a PDF that
WeasyPrint writes with no page of its own (catalog, metadata, PDF/UA identification, tag-tree
root): object numbers shifted, pages added to the page tree, each part's tag tree hung under the
book's Document element, its parent-tree keys shifted, its named destinations and bookmarks
added to the book's, the theme's fonts embedded once (bookfonts.py). So only the changed parts
are painted again.
"""
from __future__ import annotations

import contextlib
import threading
import zlib

import pydyf
import weasyprint

from .bookfonts import _embedding_once, _fonts_built_by
from .cut import _add_serialized, _joined, _number
from .fetcher import ConfinedFetcher
from .part import FolioPdf, PartPdf
from .pdfwrite import PageLabel, PdfMeta, write_pdf
from .weasy import zlevel

_STREAMS_LOCK = threading.Lock()
_STREAM_DATA = pydyf.Stream.data


def _data_once(stream) -> bytes:
    made = stream.__dict__.get("_lectern_bytes")
    if made is None:
        if stream.compress:
            # the book's own streams: its tag tree (an object stream of 3 MB at L) and its fonts
            body = zlib.compress(b"\n".join(pydyf._to_bytes(item) for item in stream.stream), zlevel.LEVEL)
            extra = pydyf.Dictionary({**stream.extra, "Filter": "/FlateDecode", "Length": len(body)})
            made = b"\n".join((extra.data, b"stream", body, b"endstream"))
        else:
            made = _STREAM_DATA.fget(stream)
        stream.__dict__["_lectern_bytes"] = made
    return made


@contextlib.contextmanager
def _streams_made_once(switch: list):
    """While the book is written (from when `switch[0]()` is called: everything is painted),
    each stream is compressed once: pydyf compresses them all again for the file identifier,
    the book's object stream (its tag tree) the largest."""
    with _STREAMS_LOCK:
        before = pydyf.Stream.data
        switch.append(lambda: setattr(pydyf.Stream, "data", property(_data_once)))
        try:
            yield
        finally:
            pydyf.Stream.data = before


class _Marks:
    """A page as `Document.make_bookmark_tree` reads it."""

    def __init__(self, bookmarks, height):
        self.bookmarks, self.height = bookmarks, height


def _append_folios(out: pydyf.PDF, folios: list[FolioPdf],
                   fonts: dict[str, bytes]) -> tuple[list[bytes], bytes, bytes]:
    """Add the folio forms, of the body's pages in order (and a "q" stream for the pages with
    folio slots); their references."""
    fixed = {b"F" + key.encode(): reference for key, reference in fonts.items()}

    def placeholder(token: tuple[bytes, bytes]) -> bytes:
        return fixed[token[0] + token[1]]

    refs: list[bytes] = []
    for piece in folios:
        base = len(out.objects) - 1
        _add_serialized(out, piece.objects, piece.streams, base, placeholder)
        refs += [b"%d 0 R" % (base + number) for number in piece.forms]
    save = pydyf.Stream([b"q"])
    out.add_object(save)
    empty = pydyf.Stream([], pydyf.Dictionary({"Type": "/XObject", "Subtype": "/Form",
                                               "BBox": pydyf.Array([0, 0, 1, 1])}))
    out.add_object(empty)  # the folio of a slot no folio is given for: none
    return refs, save.reference, empty.reference


def _append_parts(out: pydyf.PDF, parts: list[PartPdf], fonts: dict[str, bytes],
                  folios: list[FolioPdf] | None = None, folios_from: int = 0) -> None:
    """Add the parts' objects and pages to a PDF of no pages (see the module's docstring); page
    `folios_from + i` of the book draws folio form i of `folios`, their forms one after the
    other (when it has a folio slot)."""
    from weasyprint.pdf.anchors import add_outlines

    catalog = out.catalog
    root = out.objects[_number(catalog["StructTreeRoot"])]
    doc_element = out.objects[_number(root["K"][0])]
    parent_tree = out.objects[_number(root["ParentTree"])]
    key = max((int(k) for k in parent_tree["Nums"][::2]), default=-1) + 1
    dests: dict[str, bytes] = {}
    marks: list[_Marks] = []
    fixed = {b"P": out.pages.reference, b"D": doc_element.reference, b"R": root.reference}
    fixed.update({b"F" + key.encode(): reference for key, reference in fonts.items()})
    forms, empty = [], b""
    if any(part.folio_slots for part in parts):
        forms, fixed[b"Q"], empty = _append_folios(out, folios or [], fonts)
    page_base = 0
    for part in parts:
        base = len(out.objects) - 1
        key_base = key
        first = page_base - folios_from

        def form(index: int) -> bytes:
            return forms[first + index] if 0 <= first + index < len(forms) else empty

        def placeholder(token: tuple[bytes, bytes]) -> bytes:
            kind, key = token
            if kind == b"K":
                return b"%d" % (key_base + int(key))
            if kind == b"O":
                return form(int(key))
            return fixed[kind + key]

        _add_serialized(out, part.objects, part.streams, base, placeholder)
        for number in part.pages:
            out.pages["Kids"].extend([base + number, 0, "R"])
        out.pages["Count"] += len(part.pages)
        doc_element["K"].extend(b"%d 0 R" % (base + n) for n in part.kids)
        for k, value in part.parent_tree:
            parent_tree["Nums"].extend([key_base + k, _joined(value, base, placeholder)])
        for name, page, rest in part.dests:
            dests.setdefault(name, b"[%d 0 R %s]" % (base + part.pages[page], rest))
        marks += [_Marks(m, h) for m, h in zip(part.marks, part.heights)]
        key += part.keys
        page_base += len(part.pages)
    if dests:
        names = pydyf.Array()
        for name in sorted(dests):
            names += [pydyf.String(name), dests[name]]
        catalog.setdefault("Names", pydyf.Dictionary())["Dests"] = pydyf.Dictionary({"Names": names})
    catalog.pop("Outlines", None)
    tree = weasyprint.Document.make_bookmark_tree(_Book(marks), 0.75, True)
    add_outlines(out, tree)


class _Book:
    """The book's pages as `Document.make_bookmark_tree` reads them."""

    def __init__(self, pages):
        self.pages = pages


def write_book(parts: list[PartPdf], meta: PdfMeta, page_labels: list[PageLabel] | None = None,
               programs: dict[str, bytes] | None = None, folios: list[FolioPdf] | None = None,
               folios_from: int = 0) -> bytes:
    """One tagged PDF of the parts' pages (see `write_part`), in order: metadata, PDF/UA
    identification and page labels as `write_pdf`, one outline, links across parts, and each
    font of `programs` embedded once with the glyphs of all parts. Book page `folios_from + i`
    draws folio i of `folios` (`write_folios`: their forms one after the other) when its part
    was painted with folio slots."""
    refs: dict[str, bytes] = {}
    uses = [use for part in parts for use in part.fonts] + [use for f in folios or [] for use in f.fonts]
    build = _embedding_once(uses, programs or {}, refs)

    def extend(out: pydyf.PDF) -> None:
        _append_parts(out, parts, refs, folios, folios_from)
        switch[0]()

    from weasyprint.pdf.metadata import DocumentMetadata
    from weasyprint.text.fonts import FontConfiguration

    switch: list = []
    shell = weasyprint.Document([], DocumentMetadata(), ConfinedFetcher([]), FontConfiguration(), {}, None)
    with _fonts_built_by(build), _streams_made_once(switch):
        return write_pdf(shell, meta, page_labels=page_labels, pages_after=sum(len(p.pages) for p in parts),
                         extend=extend)
