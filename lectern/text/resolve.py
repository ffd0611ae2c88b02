"""Resolve stage: Markdown to HTML, citations formatted in one batch, footnotes and figures numbered.

The result is the finished view objects (lectern/view.py) that renderers and templates receive.
"""
from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from markupsafe import Markup, escape

from ..charts import HEIGHT, PHONE_SIZE, SLIDE_SIZE, WIDTH, chart_summary
from .keptcharts import drawn
from .cite import CitationResult, format_citations, style_path
from .cite.people import names_in
from .markup import CourseMarks, Markup as MarkupParser, RenderContext, bare_citation, quotes_for
from .codehl import highlight, step_groups
from .tablehtml import table_html
from ..course.model import Course, Image, Lecture, Md, Point, Pos, Section, Slide
from .references import split_references
from .keypoints import in_brief
from .labels import labels
from .media import embed_figure, video_figure
from . import layouts
from .plain import plain
from .svgsafe import svg_image
from .view import (BibEntry, Chapter, DeckView, Figure, Footnote, GlossaryView, GuideSection, GuideView,
    IndexView, LectureLink, PointView, QuoteView, SlideView, TimelineEntry)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


@dataclass
class Resolved:
    decks: dict[str, DeckView]
    guide: GuideView
    index: IndexView


def slide_steps(slide: Slide) -> int:
    """How many steps a `build: true` slide takes: its points, then its code's highlighted
    groups, then its chart's series (when it has more than one)."""
    if not slide.build:
        return 0
    code = slide.code
    groups = max(step_groups(code.highlight).values(), default=0) if code is not None and code.text is not None else 0
    return len(slide.points) + groups + len(_stepped_series(slide))


def lecture_media(lecture: Lecture) -> list[str]:
    """The videos a lecture's deck plays, by the names they are copied to beside it."""
    from ..course.media import media_name
    return list(dict.fromkeys(media_name(v.src) for v in lecture.videos()))


def _stepped_series(slide: Slide) -> list[str]:
    """The series a build slide's chart reveals one at a time (none for one series)."""
    chart = slide.chart
    return chart.y if chart is not None and len(chart.y) > 1 else []


_SERIES_G = re.compile(r'<g class="lc-series lc-series-(\d+)"')


def series_steps(figure: Figure, slide: Slide) -> Figure:
    """A build slide's chart with each series a step, after the slide's other steps (a stacked
    chart's totals with the last): the deck shows them in turn, print shows them all."""
    series = _stepped_series(slide)
    if not slide.build or not series or figure is None or figure.kind != "chart":
        return figure
    first = slide_steps(slide) - len(series)

    def mark(svg: Markup | None) -> Markup | None:
        if svg is None:
            return None
        out = _SERIES_G.sub(lambda m: f'<g class="lc-series lc-series-{m.group(1)} step" '
                                      f'data-step="{first + int(m.group(1))}"', str(svg))
        return Markup(out.replace('<g class="lc-totals"', f'<g class="lc-totals step" data-step="{first + len(series)}"'))

    return replace(figure, body=mark(figure.body), narrow=mark(figure.narrow))


def date_label(iso: str, lang: str) -> str:
    """A date as readers of `lang` write it: "24 November 2026", "November 24, 2026", or ISO."""
    if not iso:
        return ""
    parts = iso.split("-")
    if not lang.lower().startswith("en"):
        return iso
    year = parts[0]
    if len(parts) == 1:
        return year
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {year}"
    day = int(parts[2])
    return f"{month} {day}, {year}" if lang.lower() == "en-us" else f"{day} {month} {year}"


class Notes:
    """Collects the footnotes called in one slide or one chapter and numbers them."""

    def __init__(self, prefix: str, mode: str):
        self.prefix = prefix
        self.mode = mode
        self.items: list[Footnote] = []

    def add(self, note_html: str, pos: Pos) -> str:
        number = len(self.items) + 1
        if self.mode == "deck":
            note_id = f"{self.prefix}-fn{number}"
            self.items.append(Footnote(number, note_id, Markup(note_html), pos))
            return f'<sup class="fn-call" data-fn="{note_id}">{number}</sup>'
        note_id = f"fn-{self.prefix}-{number}"
        self.items.append(Footnote(number, note_id, Markup(note_html), pos))
        return f'<span class="footnote" id="{note_id}" data-n="{number}">{note_html}</span>'


def _inline_notes(note_html: str, pos: Pos) -> str:
    """Speaker notes have no foot: a note called in them is shown in brackets where it is called."""
    return f' <span class="inline-note">[{note_html}]</span>'


