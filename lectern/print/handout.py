"""A lecture's slides as print PDFs: three-up handouts with ruled lines, a presenter's script, a 16:9 deck.

All three are laid out by WeasyPrint (through `render/pdf.py`) from the deck's own slide
partials and `deck/deck.css`, so a slide on paper is the slide on screen, drawn small:

    pdf = render_handout(deck, env, roots, "A4")     # output/handouts/<lecture>.pdf
    pdf = render_notes(deck, env, roots, "letter")   # output/handouts/<lecture>-notes.pdf
    pdf = render_slides_pdf(deck, env, roots, "A4")  # output/slides/<lecture>.pdf (16:9 pages)

`handout_document(...)` returns the laid-out WeasyPrint document instead of bytes (for tests
and for the benchmark). Page geometry is computed here, in millimetres, and handed to the
templates; the look lives in `templates/handout/handout.css`.
"""
from __future__ import annotations

import hashlib
import html as htmlmod
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import charts
from ..state import usercache
from ..problems import RenderError
from ..text.view import DeckView
from .. import pdf
from ..deck.deck import SlideRender, prepare, theme_css
from ..theme.fonts import FACES, FAMILY, find_font, stamp
from ..text.labels import labels
from ..theme.templates import env_dirs, read_asset

SLIDE_W_PX = 1280  # the deck's canvas (deck.css --slide-w, --slide-h)
SLIDE_H_PX = 720
PX_MM = 25.4 / 96  # one CSS pixel in millimetres
KINDS = ("handout", "notes", "slides")
CUSTOM_CSS = "handout/custom.css"  # a course's templates/ may add this to restyle the print documents


@dataclass(frozen=True)
class Paper:
    name: str  # "A4", "letter" or "slide"
    width: float  # mm, portrait
    height: float
    css: str  # the CSS @page size


PAPERS = {"A4": Paper("A4", 210.0, 297.0, "A4 portrait"),
          "letter": Paper("letter", 215.9, 279.4, "letter portrait")}


@dataclass(frozen=True)
class Geometry:
    """Where things go on a page, in millimetres (the slide's own layout stays in CSS pixels)."""

    paper: Paper
    margin_top: float
    margin_bottom: float
    margin_x: float
    per_page: int  # slides on a page
    slide_w: float  # the slide as printed
    row_h: float  # the band each slide takes on the page (handouts); notes: the slide's band
    line_gap: float  # ruled lines: distance between two lines
    lines: int  # ruled lines beside each slide
    gutter: float = 8.0  # between the slide and its ruled lines

    @property
    def slide_h(self) -> float:
        return self.slide_w * SLIDE_H_PX / SLIDE_W_PX

    @property
    def scale(self) -> float:
        """The factor that shrinks the 1280×720 px canvas to `slide_w` millimetres."""
        return self.slide_w / (SLIDE_W_PX * PX_MM)

    @property
    def label_h(self) -> float:
        return LABEL_H

    @property
    def page_size(self) -> str:
        return self.paper.css

    @property
    def row_pitch(self) -> float:
        """Distance between the tops of two rows (a hair under row_h, so rounding never breaks a page)."""
        return self.row_h - 0.5

    def cell_box(self, row: int) -> tuple[float, float, float, float]:
        """The printed slide of row `row` on a handout page: (left, top, right, bottom) in mm."""
        top = self.margin_top + row * self.row_pitch + LABEL_H
        return (self.margin_x, top, self.margin_x + self.slide_w, top + self.slide_h)


def paper_of(name: str) -> Paper:
    try:
        return PAPERS[name]
    except KeyError:
        raise RenderError(f"unknown paper {name!r}: use {' or '.join(PAPERS)}") from None


NOTES_LIMITS = (1400, 2200, 3600)  # characters of speaker notes per type size (see handout.css)
LABEL_H = 6.0  # the "Slide 7 · section" line above each slide on a handout


