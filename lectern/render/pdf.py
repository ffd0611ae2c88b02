"""The only module that imports WeasyPrint: confined fetching, layout, footnote checks, PDF bytes.

Used by the study guide and the handouts alike:

    document = render(html, base_url=course_root, roots=[course_root, *theme_dirs])
    check = check_footnotes(document, ["fn-1-1", "fn-1-2", ...])   # on the laid-out pages
    pdf = write_pdf(document, PdfMeta(title=..., authors=[...], lang="en", date="2026-11-24"))

The top-level document is always a string; everything it refers to (images, fonts) is fetched
through `ConfinedFetcher`, which only reads files under the given roots and `data:` URLs.
"""
from __future__ import annotations

import hashlib
import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from weasyprint.formatting_structure import boxes as wboxes
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = [
    "ConfinedFetcher", "FootnoteCheck", "NotePlace", "PageLabel", "PdfMeta", "check_footnotes", "render",
    "write_pdf", "page_texts",
]


class ConfinedFetcher(URLFetcher):
    """A URL fetcher that reads only files inside `roots` and `data:` URLs: no network at all.

    Everything refused is remembered in `refused` (the caller turns it into a problem);
    WeasyPrint itself only logs a warning and leaves the resource out.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [Path(r).resolve() for r in roots]
        self.refused: list[str] = []

    def allows(self, path: Path) -> bool:
        return any(path == root or path.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if self.allows(path) and path.is_file():
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"Lectern does not fetch {url!r}: only files inside the course and theme")


class _Collect(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


def render(html: str, base_url: str | Path, roots: list[Path],
           log: list[str] | None = None) -> weasyprint.Document:
    """Lay out an HTML string (never a path) into pages; resources come only from `roots`.

    `base_url` resolves relative URLs (a folder gets a trailing slash). WeasyPrint's warnings
    (unknown CSS, missing images) are appended to `log` when given. The confined fetcher,
    with its `refused` list, is `document.url_fetcher`.
    """
    if isinstance(base_url, Path):
        base_url = base_url.resolve().as_uri() + ("/" if base_url.is_dir() else "")
    fetcher = ConfinedFetcher(roots)
    logger = logging.getLogger("weasyprint")
    handler = _Collect(log if log is not None else [])
    logger.addHandler(handler)
    try:
        doc = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        document = doc.render(pdf_tags=True)
    finally:
        logger.removeHandler(handler)
    return document


# --- footnotes on the laid-out pages ------------------------------------------------------

@dataclass
class NotePlace:
    id: str
    call_page: int | None = None  # 1-based page of the call in the body
    note_page: int | None = None  # 1-based page where the note is in the footnote area
    overlaps_body: bool = False  # note painted over body text (longer than the page area)
    call_block: str | None = None  # `block_attr` of the block whose line holds the call
    page_end_block: str | None = None  # `block_attr` of the block that ends the call's page


@dataclass
class FootnoteCheck:
    """Where every expected footnote ended up after layout."""

    places: dict[str, NotePlace] = field(default_factory=dict)

    @property
    def lost(self) -> list[NotePlace]:
        return [p for p in self.places.values() if p.note_page is None]

    @property
    def moved(self) -> list[NotePlace]:
        return [p for p in self.places.values()
                if p.note_page is not None and p.call_page is not None
                and p.note_page != p.call_page]

    @property
    def overlapping(self) -> list[NotePlace]:
        return [p for p in self.places.values() if p.overlaps_body]


def _walk(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


def _bottom(box) -> float:
    return box.position_y + box.margin_height()


def _block_of(line, block_attr: str) -> str | None:
    element = getattr(line, "element", None)
    return element.get(block_attr) if element is not None and block_attr else None


def check_footnotes(document: weasyprint.Document, ids: list[str],
                    block_attr: str = "data-b") -> FootnoteCheck:
    """Find each footnote (by element id) in the footnote areas and each call in the body.

    When the HTML numbers its blocks with `block_attr`, each place also names the block that
    holds the call and the block that ends the call's page (what a retry may adjust).
    """
    check = FootnoteCheck({i: NotePlace(i) for i in ids})
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        area = None
        body_lines = []
        calls = []
        for child in page_box.children:
            if isinstance(child, wboxes.FootnoteAreaBox):
                area = child
            elif not isinstance(child, wboxes.MarginBox):
                line = None
                for box in _walk(child):
                    if isinstance(box, wboxes.LineBox):
                        body_lines.append(box)
                        line = box
                    note = getattr(box, "footnote", None)
                    if note is not None and note.element is not None:
                        place = check.places.get(note.element.get("id"))
                        if place is not None and place.call_page is None:
                            place.call_page = number
                            place.call_block = _block_of(line, block_attr)
                            calls.append(place)
        if body_lines:
            last = max(body_lines, key=_bottom)
            for place in calls:
                place.page_end_block = _block_of(last, block_attr)
        if area is None:
            continue
        body_bottom = max((_bottom(line) for line in body_lines), default=0)
        notes = []
        for note in area.children:
            element = getattr(note, "element", None)
            place = check.places.get(element.get("id")) if element is not None else None
            if place is None:
                continue
            notes.append((note, place))
            if place.note_page is None:
                place.note_page = number
        if notes and area.position_y < body_bottom - 0.5:
            # the footnote area starts above the last line of body text: it is painted over
            # the body; blame the tallest note (a note longer than the page area)
            tallest = max(notes, key=lambda item: item[0].margin_height())
            tallest[1].overlaps_body = True
    return check


def page_texts(document: weasyprint.Document) -> list[str]:
    """The text of each laid-out page (body, footnotes and margin boxes), for tests."""
    texts = []
    for page in document.pages:
        parts = [box.text for box in _walk(page._page_box) if isinstance(box, wboxes.TextBox)]
        texts.append(" ".join(parts))
    return texts


# --- the PDF ---------------------------------------------------------------------------------

@dataclass
class PdfMeta:
    """What goes into the PDF's document information and XMP metadata."""

    title: str
    authors: list[str]
    lang: str
    date: str = ""  # ISO date from the course, never the clock ("" leaves the dates out)
    subject: str = ""
    keywords: list[str] = field(default_factory=list)


