"""The only module that imports WeasyPrint: confined fetching, layout, footnote checks, PDF bytes.

Used by the study guide and the handouts alike:

    document = render(html, base_url=course_root, roots=[course_root, *theme_dirs])
    check = check_footnotes(document, ["fn-1-1", "fn-1-2", ...])   # on the laid-out pages
    pdf = write_pdf(document, PdfMeta(title=..., authors=[...], lang="en", date="2026-11-24"))

The top-level document is always a string; everything it refers to (images, fonts) is fetched
through `ConfinedFetcher`, which only reads files under the given roots and `data:` URLs.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
import re
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from weasyprint.formatting_structure import boxes as wboxes
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .weasy import colsearch, leaders, notekeep, svgtext
from . import htmltree
from ..theme.fonts import stamp

notekeep.install()  # a footnote stays on its call's page (see notekeep)
leaders.install()  # a dot leader is painted as one run of text (see leaders)
svgtext.install()  # a chart's label is set as one run of text (see svgtext)
colsearch.install()  # columns balanced in a few layouts, not one a pixel (see colsearch)

__all__ = [
    "ConfinedFetcher", "FootnoteCheck", "NotePlace", "PageLabel", "PdfMeta", "check_footnotes", "render",
    "write_pdf", "page_texts", "PartPdf", "write_part", "write_book", "FolioPdf", "write_folios",
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
        self.read: dict[Path, tuple[int, int] | None] = {}  # files read: their `fonts.stamp` then

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
                    self.read[path] = stamp(path)
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
    sink = log if log is not None else []
    html, sheets, settings = _kept_sheets(html, base_url, roots, fetcher, sink)
    logger = logging.getLogger("weasyprint")
    handler = _Collect(sink)
    logger.addHandler(handler)
    try:
        doc = _ParsedHTML(htmltree.parse(html), base_url, fetcher)
        document = doc.render(stylesheets=sheets, pdf_tags=True, **settings)
    finally:
        logger.removeHandler(handler)
    return document


class _ParsedHTML(weasyprint.HTML):
    """A WeasyPrint document made from a tree `render.htmltree` parsed (as `HTML.__init__` does
    from the tree its own, slower, parser builds)."""

    def __init__(self, root, base_url: str, url_fetcher: URLFetcher):
        import cssselect2
        from weasyprint import _find_base_url
        self.base_url = _find_base_url(root, base_url)
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


# --- style sheets parsed once per process -----------------------------------------------------

@dataclass
class _Sheet:
    css: weasyprint.CSS
    log: list[str]  # what WeasyPrint said while parsing it (repeated for every document using it)
    refused: list[str]  # URLs the fetcher refused while parsing it (idem)


@dataclass
class _Scope:
    """The documents of a process laid out with the same style sheets: the sheets parsed once,
    with one font configuration holding just the @font-face rules of those sheets."""

    sheets: list[_Sheet]
    settings: dict  # font_config, counter_style, color_profiles for weasyprint's render()
    files: dict[Path, tuple[int, int] | None]  # what parsing read (fonts): their `fonts.stamp` then

    def fresh(self) -> bool:
        """No file the sheets read (a font, say) has been replaced since."""
        return all(stamp(path) == seen for path, seen in self.files.items())


class _Shared:
    """What the documents laid out in one process share: parsed style sheets and their fonts.

    Every print document opens with the theme's CSS in `<style>` elements: parsing it and
    compiling its selectors cost about a quarter of a second a document, so each distinct set
    of sheets is parsed once. Each set has its own font configuration: a font configuration
    keeps every @font-face it was given, so one shared by documents whose sheets name the same
    family from different files (two courses, a course's own font, a font replaced while
    `serve` runs) would let one document's font stand in for another's.
    """

    LIMIT = 16  # a build with every output kind uses 7 sets in a worker; headroom for serve

    def __init__(self):
        self.lock = threading.Lock()
        self.scopes: dict[tuple, _Scope] = {}

    def scope(self, texts: list[str], base_url: str, roots: list[Path]) -> _Scope:
        digest = hashlib.sha256("\0".join(texts).encode("utf-8")).digest()
        key = (digest, len(texts), base_url, tuple(str(r) for r in roots))
        with self.lock:
            found = self.scopes.get(key)
            if found is None or not found.fresh():
                self.scopes.pop(key, None)
                found = self.scopes[key] = self._parse(texts, base_url, roots)
                while len(self.scopes) > self.LIMIT:
                    del self.scopes[next(iter(self.scopes))]
        return found

    @staticmethod
    def _parse(texts: list[str], base_url: str, roots: list[Path]) -> _Scope:
        from weasyprint.css.counters import CounterStyle
        from weasyprint.text.fonts import FontConfiguration
        settings = {"font_config": FontConfiguration(), "counter_style": CounterStyle(), "color_profiles": {}}
        sheets, files = [], {}
        logger = logging.getLogger("weasyprint")
        for text in texts:
            fetcher, said = ConfinedFetcher(roots), []
            handler = _Collect(said)
            logger.addHandler(handler)
            try:
                css = weasyprint.CSS(string=text, base_url=base_url, url_fetcher=fetcher, **settings)
            finally:
                logger.removeHandler(handler)
            sheets.append(_Sheet(css, said, list(fetcher.refused)))
            files.update(fetcher.read)
        return _Scope(sheets, settings, files)


_SHARED = _Shared()
_HEAD_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _kept_sheets(html: str, base_url: str, roots: list[Path], fetcher: ConfinedFetcher,
                 log: list[str]) -> tuple[str, list, dict]:
    """The document without the plain `<style>` elements of its head, those sheets (parsed once),
    and the settings (fonts) to lay it out with.

    They are handed to WeasyPrint as the reader's ("user") sheets, in the same order; the only
    author styles left are `style` attributes, which win over them as they did.
    """
    end = html.find("</head>")
    texts = _HEAD_STYLE.findall(html, 0, end) if end >= 0 else []
    scope = _SHARED.scope(texts, base_url, roots)
    for kept in scope.sheets:
        log.extend(kept.log)
        fetcher.refused.extend(kept.refused)
    if not texts:
        return html, [], scope.settings
    return _HEAD_STYLE.sub("", html[:end]) + html[end:], [kept.css for kept in scope.sheets], scope.settings


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
              page_labels: list[PageLabel] | None = None, pages_after: int = 0,
              extend: Callable[[pydyf.PDF], None] | None = None) -> bytes:
    """The PDF bytes: metadata from `meta`, no attachments, same input → same bytes.

    `variant` "pdf/ua-1" tags the PDF for accessibility; `page_labels` make a viewer show the
    printed folios (roman front matter, then 1, 2, 3) rather than physical page numbers.
    `extend` may add objects and pages (`pages_after` of them) before the PDF is written.
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
    seed = "\x1f".join([meta.title, *meta.authors, meta.lang, meta.date, str(len(document.pages) + pages_after)])
    identifier = hashlib.md5(seed.encode()).hexdigest().encode()

    def finisher(_document, pdf_file) -> None:
        if extend is not None:
            extend(pdf_file)
        if page_labels:
            nums = []
            for label in page_labels:
                nums += [label.start, pydyf.Dictionary({"S": "/" + label.style, "St": label.first})]
            pdf_file.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(nums)})

    return document.write_pdf(
        pdf_variant=variant, pdf_identifier=identifier, attachments=None, uncompressed_pdf=False,
        finisher=finisher)