@dataclass
class Resolver:
    course: Course
    markup: MarkupParser
    marks: CourseMarks
    citations: CitationResult
    bib_index: dict[str, BibEntry] = field(default_factory=dict)
    summaries: dict[int, str] = field(default_factory=dict)  # a chart's text summary, by id(chart): deck and guide share it

    def __post_init__(self):
        self.bib_index = {entry.key: entry for entry in self.citations.bibliography}

    # ---- rendering helpers ---------------------------------------------------------------
    def ctx(self, lecture: Lecture | None, on_footnote, link_rewrite=None, print_math=False) -> RenderContext:
        return RenderContext(cite_html=self.citations.clusters, on_footnote=on_footnote,
                             definitions=lecture.footnotes if lecture else {}, link_rewrite=link_rewrite,
                             markup=self.markup, note_clusters=self.citations.notes, print_math=print_math)

    def html(self, text: Md | None, ctx: RenderContext) -> Markup | None:
        if text is None:
            return None
        out = self.markup.render(text, ctx).strip()
        return Markup(out)

    def text(self, md: Md | None) -> str:
        """Plain text of a Markdown field with its footnotes left out: for <title>, metadata, bookmarks."""
        if md is None:
            return ""
        return plain(self.markup.render(md, self.ctx(None, lambda note, pos: "")))

    def points(self, points: list[Point], ctx: RenderContext, build: bool = False) -> list[PointView]:
        return [PointView(self.html(p.text, ctx), self.points(p.points, ctx), step=(i + 1) if build else None)
                for i, p in enumerate(points)]

    def slide_body(self, slide: Slide, ctx: RenderContext) -> Markup | None:
        """The slide's block Markdown, then its `code:` block (highlighted, marked lines, caption)."""
        parts = [self.html(slide.body, ctx) or ""]
        code = slide.code
        if code is not None and code.text is not None:
            parts.append(highlight(code.text, code.lang, code.highlight,
                                   step_from=len(slide.points) + 1 if slide.build else 0))
            if code.caption:
                parts.append(f'<p class="code-caption">{self.html(code.caption, ctx)}</p>')
        if slide.table is not None and slide.table.table is not None:
            parts.append(table_html(slide.table.table, slide.table.align))
            caption = " ".join(str(self.html(m, ctx)) for m in (slide.table.caption, slide.table.source) if m)
            if caption:
                parts.append(f'<p class="table-caption">{caption}</p>')
        out = "".join(parts)
        return Markup(out) if out else None

    def entries(self, keys: list[str]) -> list[BibEntry]:
        """Bibliography entries for these keys, in the style's order."""
        wanted = set(keys)
        return [e for e in self.citations.bibliography if e.key in wanted]

    # ---- figures -------------------------------------------------------------------------
    def figure(self, slide: Slide, number: str, ctx: RenderContext, on_slide: bool = False) -> Figure | None:
        """The slide's image or chart as a numbered figure; charts get a larger-text viewBox on slides.

        The chart's title is printed by the page (slide heading, guide caption), not inside the SVG.
        """
        if slide.image is not None and slide.image.path is not None:
            image = slide.image
            return Figure("image", number, f"fig-{number.replace('.', '-')}", _image_body(image), image.alt,
                          caption=self.html(image.caption, ctx))
        if slide.chart is not None and slide.chart.table is not None:
            chart = slide.chart
            width, height = SLIDE_SIZE if on_slide else (WIDTH, HEIGHT)
            svg = drawn(chart, self.course.lang, id_prefix=f"{'s' if on_slide else 'g'}fig{number}",
                        show_title=False, width=width, height=height)
            narrow = None
            if on_slide:  # on a phone the card is some 350 px wide: the same text, a narrower plot
                narrow = drawn(chart, self.course.lang, id_prefix=f"nfig{number}", show_title=False,
                               width=PHONE_SIZE[0], height=PHONE_SIZE[1])
            if id(chart) not in self.summaries:
                self.summaries[id(chart)] = chart_summary(chart, self.course.lang)
            return Figure("chart", number, f"fig-{number.replace('.', '-')}", svg, self.summaries[id(chart)],
                          caption=self.html(chart.caption, ctx), source=bare_citation(self.html(chart.source, ctx)),
                          title=chart.title, narrow=narrow)
        if slide.video is not None and slide.video.path is not None:
            return video_figure(slide.video, number, self.html(slide.video.caption, ctx), self.course.lang, on_slide)
        if slide.embed is not None:
            return embed_figure(slide.embed, number, self.html(slide.embed.caption, ctx), self.course.lang, on_slide)
        return None

    def timeline_span(self, slide: Slide, ctx: RenderContext) -> list[TimelineEntry]:
        if slide.timeline is None:
            return []
        span = slide.timeline
        return [self.timeline_entry(e, ctx) for e in _chronological(self.course.timeline)
                if span.start <= e.year <= span.end]

    def timeline_entry(self, event, ctx) -> TimelineEntry:
        return TimelineEntry(event.date, date_label(event.date, self.course.lang), self.html(event.event, ctx),
                             event.lecture)

    # ---- decks ---------------------------------------------------------------------------
    def deck(self, lecture: Lecture, number: int) -> DeckView:
        """A lecture's slides, numbered in order: title, each section's opener and slides,
        questions, references (numbered first: citations link to the references slide)."""
        chunks = self.reference_chunks(lecture)
        questions = [q for s in lecture.sections for q in s.questions]
        refs_first = _references_slide(lecture, questions, chunks)
        rewrite = (lambda href: f"#/{refs_first}") if refs_first else (lambda href: "#")
        made = DeckSlides(self, lecture, number, rewrite, labels(self.course.lang))
        first = self.title_slide(made)
        for s_index, section in enumerate(lecture.sections, 1):
            self.section_slides(made, section, s_index)
        if questions:
            self.questions_slide(made, questions)
        self.references_slides(made, chunks)
        return DeckView(lecture_id=lecture.id, title=first.title, plain_title=self.text(lecture.title),
                        course_title=self.text(self.course.title),
                        author=self.course.author, date_label=date_label(self.course.date, self.course.lang),
                        lang=self.course.lang, duration=lecture.duration, slides=made.slides,
                        references_slide=refs_first, embed_origins=list(self.course.embed_origins),
                        media=lecture_media(lecture))

    def reference_chunks(self, lecture: Lecture) -> list[list[BibEntry]]:
        """The entries the lecture cites, split over as many references slides as they need."""
        lm = self.marks.lectures[lecture.id]
        cited = [item.key for c in lm.clusters for item in c.items]
        references = self.entries(cited)
        return split_references(references) if references else []

    def title_slide(self, made: DeckSlides) -> SlideView:
        """Slide 1: the lecture's title, the course's details, the summary as speaker notes."""
        lecture = made.lecture
        title_notes, title_ctx = made.next_notes()
        meta = {"course": str(self.html(self.course.title, title_ctx)), "author": escape(self.course.author),
                "date": date_label(self.course.date, self.course.lang),
                "institution": escape(self.course.institution), "lecture": made.words["lecture"].format(n=made.number)}
        first = made.new("title", self.html(lecture.title, title_ctx), subtitle=self.html(lecture.subtitle, title_ctx),
                         meta={k: Markup(v) for k, v in meta.items()}, notes=self.html(lecture.summary, made.notes_ctx))
        first.footnotes = title_notes.items
        return first

    def section_slides(self, made: DeckSlides, section: Section, s_index: int) -> None:
        """A section's opener, then its slides (their figures numbered through the lecture)."""
        sec_notes, sec_ctx = made.next_notes()
        section_title = self.html(section.title, sec_ctx)
        opener = made.new("section", section_title, subtitle=Markup(made.words["part"].format(n=s_index)),
                          section=section_title)
        opener.footnotes = sec_notes.items
        for slide in section.slides:
            notes, ctx = made.next_notes()
            figure = None
            if slide.has_figure():
                made.figures += 1
                figure = series_steps(self.figure(slide, f"{made.number}.{made.figures}", ctx, on_slide=True), slide)
            quote = None
            if slide.quote is not None:
                quote = QuoteView(self.html(slide.quote.text, ctx), bare_citation(self.html(slide.quote.source, ctx)))
            view = made.new("content", self.html(slide.title, ctx), section=section_title,
                            points=self.points(slide.points, ctx, slide.build),
                            steps=slide_steps(slide), quote=quote, figure=figure,
                            timeline=self.timeline_span(slide, ctx), notes=self.html(slide.notes, made.notes_ctx),
                            body=self.slide_body(slide, ctx))
            layouts.add_layout(self, made, slide, view, ctx)  # columns, picture rows, background (issue 18)
            view.footnotes = notes.items

    def questions_slide(self, made: DeckSlides, questions: list[Md]) -> None:
        """One slide with every section's questions."""
        notes, ctx = made.next_notes()
        q = made.new("questions", escape(made.words["questions"]), questions=[self.html(x, ctx) for x in questions])
        q.footnotes = notes.items

    def references_slides(self, made: DeckSlides, chunks: list[list[BibEntry]]) -> None:
        """The references, a slide per chunk ("References (2 of 3)")."""
        words = made.words
        for i, chunk in enumerate(chunks):
            title = words["references"] if len(chunks) == 1 else \
                f"{words['references']} ({i + 1} {words['of']} {len(chunks)})"
            made.new("references", escape(title), references=chunk)

    # ---- the guide -----------------------------------------------------------------------
    def chapter(self, lecture: Lecture, number: int) -> Chapter:
        notes = Notes(str(number), "guide")
        ctx = self.ctx(lecture, notes.add, print_math=True)
        title = self.html(lecture.title, ctx)
        chapter = Chapter(number=number, id=lecture.id, title=title, plain_title=self.text(lecture.title),
                          subtitle=self.html(lecture.subtitle, ctx), summary=self.html(lecture.summary, ctx),
                          objectives=[self.html(o, ctx) for o in lecture.objectives], sections=[], questions=[],
                          further_reading=self.entries([k for k, _ in lecture.further_reading]),
                          footnotes=notes.items)
        figure_no = table_no = 0
        for s_index, section in enumerate(lecture.sections, 1):
            s_title = self.html(section.title, ctx)
            reading = self.html(section.reading, ctx) if section.reading else None
            key_points, figures = [], []
            for slide in section.slides:
                point = PointView(self.html(slide.title, ctx), self.points(slide.points, ctx))
                key_points.append(point)
                fig = None
                if slide.has_figure():
                    figure_no += 1
                    fig = self.figure(slide, f"{number}.{figure_no}", ctx)
                    if fig is not None:
                        figures.append(layouts.sized(fig, slide))
                more, figure_no = layouts.guide_figures(self, slide, number, figure_no, ctx)  # issue 18
                figures += more
                fig = fig or (more[0] if more else None)
                if slide.columns and not point.children:
                    point.children = layouts.column_points(self, slide, ctx)
                if slide.table is not None and slide.table.table is not None:
                    table_no += 1  # tables count apart from figures: "Table 2.1" beside "Figure 2.1"
                    t = slide.table
                    figures.append(Figure("table", f"{number}.{table_no}", f"tab-{number}-{table_no}",
                                          Markup(table_html(t.table, t.align)), "", caption=self.html(t.caption, ctx),
                                          source=self.html(t.source, ctx)))
                    fig = figures[-1]  # a table-only slide's key point links to its table
                if not point.children:
                    point.children = in_brief(slide, fig, lambda md: self.html(md, ctx), self.course.lang)
            chapter.sections.append(GuideSection(
                number=f"{number}.{s_index}", id=f"sec-{number}-{s_index}", title=s_title,
                plain_title=self.text(section.title), reading=reading, key_points=key_points, figures=figures,
                questions=[self.html(q, ctx) for q in section.questions]))
        return chapter

    def guide(self) -> GuideView:
        ctx = self.ctx(None, Notes("0", "guide").add, print_math=True)
        title = self.html(self.course.title, ctx)
        lecture_titles = {lec.id: self.text(lec.title) for lec in self.course.lectures}
        chapters = [self.chapter(lecture, i) for i, lecture in enumerate(self.course.lectures, 1)]
        chronology = [self.timeline_entry(e, ctx) for e in _chronological(self.course.timeline)]
        glossary = [GlossaryView(g.term, self.html(g.definition, ctx), g.lecture, lecture_titles.get(g.lecture, ""))
                    for g in sorted(self.course.glossary, key=lambda g: (g.sort or g.term).casefold())]
        return GuideView(title=title, plain_title=self.text(self.course.title), subtitle=self.html(self.course.subtitle, ctx),
                         author=self.course.author, institution=self.course.institution, date=self.course.date,
                         date_label=date_label(self.course.date, self.course.lang), lang=self.course.lang,
                         paper=self.course.paper, chapters=chapters, chronology=chronology, glossary=glossary,
                         bibliography=list(self.citations.bibliography), names=self.names())

    def names(self) -> list[str]:
        """What print never hyphenates: the people of the bibliography, the glossary's terms and
        the course's own `names`."""
        found = names_in(self.course.bibliography) + [g.term for g in self.course.glossary] + self.course.names
        return sorted(set(found))

    def index(self, decks: dict[str, DeckView]) -> IndexView:
        ctx = self.ctx(None, _inline_notes)
        outputs = self.course.outputs
        links = []
        for i, lecture in enumerate(self.course.lectures, 1):
            deck = decks[lecture.id]
            slug = quote(lecture.id)  # a file named a#b.yaml must still link to slides/a%23b.html
            links.append(LectureLink(
                id=lecture.id, number=i, title=deck.title, subtitle=self.html(lecture.subtitle, ctx),
                duration=lecture.duration, slide_count=len(deck.slides),
                deck=f"slides/{slug}.html" if "deck" in outputs else None,
                handout=f"handouts/{slug}.pdf" if "handouts" in outputs else None,
                notes=f"handouts/{slug}-notes.pdf" if "notes" in outputs else None,
                slides_pdf=f"slides/{slug}.pdf" if "slides-pdf" in outputs else None,
                media=deck.media if "deck" in outputs else []))
        title = self.html(self.course.title, ctx)
        return IndexView(title=title, plain_title=self.text(self.course.title), subtitle=self.html(self.course.subtitle, ctx),
                         author=self.course.author, institution=self.course.institution,
                         date_label=date_label(self.course.date, self.course.lang), lang=self.course.lang,
                         lectures=links, guide="study-guide.pdf" if "guide" in outputs else None)


