"""Finished objects the renderers and templates receive: HTML strings, numbers, no raw YAML.

The resolve stage builds these from the model once citations are formatted and footnotes and
figures numbered. Every `html` field is safe HTML (Markup), ready for `{{ ... }}` in Jinja.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from ..course.model import Pos


@dataclass
class Footnote:
    """A footnote: its number (per slide in a deck, per chapter in the guide) and its text."""

    number: int
    id: str  # unique in its document, e.g. "s7-fn1" (deck) or "fn-2-3" (guide)
    html: Markup
    pos: Pos  # where it was called (or defined, for a labelled note), for error messages


@dataclass
class PointView:
    html: Markup
    children: list[PointView] = field(default_factory=list)
    step: int | None = None  # 1-based build step on a `build` slide, else None


@dataclass
class QuoteView:
    html: Markup
    source: Markup | None = None


@dataclass
class Figure:
    """An image or chart, numbered per chapter ("2.3") for the guide and shown on its slide."""

    kind: str  # "image" or "chart"
    number: str  # "2.3"
    id: str  # "fig-2-3"
    body: Markup  # <img src="data:..."> or inline <svg>
    alt: str
    caption: Markup | None = None
    source: Markup | None = None
    title: str = ""  # chart title
    # --- layouts (issue 18) ---
    width: int | None = None  # percent of the content width the picture takes
    fit: str = "contain"  # contain | cover
    narrow: Markup | None = None  # a chart drawn for a phone's reading view (deck/reading.css)
    paper: Markup | None = None  # a slide's video or live page as print shows it (body is the screen's)


@dataclass
class TimelineEntry:
    date: str  # as written: "1959-01-01"
    label: str  # for display: "1 January 1959"
    html: Markup
    lecture: str | None = None


@dataclass
class GlossaryView:
    term: str
    html: Markup
    lecture: str | None = None
    lecture_title: str = ""


@dataclass
class BibEntry:
    key: str
    id: str  # "ref-KEY": the anchor citations link to
    html: Markup


@dataclass
class SlideView:
    """One slide of a deck, generated (title, section, questions, references) or written."""

    number: int  # 1-based position in the deck, as on screen and in #/N
    kind: str  # "title" | "section" | "content" | "questions" | "references"
    id: str  # "slide-N"
    title: Markup
    section: Markup | None = None  # the section the slide belongs to
    points: list[PointView] = field(default_factory=list)
    steps: int = 0  # number of build steps (0: the slide shows whole)
    quote: QuoteView | None = None
    figure: Figure | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    notes: Markup | None = None
    body: Markup | None = None  # the slide's block Markdown (math, code, tables), finished HTML
    footnotes: list[Footnote] = field(default_factory=list)
    questions: list[Markup] = field(default_factory=list)
    references: list[BibEntry] = field(default_factory=list)
    subtitle: Markup | None = None  # title slide: lecture subtitle; section slide: "Part 2"
    meta: dict[str, str] = field(default_factory=dict)  # title slide: course, author, date
    # --- layouts (issue 18) ---
    columns: list[SlideView] = field(default_factory=list)  # each a pane of kind "column"
    widths: list[float] = field(default_factory=list)  # one per column (equal when empty)
    images: list[Figure] = field(default_factory=list)  # a row or grid of 2-6 pictures
    background: BackgroundView | None = None
    step: int | None = None  # a column's build step


@dataclass
class BackgroundView:
    """A slide's full-bleed background: a colour or a picture with the theme's dark overlay."""

    tone: str  # "light" or "dark": the text colour that reads on it
    color: str | None = None
    picture: str | None = None  # a data: URL
    alt: str = ""
    dim: float = 0.4


@dataclass
class DeckView:
    lecture_id: str
    title: Markup
    plain_title: str
    course_title: str
    author: str
    date_label: str
    lang: str
    duration: int | None
    slides: list[SlideView]
    references_slide: int | None  # number of the first references slide, for citation links
    embed_origins: list[str] = field(default_factory=list)  # the course's: the deck's policy lets exactly these in
    media: list[str] = field(default_factory=list)  # videos it plays, copied beside it ("media/clip.mp4")


@dataclass
class GuideSection:
    number: str  # "2.1"
    id: str
    title: Markup
    plain_title: str
    reading: Markup | None
    key_points: list[PointView]
    figures: list[Figure]
    questions: list[Markup]
    continued: bool = False  # a later piece of a section split across a long chapter's pieces (print/chapterpieces)
    points_continued: bool = False  # its key points go on from the piece before (the box has no heading)


@dataclass
class Chapter:
    number: int
    id: str  # the lecture id
    title: Markup
    plain_title: str
    subtitle: Markup | None
    summary: Markup | None
    objectives: list[Markup]
    sections: list[GuideSection]
    questions: list[Markup]  # questions for the whole chapter; each section's own are in GuideSection
    further_reading: list[BibEntry]
    footnotes: list[Footnote]  # every note the chapter calls, in order (for layout checks)


@dataclass
class GuideView:
    title: Markup
    plain_title: str
    subtitle: Markup | None
    author: str
    institution: str
    date: str  # ISO or ""
    date_label: str
    lang: str
    paper: str  # "A4" or "letter"
    chapters: list[Chapter]
    chronology: list[TimelineEntry]
    glossary: list[GlossaryView]
    bibliography: list[BibEntry]  # every cited work and no other, in the style's order
    # names print never hyphenates: the bibliography's people, the glossary's terms, the course's `names`
    names: list[str] = field(default_factory=list)


@dataclass
class LectureLink:
    id: str
    number: int
    title: Markup
    subtitle: Markup | None
    duration: int | None
    slide_count: int
    deck: str | None  # relative URLs, or None when that output is not built
    handout: str | None
    notes: str | None
    slides_pdf: str | None
    media: list[str] = field(default_factory=list)  # the deck's videos, under slides/media/ beside it


@dataclass
class IndexView:
    title: Markup
    plain_title: str
    subtitle: Markup | None
    author: str
    institution: str
    date_label: str
    lang: str
    lectures: list[LectureLink]
    guide: str | None
