"""The course as typed dataclasses; every value remembers the file, line and column it came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Pos:
    """Where a value stands in its YAML file: 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass
class Md:
    """A Markdown string from the course; `html` is filled in by the resolve stage.

    Jinja renders an Md as its finished HTML (`__html__`), so templates write `{{ point.text }}`.
    """

    src: str
    pos: Pos
    html: str = ""
    block: bool = False  # a `|` or `>` block scalar: the text starts on the line after pos
    indent: int = 0  # block scalars: the column (0-based) where each text line starts
    lead: int = 1  # characters between pos and the text on its first line: the quote, or 0 when plain
    tokens: list | None = field(default=None, repr=False, compare=False)  # parsed once by markup

    def locate(self, offset: int) -> Pos:
        """The file position of character `offset` of the source text (for error messages)."""
        before = self.src[:offset]
        line_no = before.count("\n")
        col = offset - (before.rfind("\n") + 1)
        if self.block:
            return Pos(self.pos.path, self.pos.line + 1 + line_no, self.indent + col + 1)
        if line_no == 0:
            return Pos(self.pos.path, self.pos.line, self.pos.column + col + self.lead)
        return Pos(self.pos.path, self.pos.line + line_no, col + 1)

    def __html__(self) -> str:
        return self.html

    def __bool__(self) -> bool:
        return bool(self.src.strip())


@dataclass
class Point:
    text: Md
    points: list[Point] = field(default_factory=list)


@dataclass
class Quote:
    text: Md
    source: Md | None = None


@dataclass
class Image:
    src: str  # relative to the course folder
    alt: str
    pos: Pos
    caption: Md | None = None
    path: Path | None = None  # resolved absolute path (set by validation)
    src_pos: Pos | None = None  # where `src` is written, for messages about the file
    # --- layouts (issue 18): size and fit of a slide picture ---
    width: int | None = None  # percent of the slide's content width, 1-100
    fit: str = "contain"  # contain | cover


@dataclass
class Video:
    """A local video file the deck plays (copied next to it); print shows its poster frame."""

    src: str  # relative to the course folder, as written
    pos: Pos
    path: Path | None = None  # resolved absolute path
    src_pos: Pos | None = None
    poster: Image | None = None  # a still the deck shows before playing and print shows instead
    caption: Md | None = None
    title: str = ""  # what the video is, for readers who cannot see it (default: the caption's text)
    start: float | None = None  # seconds into the file the deck starts at
    end: float | None = None  # seconds into the file the deck stops at


@dataclass
class Embed:
    """A live web page (a poll, a simulation) framed in the deck; print shows its address and a QR code."""

    url: str
    title: str
    pos: Pos
    url_pos: Pos | None = None
    height: int | None = None  # the frame's height in slide pixels (the slide is 1280 x 720)
    caption: Md | None = None


@dataclass
class Table:
    """Chart data: column names and rows of cells (numbers where they parse)."""

    columns: list[str]
    rows: list[list[object]]


@dataclass
class Chart:
    type: str  # one of shapes.CHART_TYPES
    x: str
    y: list[str]  # empty for a histogram (its x column holds the raw values)
    pos: Pos
    title: str = ""
    data_path: str | None = None  # CSV path relative to the course folder, or None for inline
    table: Table | None = None  # filled by load (inline) or validate (CSV)
    unit: str = ""
    caption: Md | None = None
    source: Md | None = None
    trend: bool = False  # scatter: a least-squares line through each series
    bins: int | list[float] = 10  # histogram: how many equal bins, or their edges
    error: list[str] = field(default_factory=list)  # error bars: a column of ± values per y column


@dataclass
class DataTable:
    """A slide's `table:`: data inline or from a CSV (read by validate), with caption, source and alignment."""

    pos: Pos
    data_path: str | None = None
    table: Table | None = None
    caption: Md | None = None
    source: Md | None = None
    align: dict[str, str] = field(default_factory=dict)  # column -> left | right | center


@dataclass
class Code:
    """A slide's `code:` block: its text (written, or read from `file` by validate), lines to show and mark."""

    lang: str
    pos: Pos
    text: str | None = None
    path: str | None = None  # inside the course; read by validate, so an edit to it shows at once
    lines: tuple[int, int] | None = None  # the file's lines to show, 1-based and inclusive
    highlight: frozenset[int] = frozenset()  # lines of the shown code to mark, 1 = the first shown
    caption: Md | None = None