# --- books written part by part ----------------------------------------------------------------
#
# A long book is painted and written part by part (each part in whichever process laid it out,
# and kept on disk), then the parts' PDF objects are joined into a PDF that WeasyPrint writes
# with no page of its own (catalog, metadata, PDF/UA identification, tag-tree root): object
# numbers shifted, pages added to the page tree, each part's tag tree hung under the book's
# Document element, its parent-tree keys shifted, its named destinations and bookmarks added to
# the book's, the theme's fonts embedded once. So only the changed parts are painted again.

# a literal string (skipped: pydyf escapes every parenthesis and backslash in it), a reference,
# or one of the placeholders a stored part uses for what only the book knows
# what the book renumbers in a part's object: a PDF string (skipped: it may hold anything), a
# reference "n 0 R", a placeholder "@XY@"; captured whole, to cut the object's bytes at them (`_cut`)
_TOKEN_RE = re.compile(rb"(\((?:\\.|[^\\()])*\)|(?<![\w.])\d+ 0 R\b|@[PDRKFOQ]\w*@)", re.S)
_FONT_ATTRS_LEFT_OUT = ("hb_font", "hb_face", "file_content", "to_unicode", "widths")


@dataclass
class SharedFont:
    """A font a part uses whose program is one of the book's (`programs`): embedded once for
    the whole book, with the glyphs of every part, instead of once per part."""

    key: str  # resource name and program digest: one embedded font per key
    digest: str  # md5 of the font program
    attrs: dict  # the WeasyPrint font's plain attributes (name, metrics, flags, ...)
    to_unicode: dict  # glyph id → text
    widths: dict  # glyph id → width


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


_PROGRAMS: dict[tuple, dict[str, bytes]] = {}
_FONTS_LOCK = threading.Lock()
_STREAMS_LOCK = threading.Lock()


