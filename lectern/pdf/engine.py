"""Lays an HTML string out into pages: each set of style sheets parsed once a process, with fonts of its own.

Used by the study guide and the handouts alike (through the package, `lectern.pdf`):

    document = render(html, base_url=course_root, roots=[course_root, *theme_dirs])
    check = check_footnotes(document, ["fn-1-1", "fn-1-2", ...])   # on the laid-out pages (notes.py)
    pdf = write_pdf(document, PdfMeta(title=..., authors=[...], lang="en", date="2026-11-24"))  # pdfwrite.py

The top-level document is always a string; everything it refers to (images, fonts) is fetched
through `ConfinedFetcher` (fetcher.py), which only reads files under the given roots and
`data:` URLs. Importing this module installs Lectern's changes to WeasyPrint (weasy/).
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from weasyprint.urls import URLFetcher

from .weasy import colsearch, leaders, notekeep, pagenumbers, pangoshare, svgpath, svgtext, tagging, zlevel
from .weasy import resume as resume_from
from . import htmltree, longruns
from .fetcher import ConfinedFetcher
from ..theme.fonts import stamp

notekeep.install()  # a footnote stays on its call's page (see notekeep)
leaders.install()  # a dot leader is painted as one run of text (see leaders)
svgtext.install()  # a chart's label is set as one run of text (see svgtext)
svgpath.install()  # a formula's glyph outlines read in one pass (see svgpath)
colsearch.install()  # columns balanced in a few layouts, not one a pixel (see colsearch)
tagging.install()  # footnotes tagged Note, an SVG's /Alt its title and description (see tagging)
zlevel.install()  # streams compressed at zlib level 6, not 9 (see zlevel)
resume_from.install()  # a part laid out again from the page its repair touches (see resume)
pagenumbers.install()  # a piece of a document numbered as pages of the whole (see pagenumbers)
pangoshare.install()  # one Pango context and font description a font, not one a run of text (see pangoshare)


class _Collect(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


def render(html: str, base_url: str | Path, roots: list[Path],
           log: list[str] | None = None, keep: bool = False,
           resume: resume_from.Resume | None = None,
           numbers: pagenumbers.PageNumbers | None = None, stop=None) -> weasyprint.Document:
    """Lay out an HTML string (never a path) into pages; resources come only from `roots`.

    `base_url` resolves relative URLs (a folder gets a trailing slash). WeasyPrint's warnings
    (unknown CSS, missing images) are appended to `log` when given. The confined fetcher,
    with its `refused` list, is `document.url_fetcher`. With `keep`, the document keeps what a
    later layout needs to `resume` from one of its pages (see weasy/resume: the pages before it
    are taken from that document; when its state cannot be carried over, the document is laid
    out whole). With `numbers`, the margins print page numbers as pages of a larger document
    (see weasy/pagenumbers: the document is a piece of it). With `stop` (and `keep`),
    `stop(pages)` is asked after each page; when true the layout ends there, and
    `resume_from.stopped(document)` says the document holds only those pages.
    """
    if isinstance(base_url, Path):
        base_url = base_url.resolve().as_uri() + ("/" if base_url.is_dir() else "")
    fetcher = ConfinedFetcher(roots)
    sink = log if log is not None else []
    html, sheets, settings = _kept_sheets(html, base_url, roots, fetcher, sink)
    logger = logging.getLogger("weasyprint")
    handler = _Collect(sink)
    logger.addHandler(handler)
    document = None
    try:
        root = htmltree.parse(html)
        longruns.break_long_runs(root)
        doc = _ParsedHTML(root, base_url, fetcher)

        def lay_out():
            with pagenumbers.numbered(numbers):
                return doc.render(stylesheets=sheets, pdf_tags=True, **settings)

        stop = stop if keep else None  # a stopped document says so only when it keeps its layout
        if resume is not None and resume_from.INSTALLED:
            resume_from.begin(resume, stop)
            try:
                document = lay_out()
            except resume_from.CannotResume:
                document = None
        if document is None:
            resume_from.begin(None, stop)
            document = lay_out()
    finally:
        logger.removeHandler(handler)
        if document is not None and keep:
            resume_from.keep(document)
        resume_from.begin(None)
    return document


class _ParsedHTML(weasyprint.HTML):
    """A WeasyPrint document made from a tree `htmltree` parsed (as `HTML.__init__` does
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