@dataclass
class PageLabel:
    """From page `start` (0-based) on, pages are labelled in `style` ("D" 1 2 3, "r" i ii iii)."""

    start: int
    style: str = "D"
    first: int = 1


def write_pdf(document: weasyprint.Document, meta: PdfMeta, variant: str | None = "pdf/ua-1",
              page_labels: list[PageLabel] | None = None) -> bytes:
    """The PDF bytes: metadata from `meta`, no attachments, same input → same bytes.

    `variant` "pdf/ua-1" tags the PDF for accessibility; `page_labels` make a viewer show the
    printed folios (roman front matter, then 1, 2, 3) rather than physical page numbers.
    """
    md = document.metadata
    md.title = meta.title
    md.authors = list(meta.authors)
    md.lang = meta.lang
    md.description = meta.subject or None
    md.keywords = list(meta.keywords)
    md.generator = "Lectern"
    md.created = md.modified = (meta.date or None)
    md.attachments = []  # never an attachment, whatever the HTML asked for
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    seed = "\x1f".join([meta.title, *meta.authors, meta.lang, meta.date, str(len(document.pages))])
    identifier = hashlib.md5(seed.encode()).hexdigest().encode()

    def finisher(_document, pdf_file) -> None:
        if page_labels:
            nums = []
            for label in page_labels:
                nums += [label.start, pydyf.Dictionary({"S": "/" + label.style, "St": label.first})]
            pdf_file.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(nums)})

    return document.write_pdf(
        pdf_variant=variant, pdf_identifier=identifier, attachments=None, uncompressed_pdf=False,
        finisher=finisher)