def font_programs(files: list[Path]) -> dict[str, bytes]:
    """The font files by the md5 of their bytes: the fonts a book embeds once for all its parts
    (any other font is embedded by each part that uses it)."""
    files = sorted(Path(p) for p in files if p is not None and Path(p).is_file())
    key = tuple((str(p), stamp(p)) for p in files)
    if key not in _PROGRAMS:
        found = {}
        for path in files:
            data = path.read_bytes()
            found[hashlib.md5(data).hexdigest()] = data
        _PROGRAMS[key] = found
    return _PROGRAMS[key]


@contextlib.contextmanager
def _fonts_built_by(build):
    """WeasyPrint's font embedding replaced by `build(real, pdf, fonts, compress, subset, options)`."""
    import weasyprint.pdf as wpdf
    with _FONTS_LOCK:
        real = wpdf.build_fonts_dictionary
        wpdf.build_fonts_dictionary = lambda *args: build(real, *args)
        try:
            yield
        finally:
            wpdf.build_fonts_dictionary = real


def _shared(fonts: dict, programs: dict[str, bytes], subset: bool) -> tuple[dict, list[SharedFont]]:
    """The fonts embedded as usual, and the uses of fonts whose program is one of `programs`."""
    own, found = {}, {}
    for name, font in fonts.items():
        digest = None
        if subset and not font.used_in_forms and not font.bitmap:
            digest = hashlib.md5(font.file_content).hexdigest()
        if digest not in programs:
            own[name] = font
            continue
        key = f"{font.hash}{digest}"
        if key not in found:
            attrs = {k: v for k, v in vars(font).items() if k not in _FONT_ATTRS_LEFT_OUT}
            found[key] = SharedFont(key, digest, attrs, {}, {})
        found[key].to_unicode.update(font.to_unicode)
        found[key].widths.update(font.widths)
    return own, list(found.values())


def _hb_face(data: bytes, index: int):
    """A HarfBuzz face of a font program (WeasyPrint subsets with it), or None."""
    from weasyprint.text.ffi import ffi, harfbuzz
    try:
        if not hasattr(_hb_face, "declared"):
            ffi.cdef("hb_blob_t * hb_blob_create (const char *data, unsigned int length, int mode, "
                     "void *user_data, void *destroy); hb_face_t * hb_face_create (hb_blob_t *blob, "
                     "unsigned int index);")
            _hb_face.declared = True
        buffer = ffi.new("char[]", data)
        blob = harfbuzz.hb_blob_create(buffer, len(data), 1, ffi.NULL, ffi.NULL)  # read-only
        face = ffi.gc(harfbuzz.hb_face_create(blob, index), harfbuzz.hb_face_destroy)
        harfbuzz.hb_blob_destroy(blob)
    except Exception:  # an older HarfBuzz or cffi: fontTools subsets instead
        return None, None
    return face, buffer


def _book_font(use: SharedFont, data: bytes):
    """A WeasyPrint font made from a program and every part's use of it, for embedding once."""
    from weasyprint.pdf.fonts import Font

    font = Font.__new__(Font)
    font.__dict__.update(use.attrs)
    font.hash = use.key  # one embedded font (and resource name) per key
    font.file_content = data
    font.to_unicode, font.widths = dict(use.to_unicode), dict(use.widths)
    font.hb_font = None
    font.hb_face, font._buffer = _hb_face(data, font.index)
    if font.hb_face is None:
        font.subset = lambda to_unicode, hinting: Font._fonttools_subset(font, to_unicode, hinting)
    return font


def _number(reference) -> int:
    return int(bytes(reference).split()[0])


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


def _leaving_book_fonts(programs: dict[str, bytes], shared: list[SharedFont]):
    """A font builder (see `_fonts_built_by`) for a part: it embeds the part's own fonts and, for
    those whose program is one of `programs`, writes `@F<key>@` and adds them to `shared`, for the
    book to embed once (`write_book`)."""
    def build(real, out, fonts, compress, subset, options):
        own, uses = _shared(fonts, programs, subset)
        pdf_fonts = real(out, own, compress, subset, options)
        for use in uses:
            pdf_fonts[use.attrs["hash"]] = f"@F{use.key}@"
        shared.extend(uses)
        return pdf_fonts
    return build


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
    dests = []
    names = catalog.get("Names", {}).get("Dests", {}).get("Names", [])
    page_index = {number: index for index, number in enumerate(page_numbers)}
    for i in range(0, len(names), 2):
        name, target = names[i].string, names[i + 1]
        if name in stand_ins:
            continue
        rest = b" ".join(pydyf._to_bytes(item) for item in target[1:])
        dests.append((name, page_index[_number(target[0])], rest))
    return PartPdf(objects, streams, [new[n] for n in page_numbers],
                   [new[_number(k)] for k in doc_element["K"]], tree,
                   max((k for k, _ in tree), default=-1) + 1, dests, marks,
                   [page.height for page in document.pages], shared, folio_slots)