def handout_geometry(paper_name: str) -> Geometry:
    """Three slides down the left of a portrait page, ruled lines beside each."""
    paper = paper_of(paper_name)
    top, bottom, side = 19.0, 15.0, 15.0
    row_h = (paper.height - top - bottom) / 3
    slide_w = 110.0
    slide_h = slide_w * SLIDE_H_PX / SLIDE_W_PX
    line_gap = 8.0
    lines = int((row_h - 10) // line_gap)
    assert slide_h + LABEL_H < row_h - 4, "three slides must fit a page"
    return Geometry(paper, top, bottom, side, 3, slide_w, row_h, line_gap, lines)


def notes_geometry(paper_name: str) -> Geometry:
    """One slide a page, centred at the top, its speaker notes beneath."""
    paper = paper_of(paper_name)
    top, bottom, side = 19.0, 15.0, 20.0
    slide_w = 140.0
    return Geometry(paper, top, bottom, side, 1, slide_w, slide_w * SLIDE_H_PX / SLIDE_W_PX + LABEL_H, 0, 0)


def slides_geometry() -> Geometry:
    """The deck itself: one slide a page, the page the size of the canvas (16:9), no margin."""
    w, h = SLIDE_W_PX * PX_MM, SLIDE_H_PX * PX_MM
    return Geometry(Paper("slide", w, h, f"{SLIDE_W_PX}px {SLIDE_H_PX}px"), 0, 0, 0, 1, w, h, 0, 0)


# --- what the templates receive ------------------------------------------------------------------

@dataclass
class Entry:
    """A slide in its place in a print document: page, position on the page, section, notes size."""

    r: SlideRender
    page: int  # 1-based page the slide is printed on
    row: int  # 0-based position on that page
    section: str  # plain title of the section it belongs to ("" before the first)
    notes_size: int = 0  # notes: 0 (normal type) to 3 (small, two columns), so a script stays one page a slide
    bookmark_level: int = 1  # PDF outline: title, sections, questions and references at 1, slides at 2
    bookmark_label: str = ""
    fit: float | None = None  # the deck's --fit: type shrunk so a crowded slide is not clipped
    blank: bool = False  # an empty cell holding the slide's place (pages re-laid out for a splice)


_TAGS = re.compile(r"<[^>]*>")


def _plain(markup: object) -> str:
    return htmlmod.unescape(_TAGS.sub("", str(markup or ""))).strip()


def notes_size(notes: object) -> int:
    """How much to shrink the speaker notes so they fit under the slide on one page (0 to 3).

    Past about 5,500 characters (A4) the notes run on to a second page rather than shrink further.
    """
    n = len(_plain(notes))
    return next((i for i, limit in enumerate(NOTES_LIMITS) if n <= limit), len(NOTES_LIMITS))


def entries(deck: DeckView, per_page: int, fits: dict[int, float] | None = None,
            only: set[int] | None = None, placeholders: bool = False) -> list[Entry]:
    """The deck's slides (as the deck numbers them) placed on pages; `only` keeps just those numbers.

    With `placeholders`, the slides not in `only` stay in their places as blank cells instead,
    so every page is where it is in the whole document.
    """
    fits = fits or {}
    out: list[Entry] = []
    section = ""
    for r in prepare(deck):
        title = _plain(r.slide.title)
        if r.slide.kind == "section":
            section = title
        elif r.slide.kind in ("questions", "references"):
            section = ""
        blank = only is not None and r.number not in only
        if blank and not placeholders:
            continue
        i = len(out)
        level = 2 if r.slide.kind == "content" else 1
        label = f"{r.number}. {title}" if level == 2 else title
        out.append(Entry(r, i // per_page + 1, i % per_page, section, notes_size(r.slide.notes), level, label,
                         fits.get(r.number), blank))
    return out


def lecture_label(deck: DeckView) -> str:
    """"Lecture 2: Title" when the title slide knows the lecture's number, else the title."""
    number = deck.slides[0].meta.get("lecture", "") if deck.slides else ""
    number = _plain(number)
    if not number or deck.plain_title.casefold().startswith(number.casefold()):
        return deck.plain_title  # "Lecture 1: …" already says so
    return f"{number}: {deck.plain_title}"


def font_css(env: jinja2.Environment) -> str:
    """@font-face rules for the theme's Biolinum faces, each from `fonts.find_font` through the
    template folders (a course's own templates/fonts/ first, as for the deck and the guide); a
    face found nowhere is left out and the theme's font stack takes over. Each rule carries its
    file's stamp, so a font replaced under the same name is a new sheet (and new slide fits)."""
    rules = []
    for face in FACES:
        path = find_font(face.file, env_dirs(env), system=False)
        if path is not None:
            rules.append(f"@font-face {{ font-family: '{FAMILY}'; font-style: {face.style}; "
                         f"font-weight: {face.weight}; src: url('{path.as_uri()}'); }} /* {stamp(path)} */")
    return "\n".join(rules)


def print_css(env: jinja2.Environment) -> str:
    """handout/handout.css, then a course's handout/custom.css when it has one."""
    parts = [read_asset(env, "handout/handout.css")]
    try:
        parts.append(read_asset(env, CUSTOM_CSS))
    except jinja2.TemplateNotFound:
        pass
    return "\n".join(parts).replace("</style", "<\\/style")


def print_html(kind: str, deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
               fits: dict[int, float] | None = None, only: set[int] | None = None,
               placeholders: bool = False) -> str:
    """The print document (HTML) for one of KINDS: the deck's slides in the handout templates.

    `fits` gives crowded slides their --fit (see `fit_slides`); `only` prints just those slides,
    the others left out or, with `placeholders`, left blank in their places.
    """
    if kind == "handout":
        geometry = handout_geometry(paper)
    elif kind == "notes":
        geometry = notes_geometry(paper)
    elif kind == "slides":
        geometry = slides_geometry()
    else:
        raise ValueError(f"unknown print kind {kind!r}")
    items = entries(deck, geometry.per_page, fits, only, placeholders)
    template = env.get_template(f"handout/{kind}.html.j2")
    return charts.for_print(template.render(
        deck=deck, entries=items, slide_count=len(prepare(deck)), g=geometry, kind=kind, L=labels(deck.lang),
        page_count=items[-1].page if items else 0, lecture_label=lecture_label(deck),
        fonts=Markup(font_css(env)), deck_css=Markup(theme_css(env)),
        print_css=Markup(print_css(env))))


def _layout(html: str, roots: list[Path], log: list[str] | None = None):
    return pdf.render(html, base_url=Path(roots[-1]) if roots else Path.cwd(), roots=roots, log=log)


def handout_document(kind: str, deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
                     log: list[str] | None = None):
    """The laid-out WeasyPrint document of a print kind (see `print_html`).

    Like the deck's runtime (deck/js/scale.js), a slide whose content would run past its box
    is drawn with smaller type (--fit) rather than clipped. The document is laid out once; only
    the pages holding crowded slides are laid out again, a step smaller each time, and put in
    place of the first ones (see `refit`). Each slide's fit is remembered by what the slide is
    (`slide_keys`), so the deck's other print kinds, and a rebuild after an edit (serve keeps
    its workers), lay those slides out once, already fitted.
    """
    keys = slide_keys(deck, env, roots)
    known = known_fits(keys)
    fits = {n: fit for n, fit in known.items() if fit < 1}
    document = _layout(print_html(kind, deck, env, roots, paper, fits), roots, log)
    crowded = overflowing(document) - set(known)
    if crowded:
        document, fits = refit(document, kind, deck, env, roots, paper, crowded, fits, log)
    for n, key in keys.items():
        _FITS.pop(key, None)
        _FITS[key] = fits.get(n, 1.0)  # most recent last
    while len(_FITS) > 4096:
        _FITS.pop(next(iter(_FITS)))
    if len(known) < len(keys):
        _keep_fits({keys[n]: fits.get(n, 1.0) for n in keys if n not in known})
    return document


def known_fits(keys: dict[int, str]) -> dict[int, float]:
    """Slide number -> its --fit, for the slides (of `slide_keys`) whose fit a layout already
    found, in this process or an earlier one (1.0: it fits as it is)."""
    _load_kept_fits()
    return {n: _FITS[k] for n, k in keys.items() if k in _FITS}


def slide_keys(deck: DeckView, env: jinja2.Environment, roots: list[Path]) -> dict[int, str]:
    """Slide number -> a hash of everything its print layout depends on (its view, the CSS, the fonts)."""
    renders = prepare(deck)
    base = hashlib.sha256("\x1f".join([theme_css(env), print_css(env), font_css(env), deck.plain_title,
                                       deck.lang, str(len(renders))]).encode())
    keys = {}
    for r in renders:
        h = base.copy()
        h.update(repr(r).encode())
        keys[r.number] = h.hexdigest()
    return keys


_FITS: dict[str, float] = {}  # slide key -> its --fit (1.0: fits as it is), shared by the print kinds
_KEPT_LOADED: list[bool] = []
KEPT_FITS = 20000  # fits kept in the user's cache folder between processes


def _fits_file() -> Path:
    return usercache.folder() / "fits.json"


def _read_fits() -> dict[str, float]:
    try:
        data = json.loads(_fits_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: float(v) for k, v in data.items()
            if isinstance(k, str) and isinstance(v, (int, float)) and MIN_FIT <= v <= 1.0}


def _load_kept_fits() -> None:
    """Once per process: the fits earlier processes found (a build after an edit lays a
    crowded slide it knows out fitted at once, instead of stepping its type down again)."""
    if not _KEPT_LOADED:
        _KEPT_LOADED.append(True)
        for key, fit in _read_fits().items():
            _FITS.setdefault(key, fit)


def _keep_fits(new: dict[str, float]) -> None:
    """Add fits to the kept ones (best effort; a slide's key says everything its fit depends on)."""
    kept = _read_fits()
    kept.update(new)
    if len(kept) > KEPT_FITS:
        kept = dict(list(kept.items())[-KEPT_FITS:])
    usercache.keep(_fits_file(), json.dumps(kept).encode("utf-8"))


def _slide_pages(document) -> dict[int, set[int]]:
    """Slide number -> indices of the pages that show it."""
    pages: dict[int, set[int]] = {}
    for index, page in enumerate(document.pages):
        for box, _ in _walk(page._page_box):
            if getattr(box, "element_tag", None) == "section" and "slide" in _classes(box):
                pages.setdefault(int(box.element.get("data-n")), set()).add(index)
    return pages


def refit(document, kind: str, deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
          crowded: set[int], fits: dict[int, float] | None = None, log: list[str] | None = None):
    """`document` with its crowded slides fitted, and all fits: (document, {number: fit}).

    `fits` are those `document` was laid out with (of slides known to fit with them).

    As `fit_slides`, type shrinks a step at a time until a slide fits. Each step lays out only
    the pages that hold a slide still crowded: the other slides are blank in a second document
    that keeps every page in its place (running heads, folios, ruled lines, notes), and its
    pages replace the first document's (WeasyPrint writes pages of several documents as one).
    When the pages do not line up (a crowded slide had run on to another page), the fits are
    found on their own and the whole document is laid out again.
    """
    where = _slide_pages(document)
    fits = dict(fits or {})
    pending, fit = set(crowded), 1.0
    while pending and fit > MIN_FIT:
        fit = max(MIN_FIT, round(fit - FIT_STEP, 2))
        fits.update({n: fit for n in pending})
        pages = set().union(*(where.get(n, set()) for n in pending))
        keep = {n for n, on in where.items() if on & pages}
        part = _layout(print_html(kind, deck, env, roots, paper, fits, only=keep, placeholders=True), roots, log)
        if len(part.pages) != len(document.pages) or any(
                on != where.get(n) for n, on in _slide_pages(part).items()):
            fits.update(fit_slides(deck, env, roots, crowded))
            return _layout(print_html(kind, deck, env, roots, paper, fits), roots, log), fits
        for index in pages:
            document.pages[index] = part.pages[index]
        # the new pages' fonts belong to the second document's font configuration: keep it alive
        document.lectern_parts = [*getattr(document, "lectern_parts", []), part]
        pending &= overflowing(part)
    return document, fits



# --- crowded slides: the deck's --fit, found on WeasyPrint's layout -----------------------------

INLINE_BOXES = ("TextBox", "InlineBox")
MIN_FIT = 0.6  # as deck/js/scale.js: type shrinks by 0.05 at a time, never below 60 %
FIT_STEP = 0.05


def _walk(box, out_of_flow: bool = False):
    """Boxes under `box` with whether they are absolutely positioned (or inside such a box)."""
    yield box, out_of_flow
    for child in getattr(box, "children", ()) or ():
        placed = getattr(child, "_box", None)  # WeasyPrint's placeholder of an absolutely positioned box
        if placed is not None:
            yield from _walk(placed, True)
        else:
            yield from _walk(child, out_of_flow)


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None and getattr(box, "element_tag", "") else []


def _slides(document):
    """(slide number, box) of every slide laid out in a document."""
    for page in document.pages:
        for box, _ in _walk(page._page_box):
            if getattr(box, "element_tag", None) == "section" and "slide" in _classes(box):
                yield int(box.element.get("data-n")), box


def _overflows(container) -> bool:
    """Does anything in the normal flow of `container` reach past its padding box (by over 1 px)?"""
    bottom = container.padding_box_y() + container.padding_height() + 1
    right = container.padding_box_x() + container.padding_width() + 1
    for box, out_of_flow in _walk(container):
        if box is container or out_of_flow or not hasattr(box, "border_height"):
            continue
        if type(box).__name__ in INLINE_BOXES:
            continue  # glyphs may overhang a tight line height; the line box is what counts
        if box.border_box_y() + box.border_height() > bottom or box.border_box_x() + box.border_width() > right:
            return True
    return False


def overflowing(document) -> set[int]:
    """Numbers of the slides whose content does not fit them.

    As deck/js/scale.js measures it: content past the slide, its body, the body's children or
    the footnotes. And, on paper: a slide broken over two pages (its content ran past the
    page), or body text reaching into the footnotes or the foot of the slide (a text slide is
    laid out as blocks in print, so its body does not shrink to show the overflow).
    """
    crowded = set()
    seen: dict[int, int] = {}
    for number, slide in _slides(document):
        seen[number] = seen.get(number, 0) + 1
        parts, body, notes = [slide], None, None
        for box, out_of_flow in _walk(slide):
            classes = _classes(box)
            if "slide-body" in classes and not out_of_flow and body is None:
                body = box
                parts += [box] + [c for c in box.children if hasattr(c, "border_height")]
            elif "footnotes" in classes and notes is None:
                notes = box
                parts.append(box)
        if any(_overflows(part) for part in parts) or (body is not None and _runs_into_foot(slide, body, notes)):
            crowded.add(number)
    return crowded | {n for n, count in seen.items() if count > 1}


def _runs_into_foot(slide, body, notes) -> bool:
    """Does the body's text reach below the top of the footnotes, or below the slide's content box?"""
    limit = slide.content_box_y() + slide.height + 1
    if notes is not None:
        limit = min(limit, notes.position_y + 1)  # the footnotes' margin box: their gap above
    for box, out_of_flow in _walk(body):
        if box is body or out_of_flow or not hasattr(box, "border_height") or type(box).__name__ in INLINE_BOXES:
            continue
        if box.border_box_y() + box.border_height() > limit:
            return True
    return False


def fit_slides(deck: DeckView, env: jinja2.Environment, roots: list[Path], numbers: set[int]) -> dict[int, float]:
    """The --fit of each crowded slide: the largest step down from 1 at which it no longer overflows."""
    fits: dict[int, float] = {}
    pending = set(numbers)
    fit = 1.0
    while pending and fit > MIN_FIT:
        fit = max(MIN_FIT, round(fit - FIT_STEP, 2))
        fits.update({n: fit for n in pending})
        document = _layout(print_html("slides", deck, env, roots, "A4", fits, only=pending), roots)
        pending &= overflowing(document)
    return fits


TITLES = {"handout": "handout", "notes": "speaker notes", "slides": "slides"}


def _pdf(kind: str, deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str) -> bytes:
    document = handout_document(kind, deck, env, roots, paper)
    meta = pdf.PdfMeta(title=f"{deck.plain_title} ({TITLES[kind]})", authors=[deck.author], lang=deck.lang,
                       subject=deck.course_title)
    return pdf.write_pdf(document, meta)


def render_handout(deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str) -> bytes:
    """Three slides a page down the left, ruled lines for notes beside each; `paper` is A4 or letter."""
    return _pdf("handout", deck, env, roots, paper)


def render_notes(deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str) -> bytes:
    """The presenter's script: one slide a page, its speaker notes beneath."""
    return _pdf("notes", deck, env, roots, paper)


def render_slides_pdf(deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str) -> bytes:
    """The deck one slide per 16:9 page, bookmarks per section; `paper` is ignored."""
    return _pdf("slides", deck, env, roots, paper)
