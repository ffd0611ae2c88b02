"""Paints one part of a book (or the book's folios) into PDF objects the book joins (`book.write_book`).

A long book is painted part by part, each part in whichever process laid it out, and kept on
disk (print/chapters.py): so only the parts an edit changed are painted again. A part's objects
are numbered 1..n and `_cut` (cut.py) at what only the book knows.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import pydyf
import weasyprint

from .bookfonts import SharedFont, _fonts_built_by, _leaving_book_fonts
from .cut import _cut, _number, _serialized

@dataclass
class PartPdf:
    """One part's pages as PDF objects numbered 1..n, ready to be appended to a book.

    Each object is `_cut`: its references are its own numbers, and placeholders stand for what
    the book fills in: its page tree, Document element and tag-tree root (P, D, R), a structure
    parent key k of the part (pages first, then link annotations: K k), a shared font (see
    `SharedFont`: F key), a folio form (O i). Everything here is plain data (pickled with the
    part's layout).
    """

    objects: list[list]  # object i + 1's bytes, `_cut` (a stream: dictionary, then its data)
    streams: list[int]  # numbers of the objects that are streams (written whole, never packed)
    pages: list[int]  # the page objects, in order
    kids: list[int]  # the top-level structure elements (children of Document)
    parent_tree: list[tuple[int, list]]  # structure parent key → its value (array or reference), `_cut`
    keys: int  # structure parent keys used
    dests: list[tuple[str, int, bytes]]  # anchor name, page index, the rest of its destination
    marks: list[list[tuple]]  # each page's bookmarks: (level, label, (x, y), state)
    heights: list[float]  # each page's height in CSS px (bookmarks are placed from it)
    fonts: list[SharedFont] = field(default_factory=list)  # written `@F<key>@` in its resources
    folio_slots: bool = False  # each page draws the book's folio form `@Oi@` (see `write_part`)


def _part_options() -> dict:
    options = dict(weasyprint.DEFAULT_OPTIONS)
    options.update(pdf_tags=True, pdf_variant=None, pdf_version="1.7", uncompressed_pdf=False,
                   attachments=None)
    return options


def _missing_anchors(document) -> list[str]:
    """Link targets of `document` that are none of its anchors (they are in other parts)."""
    own = {name for page in document.pages for name in page.anchors}
    found = []
    for page in document.pages:
        for link_type, target, _rect, _box in page.links:
            if link_type == "internal" and target not in own and target not in found:
                found.append(target)
    return found


@contextlib.contextmanager
def _for_book(document):
    """While written into a book: links to other parts kept (a stand-in anchor, never used:
    the book holds the real one) and no bookmarks (the book makes one outline of all parts)."""
    missing = _missing_anchors(document)
    first = document.pages[0]
    saved = [page.bookmarks for page in document.pages]
    for name in missing:
        first.anchors[name] = (0, 0, 0, 0)
    for page in document.pages:
        page.bookmarks = []
    try:
        yield set(missing)
    finally:
        for name in missing:
            del first.anchors[name]
        for page, marks in zip(document.pages, saved):
            page.bookmarks = marks


def write_part(document: weasyprint.Document, programs: dict[str, bytes] | None = None,
               folio_slots: bool = False) -> PartPdf:
    """Paint `document` (one part of a book) into PDF objects for `write_book`; the fonts
    whose program is one of `programs` (see `font_programs`) are left for the book to embed.

    With `folio_slots`, each page also draws, after its own content and as an artifact, a
    form XObject the book supplies (`@Oi@`, the page's folio from `write_folios`), so the part
    is the same wherever it lands in the book."""
    from weasyprint.pdf import generate_pdf

    marks = [list(page.bookmarks) for page in document.pages]
    shared: list[SharedFont] = []

    build = _leaving_book_fonts(programs or {}, shared)
    with _for_book(document) as stand_ins, _fonts_built_by(build):
        out = generate_pdf(document, None, 1, **_part_options())
    catalog = out.catalog
    root = out.objects[_number(catalog["StructTreeRoot"])]
    doc_element = out.objects[_number(root["K"][0])]
    parent_tree = out.objects[_number(root["ParentTree"])]
    page_numbers = [int(n) for n in out.pages["Kids"][::3]]
    for index, number in enumerate(page_numbers):
        out.objects[number]["StructParents"] = f"@K{index}@"
    if folio_slots:
        _add_folio_slots(out, page_numbers)
    skip = {0, out.pages.number, catalog.number, root.number, doc_element.number, parent_tree.number}
    kept = [obj for obj in out.objects if obj.number not in skip]
    for obj in kept:
        if isinstance(obj, pydyf.Dictionary) and "StructParent" in obj:
            obj["StructParent"] = f"@K{obj['StructParent']}@"
    new = {obj.number: index for index, obj in enumerate(kept, 1)}
    special = {out.pages.number: (b"P", b""), doc_element.number: (b"D", b""), root.number: (b"R", b"")}

    def local(old: int):
        return special.get(old) or new[old]

    objects, streams = _serialized(kept, local)
    nums = list(parent_tree["Nums"])
    tree = [(int(nums[i]), _cut(pydyf._to_bytes(nums[i + 1]), False, local)) for i in range(0, len(nums), 2)]
    return PartPdf(objects, streams, [new[n] for n in page_numbers],
                   [new[_number(k)] for k in doc_element["K"]], tree,
                   max((k for k, _ in tree), default=-1) + 1, _dests(catalog, page_numbers, stand_ins), marks,
                   [page.height for page in document.pages], shared, folio_slots)


def _dests(catalog, page_numbers: list[int], stand_ins: set[str]) -> list[tuple[str, int, bytes]]:
    """The part's named destinations (not the stand-ins for other parts' anchors): name, page
    index, the rest of the destination."""
    dests = []
    names = catalog.get("Names", {}).get("Dests", {}).get("Names", [])
    page_index = {number: index for index, number in enumerate(page_numbers)}
    for i in range(0, len(names), 2):
        name, target = names[i].string, names[i + 1]
        if name in stand_ins:
            continue
        rest = b" ".join(pydyf._to_bytes(item) for item in target[1:])
        dests.append((name, page_index[_number(target[0])], rest))
    return dests


def _add_folio_slots(out: pydyf.PDF, page_numbers: list[int]) -> None:
    """Each page's contents become [@Q@ (a "q"), its own, "Q, its folio form as an artifact"]:
    its own drawing leaves the graphics state as it found it, then the folio is drawn in page
    space. The folio forms are named in the part's resources as `@Oi@`, filled in by the book."""
    for index, number in enumerate(page_numbers):
        page = out.objects[number]
        resources = out.objects[_number(page["Resources"])]
        name = f"LecternFolio{index}"
        resources.setdefault("XObject", pydyf.Dictionary())[name] = f"@O{index}@"
        slot = pydyf.Stream([b"Q /Artifact BMC /%s Do EMC" % name.encode()])
        out.add_object(slot)
        page["Contents"] = pydyf.Array(["@Q@", page["Contents"], slot.reference])


@dataclass
class FolioPdf:
    """The folios of a book's pages as form XObjects (numbered 1..n like a part's objects):
    `forms[i]` is the object drawing page i's folio (in page space), with its own resources."""

    objects: list[list]  # `_cut`, as a part's
    streams: list[int]
    forms: list[int]
    fonts: list[SharedFont] = field(default_factory=list)


def write_folios(document: weasyprint.Document, programs: dict[str, bytes] | None = None) -> FolioPdf:
    """Paint `document` (pages holding only folios, see print/guide.py) as one form XObject a page,
    untagged (the book draws each as an artifact over a part's page with `folio_slots`)."""
    from weasyprint.pdf import generate_pdf

    shared: list[SharedFont] = []

    build = _leaving_book_fonts(programs or {}, shared)
    options = _part_options()
    options.update(pdf_tags=False)
    with _fonts_built_by(build):
        out = generate_pdf(document, None, 1, **options)
    page_numbers = [int(n) for n in out.pages["Kids"][::3]]
    forms = []
    for number in page_numbers:
        page = out.objects[number]
        stream = out.objects[_number(page["Contents"])]
        stream.extra.update({"Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array(page["MediaBox"]),
                             "Resources": page["Resources"]})
        forms.append(stream.number)
    skip = {0, out.pages.number, out.catalog.number, *page_numbers}
    skip.update(_number(ref) for ref in out.catalog.values() if isinstance(ref, bytes) and ref.endswith(b" R"))
    kept = [obj for obj in out.objects if obj.number not in skip]
    new = {obj.number: index for index, obj in enumerate(kept, 1)}
    objects, streams = _serialized(kept, new.__getitem__)
    return FolioPdf(objects, streams, [new[n] for n in forms], shared)


def join_parts(parts: list[PartPdf]) -> PartPdf:
    """Parts painted one after the other (a chapter laid out in pieces) joined into one part:
    each part's object numbers, structure parent keys and folio slots moved past the ones before."""
    if len(parts) == 1:
        return parts[0]
    joined = PartPdf([], [], [], [], [], 0, [], [], [], [], all(part.folio_slots for part in parts))
    pages = 0
    for part in parts:
        base, keys = len(joined.objects), joined.keys

        def shifted(pieces: list) -> list:
            out = list(pieces)
            for i in range(1, len(out), 2):
                token = out[i]
                if token.__class__ is int:
                    out[i] = token + base
                elif token.__class__ is tuple and token[0] in (b"K", b"O"):
                    out[i] = (token[0], b"%d" % (int(token[1]) + (keys if token[0] == b"K" else pages)))
            return out

        joined.objects += [shifted(pieces) for pieces in part.objects]
        joined.streams += [base + n for n in part.streams]
        joined.pages += [base + n for n in part.pages]
        joined.kids += [base + n for n in part.kids]
        joined.parent_tree += [(keys + k, shifted(value)) for k, value in part.parent_tree]
        joined.keys += part.keys
        joined.dests += [(name, pages + page, rest) for name, page, rest in part.dests]
        joined.marks += part.marks
        joined.heights += part.heights
        joined.fonts += part.fonts
        pages += len(part.pages)
    return joined
