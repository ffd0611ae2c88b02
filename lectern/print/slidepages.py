"""A print document's HTML: the deck's slides placed on pages, drawn by the deck's own partials and CSS.

`print_html` renders one of KINDS (handout, notes, slides) from `templates/handout/`, with the
deck's `deck.css` (`deck.theme_css`), the theme's fonts and `handout/handout.css` (plus a
course's `handout/custom.css`), so a slide on paper is the slide on screen, drawn small;
`_layout` lays such HTML out with WeasyPrint (through `lectern.pdf`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import charts
from ..text.plain import plain
from ..text.view import DeckView
from .. import pdf
from ..deck.deck import SlideRender, prepare, theme_css
from ..theme.fonts import FACES, FAMILY, find_font, stamp
from ..text.labels import labels
from ..theme.templates import env_dirs, read_asset
from .geometry import Geometry, handout_geometry, notes_geometry, slides_geometry

KINDS = ("handout", "notes", "slides")
CUSTOM_CSS = "handout/custom.css"  # a course's templates/ may add this to restyle the print documents
NOTES_LIMITS = (1400, 2200, 3600)  # characters of speaker notes per type size (see handout.css)


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


@dataclass(frozen=True)
class Chunk:
    """A run of a print document's slides laid out as a document of its own (see printparts)."""

    slides: frozenset[int]  # the deck's numbers of its slides
    numbers: pdf.PageNumbers  # where its pages sit in the whole document (its margins' page numbers)



_plain = plain


def notes_size(notes: object) -> int:
    """How much to shrink the speaker notes so they fit under the slide on one page (0 to 3).

    Past about 5,500 characters (A4) the notes run on to a second page rather than shrink further.
    """
    n = len(_plain(notes))
    return next((i for i, limit in enumerate(NOTES_LIMITS) if n <= limit), len(NOTES_LIMITS))


def entries(deck: DeckView, per_page: int, fits: dict[int, float] | None = None,
            only: set[int] | None = None, placeholders: bool = False,
            chunk: Chunk | None = None) -> list[Entry]:
    """The deck's slides (as the deck numbers them) placed on pages; `only` keeps just those numbers.

    With `placeholders`, the slides not in `only` stay in their places as blank cells instead,
    so every page is where it is in the whole document. With `chunk`, the document is that
    chunk's: its slides alone, from its first page (each keeps its section).
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
        if chunk is not None and r.number not in chunk.slides:
            continue
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


def geometry_of(kind: str, paper: str) -> Geometry:
    """The page geometry of one of KINDS on `paper` (the slide PDF's pages are always 16:9)."""
    if kind == "handout":
        return handout_geometry(paper)
    if kind == "notes":
        return notes_geometry(paper)
    if kind == "slides":
        return slides_geometry()
    raise ValueError(f"unknown print kind {kind!r}")


def print_html(kind: str, deck: DeckView, env: jinja2.Environment, roots: list[Path], paper: str,
               fits: dict[int, float] | None = None, only: set[int] | None = None,
               placeholders: bool = False, chunk: Chunk | None = None) -> str:
    """The print document (HTML) for one of KINDS: the deck's slides in the handout templates.

    `fits` gives crowded slides their --fit (see `fit_slides`); `only` prints just those slides,
    the others left out or, with `placeholders`, left blank in their places; `chunk` makes the
    HTML of that chunk of the document (its templates see the whole document's page count).
    """
    geometry = geometry_of(kind, paper)
    items = entries(deck, geometry.per_page, fits, only, placeholders, chunk)
    template = env.get_template(f"handout/{kind}.html.j2")
    return charts.for_print(template.render(
        deck=deck, entries=items, slide_count=len(prepare(deck)), g=geometry, kind=kind, paper=True, L=labels(deck.lang),
        page_count=chunk.numbers.total if chunk else items[-1].page if items else 0, lecture_label=lecture_label(deck),
        fonts=Markup(font_css(env)), deck_css=Markup(theme_css(env)),
        print_css=Markup(print_css(env))))


def _layout(html: str, roots: list[Path], log: list[str] | None = None, chunk: Chunk | None = None):
    """A print document's HTML laid out (the document, and every relayout while fitting, goes
    through here): `roots` are the folders it may read, the last one its base URL; a `chunk`'s
    margins are numbered as pages of the whole document."""
    return pdf.render(html, base_url=Path(roots[-1]) if roots else Path.cwd(), roots=roots, log=log,
                      numbers=chunk.numbers if chunk else None)