def _cut(data: bytes, stream: bool, local) -> list:
    """An object's bytes cut at what the book renumbers: [text, token, text, ..., text].

    A token is a reference (an int: the object's number in its part, `local` maps the painted
    PDF's numbers), a placeholder `@XY@` ((X, Y): the book fills it in) or a PDF string (bytes,
    kept as it is: it may hold anything). A stream's data stays in the last text, untouched.
    Cut once where the part is painted (in a worker), the book only joins (`_joined`): a regex
    with a Python call per reference took a third of the book's assembly.
    """
    head, sep, body = data.partition(b"\nstream\n") if stream else (data, b"", b"")
    pieces: list = _TOKEN_RE.split(head)
    for i in range(1, len(pieces), 2):
        token = pieces[i]
        if token[:1] == b"@":
            pieces[i] = (token[1:2], token[2:-1])
        elif token[:1] != b"(":
            pieces[i] = local(int(token.split(b" ", 1)[0]))
    if sep:
        pieces[-1] += sep + body
    return pieces


def _joined(pieces: list, base: int, placeholder) -> bytes:
    """The bytes of a `_cut` object: references numbered from `base`, placeholders filled in."""
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        token = pieces[i]
        if token.__class__ is int:
            out.append(b"%d 0 R" % (base + token))
        elif token.__class__ is tuple:
            out.append(placeholder(token))
        else:
            out.append(token)
        out.append(pieces[i + 1])
    return b"".join(out)


def _serialized(kept: list, local) -> tuple[list[list], list[int]]:
    """`kept` objects (numbered from 1 in order) `_cut`, and which of them are streams."""
    objects, streams = [], []
    for index, obj in enumerate(kept, 1):
        stream = isinstance(obj, pydyf.Stream)
        objects.append(_cut(obj.data, stream, local))
        if stream:
            streams.append(index)
    return objects, streams


def _add_serialized(out: pydyf.PDF, objects: list[list], streams: list[int], base: int, placeholder) -> None:
    """Add objects `_serialized` made to `out`, numbered from `base`, placeholders filled in."""
    streams = set(streams)
    for index, pieces in enumerate(objects, 1):
        out.add_object(_Raw(_joined(pieces, base, placeholder), index in streams))


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
    """Paint `document` (pages holding only folios, see render.guide) as one form XObject a page,
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


class _Raw(pydyf.Object):
    """An object already serialized (a part's, renumbered for the book)."""

    def __init__(self, data: bytes, stream: bool):
        super().__init__()
        self._data = data
        self._stream = stream

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return not self._stream


_STREAM_DATA = pydyf.Stream.data


BOOK_ZLIB_LEVEL = 6  # pydyf's 9: the L guide's join took 0.3 s longer for 46 bytes less


def _data_once(stream) -> bytes:
    made = stream.__dict__.get("_lectern_bytes")
    if made is None:
        if stream.compress:
            # the book's own streams: its tag tree (an object stream of 3 MB at L) and its fonts
            body = zlib.compress(b"\n".join(pydyf._to_bytes(item) for item in stream.stream), BOOK_ZLIB_LEVEL)
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
        switch.append(lambda: setattr(pydyf.Stream, "data", property(_data_once)))
        try:
            yield
        finally:
            pydyf.Stream.data = _STREAM_DATA


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
    """Add the parts' objects and pages to a PDF of no pages (see the section comment); page
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
    programs = programs or {}
    refs: dict[str, bytes] = {}

    def build(real, out, fonts, compress, subset, options):
        merged: dict[str, SharedFont] = {}
        for use in [use for part in parts for use in part.fonts] + [use for f in folios or [] for use in f.fonts]:
            if use.key not in merged:
                merged[use.key] = SharedFont(use.key, use.digest, dict(use.attrs), {}, {})
            book = merged[use.key]
            for glyph, text in use.to_unicode.items():  # a glyph stands for what it was first used for
                book.to_unicode.setdefault(glyph, text)
            for glyph, width in use.widths.items():
                book.widths.setdefault(glyph, width)
            for char, glyph in (use.attrs.get("missing") or {}).items():
                book.attrs.setdefault("missing", {}).setdefault(char, glyph)
        refs.update(real(out, {key: _book_font(use, programs[use.digest]) for key, use in merged.items()},
                         compress, subset, options))
        return real(out, fonts, compress, subset, options)

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