def _chronological(events: list) -> list:
    """Events by year; within a year in the order the timeline gives them (a year-only "2013"
    may stand for the year's end, so it is not put before "March 2013")."""
    return sorted(events, key=lambda e: e.year)


def _references_slide(lecture: Lecture, questions: list[Md], chunks: list) -> int | None:
    """The number of the first references slide (None without references): after the title,
    each section's opener and slides, and the questions."""
    count = 1 + sum(1 + len(s.slides) for s in lecture.sections) + (1 if questions else 0)
    return count + 1 if chunks else None


@dataclass
class DeckSlides:
    """A deck's slides as they are made, each numbered in turn, and how their Markdown is rendered."""

    resolver: Resolver
    lecture: Lecture
    number: int  # the lecture's
    rewrite: Callable[[str], str]  # citations link to the references slide
    words: dict[str, str]
    slides: list[SlideView] = field(default_factory=list)
    figures: int = 0  # figures numbered so far

    def __post_init__(self):
        self.notes_ctx = self.resolver.ctx(self.lecture, _inline_notes, self.rewrite)  # speaker notes

    def next_notes(self) -> tuple[Notes, RenderContext]:
        """The footnotes of the next slide, and the context that numbers them."""
        notes = Notes(f"slide-{len(self.slides) + 1}", "deck")
        return notes, self.resolver.ctx(self.lecture, notes.add, self.rewrite)

    def new(self, kind: str, title: Markup, **kw) -> SlideView:
        n = len(self.slides) + 1
        view = SlideView(number=n, kind=kind, id=f"slide-{n}", title=title, **kw)
        self.slides.append(view)
        return view


MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
        ".webp": "image/webp"}


def _image_body(image: Image) -> Markup:
    path = image.path
    assert path is not None
    if path.suffix.lower() == ".svg":
        return svg_image(path.read_text("utf-8", errors="replace"), label=image.alt)
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return Markup('<img src="data:{};base64,{}" alt="{}">').format(MIME[path.suffix.lower()], Markup(data), image.alt)


def resolver_for(course: Course, markup: MarkupParser, marks: CourseMarks,
                 citing: Future | None = None) -> Resolver:
    """Format every citation of the course in one batch (or take `citing`, from `cite_ahead`);
    the resolver then builds any view."""
    citations = citing.result() if citing is not None else _format(course, marks)
    return Resolver(course, markup, marks, citations)


def cite_ahead(course: Course, marks: CourseMarks) -> Future:
    """Start formatting the citations (a pandoc run, most of a second in a cold build) in a
    thread, so the caller does other work meanwhile; give the future to `resolver_for`."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(_format(course, marks))
        except BaseException as exc:  # raised again by resolver_for, in the caller's thread
            future.set_exception(exc)
    threading.Thread(target=run, name="lectern-cite", daemon=True).start()
    return future


def _format(course: Course, marks: CourseMarks):
    extra = [key for lecture in course.lectures for key, _ in lecture.further_reading]
    style = style_path(course.csl, course.root)
    return format_citations(course.bibliography, style, course.lang, marks.clusters, extra,
                            quotes=quotes_for(course.lang))


def resolve(course: Course, markup: MarkupParser, marks: CourseMarks, resolver: Resolver | None = None) -> Resolved:
    """Format every citation in one batch, then build the decks, the guide and the course page."""
    resolver = resolver or resolver_for(course, markup, marks)
    decks = {lec.id: resolver.deck(lec, i) for i, lec in enumerate(course.lectures, 1)}
    return Resolved(decks=decks, guide=resolver.guide(), index=resolver.index(decks))