@dataclass
class TimelineSpan:
    start: int  # year
    end: int  # year
    pos: Pos


@dataclass
class Slide:
    title: Md
    pos: Pos
    points: list[Point] = field(default_factory=list)
    build: bool = False
    quote: Quote | None = None
    image: Image | None = None
    chart: Chart | None = None
    timeline: TimelineSpan | None = None
    notes: Md | None = None
    code: Code | None = None
    table: DataTable | None = None
    body: Md | None = None  # block Markdown (paragraphs, math, code, tables) with or instead of points
    # --- layouts (issue 18): columns, picture rows, background ---
    columns: list[Slide] = field(default_factory=list)  # each column holds slide content, no title
    widths: list[float] = field(default_factory=list)  # relative column widths, one per column
    images: list[Image] = field(default_factory=list)  # 2-6 pictures in a row or grid
    background: Background | None = None
    is_column: bool = False
    video: Video | None = None
    embed: Embed | None = None

    def panes(self) -> list[Slide]:
        """The slide and its columns: everything that holds slide content."""
        return [self, *self.columns]

    def pictures(self) -> list[Image]:
        """Every picture this pane shows: its `image`, its `images` and its video's poster."""
        poster = [self.video.poster] if self.video is not None and self.video.poster is not None else []
        return ([self.image] if self.image is not None else []) + self.images + poster

    def has_figure(self) -> bool:
        """Whether this pane shows one numbered figure: a picture, a chart, a video or a live page."""
        return any(x is not None for x in (self.image, self.chart, self.video, self.embed))


@dataclass
class Background:
    """A slide's full-bleed background: a colour (`#223344`) or a picture dimmed by `dim`."""

    pos: Pos
    color: str | None = None
    image: Image | None = None
    dim: float = 0.4


@dataclass
class Section:
    title: Md
    pos: Pos
    reading: Md | None = None
    slides: list[Slide] = field(default_factory=list)
    questions: list[Md] = field(default_factory=list)


@dataclass
class Lecture:
    id: str  # file name without .yaml
    path: Path
    title: Md
    pos: Pos
    subtitle: Md | None = None
    duration: int | None = None  # minutes
    summary: Md | None = None
    objectives: list[Md] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footnotes: dict[str, Md] = field(default_factory=dict)
    further_reading: list[tuple[str, Pos]] = field(default_factory=list)  # citation keys
    # set by markup.parse_course: ((lang, scope), LectureMarks), so an unchanged lecture is parsed once
    parsed: tuple | None = field(default=None, repr=False, compare=False)

    def videos(self) -> list[Video]:
        """Every video its slides and their columns play whose file was found, in slide order."""
        return [p.video for s in self.sections for slide in s.slides for p in slide.panes()
                if p.video is not None and p.video.path is not None]


@dataclass
class TimelineEvent:
    date: str  # "1959", "1959-01" or "1959-01-01"
    event: Md
    pos: Pos
    lecture: str | None = None

    @property
    def year(self) -> int:
        return int(self.date[:4])


@dataclass
class GlossaryEntry:
    term: str
    definition: Md
    pos: Pos
    lecture: str | None = None
    sort: str = ""  # `sort:` how the term is alphabetised ("Batista" for Fulgencio Batista), or ""


@dataclass
class Course:
    root: Path
    title: Md
    authors: list[str]
    pos: Pos
    subtitle: Md | None = None
    institution: str = ""
    date: str = ""  # ISO date, or ""
    lang: str = "en"
    bibliography: list[Path] = field(default_factory=list)
    csl: str = "chicago-author-date"
    paper: str = "A4"
    lectures: list[Lecture] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    outputs: list[str] = field(default_factory=lambda: list(DEFAULT_OUTPUTS))
    templates: Path | None = None  # the course's own templates/ folder, if any
    csl_pos: Pos | None = None  # where `csl` was given, for messages about the style
    embed_origins: list[str] = field(default_factory=list)  # origins whose pages slides may embed (issue 18)
    names: list[str] = field(default_factory=list)  # `names:` people and places print never hyphenates

    @property
    def author(self) -> str:
        return ", ".join(self.authors)


OUTPUT_KINDS = ("deck", "guide", "handouts", "notes", "slides-pdf")
DEFAULT_OUTPUTS = ("deck", "guide", "handouts")  # when course.yaml lists no `outputs`
