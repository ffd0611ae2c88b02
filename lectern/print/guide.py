"""The study guide: the course as a book, laid out part by part and checked note by note.

    result = render_guide(guide, env, roots=[course_dir], strict=False)
    result.pdf        # the PDF bytes (also when problems hold errors: the caller decides)
    result.problems   # lost/misplaced footnotes, refused resources (Problem, with positions)

The book is laid out in parts (front matter, each chapter, each appendix), each an HTML string
from templates/guide/guide.html.j2 given to WeasyPrint and painted into PDF objects of its own
(`pdf.write_part`); the parts are then joined into one tagged PDF (`pdf.write_book`): a chapter
starts on a right-hand page (a blank verso is put in when needed), its folios follow the
previous part's, and the contents (laid out last) prints the folios found. A chapter or
appendix is laid out with no folio (so its layout is the same wherever it lands); the folios of
the body are laid out at assembly on pages of their own and drawn over the parts' pages. A part kept from an
earlier build (print.chapters) is neither laid out nor painted again. After each part
is laid out, every footnote is looked up on the laid-out pages; when a note was dropped or
pushed off its call's page, the paragraph ending that page is nudged (kept whole, so it starts
on the next page, see NUDGE; if that fails, the call's paragraph starts a new page, see PUSH)
and the part is laid out again, keeping the best layout. A part laid out again starts from the
page before the first page its repairs touch: the pages before it are the last layout's
(pdf.Resume), byte for byte what laying it out whole gives.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import charts
from ..course.model import Pos
from ..problems import Problem
from ..text.view import Chapter, Footnote, GuideView
from .. import pdf
from ..theme.fonts import font_files
from ..text.labels import labels_for
from ..state import gcpolicy
from .chapterpieces import Piece, pieces_of
from .floats import number_floats, pushed_floats
from .hyphenate import Hyphenator, hyphenated_chapter
from .repairs import Repairs, first_page_of, score
from .watch import Watch
from .guidehtml import (Appendix, appendices_of, extra_questions, fit_code, font_url_of, fonts_url, keep_ranges,
                        link_note_calls, number_blocks, plain_text, point_count, theme_roots, with_nudges,
                        without_notes)
# the names callers import from here, wherever they now live
from .guidehtml import BLOCK_RE, NOTE_RE, NUDGE, PUSH, RANGE_RE, SPAN_RE, fonts_dir  # noqa: F401

TEMPLATE = "guide/guide.html.j2"
SHORT_BOX = 10  # key points (titles and points) in a box that is never split across pages
MAX_ATTEMPTS = 6  # layouts of one part while footnotes are misplaced, ladders or short pages remain
# parts laid out with no folio (their HTML is the same wherever they land): the book draws
# their folios, laid out at assembly (`GuideRenderer.folios`)
FOLIO_FREE_KINDS = ("chapter", "appendix")


@dataclass
class PartLayout:
    """One laid-out part of the book and where it lands."""

    kind: str  # "front" | "chapter" | "appendix" | "blank"
    key: str  # chapter id, appendix id, "front" or "blank"
    document: object  # weasyprint.Document (None for a part kept from an earlier build)
    first_folio: int = 1
    first_index: int = 0  # 0-based index of its first page in the whole PDF
    check: pdf.FootnoteCheck | None = None
    attempts: int = 1  # whole layouts (each possibly resumed from the last)
    stops: int = 0  # ... and layouts stopped early to move a float (print/watch)
    log: list[str] = field(default_factory=list)
    nudged: list[str] = field(default_factory=list)  # data-b numbers of the nudged blocks
    pushed: list[str] = field(default_factory=list)  # ... and of blocks that start a new page
    pages: int = 0  # its page count
    anchors: list[list[str]] = field(default_factory=list)  # each page's anchors (element ids)
    refused: list[str] = field(default_factory=list)  # URLs the part may not load
    pdf: pdf.PartPdf | None = None  # its pages painted, for the book (every part but the front)
    ladders: int = 0  # runs of more than two hyphenated lines left (print.hyphenate)
    short_pages: int = 0  # pages left short by a float that did not fit (print.floats)
    deferred: list[str] = field(default_factory=list)  # data-f numbers of the floats moved down

    def described(self) -> PartLayout:
        """Itself, with pages, anchors and refused URLs read from its document."""
        self.pages = len(self.document.pages)
        self.anchors = [list(page.anchors) for page in self.document.pages]
        self.refused = list(getattr(self.document.url_fetcher, "refused", []))
        return self


@dataclass
class GuideResult:
    pdf: bytes
    problems: list[Problem]
    pages: int = 0  # pages in the PDF
    front_pages: int = 0  # pages before chapter 1 (numbered i, ii, ...)
    folios: dict[str, int] = field(default_factory=dict)  # chapter/section/appendix id → page
    parts: list[PartLayout] = field(default_factory=list)
    folio_pages: list = field(default_factory=list)  # the laid-out pages of the body's folios, in order (for tests)


class GuideRenderer:
    """Lays out the parts of one guide; kept as an object so tests can look at the parts."""

    def __init__(self, guide: GuideView, env: jinja2.Environment, roots: list[Path]):
        self.guide = guide
        self.roots = [Path(r) for r in roots] + theme_roots(env)
        self.base = Path(roots[0]) if roots else Path.cwd()
        self.labels = labels_for(guide.lang)
        self.appendices = appendices_of(guide, self.labels)
        self.env = guide_env(env)
        self.template = self.env.get_template(TEMPLATE)
        self.fonts = fonts_url(env)
        self.font_url = font_url_of(env)
        self.programs = pdf.font_programs(list(font_files(theme_roots(env)).values()))  # embedded once for the whole book
        self.chapter_numbers = {c.id: c.number for c in guide.chapters}
        self.chapters_by_id = {c.id: c for c in guide.chapters}
        self.folio_pages: list = []  # for tests: the margin boxes of these pages are the body's folios
        self.hyphenator = Hyphenator(guide.lang, guide.names)

    def html(self, part: str, first_page: int | None = None, chapter: Chapter | None = None,
             appendix: Appendix | None = None, folios: dict[str, int] | None = None,
             folio_free: bool = False, folio_pages: list[str] | None = None, piece: Piece | None = None,
             questions: list[Markup] | None = None) -> str:
        return charts.for_print(fit_code(self.template.render(
            guide=self.guide, part=part, chapter=chapter, appendix=appendix, piece=piece,
            labels=self.labels, appendices=self.appendices, pages=folios or {},
            chapter_numbers=self.chapter_numbers, first_page=first_page,
            folio_free=folio_free, folio_pages=folio_pages or [], short_box=SHORT_BOX,
            extra_questions=questions if questions is not None else extra_questions(chapter) if chapter else [],
            fonts=Markup(self.fonts), font_url=self.font_url, paper=Markup("letter" if self.guide.paper.lower() == "letter" else "A4"),
        )))

    def chapter_html(self, chapter: Chapter, piece: Piece | None = None) -> str:
        """A chapter's HTML: the same wherever it lands (no folio: see `folios`); or one piece's
        of a chapter laid out in pieces (see `layout_pieces`)."""
        if piece is None:
            return self.html("chapter", chapter=hyphenated_chapter(chapter, self.hyphenator), folio_free=True)
        return self.html("chapter", chapter=hyphenated_chapter(piece.chapter, self.hyphenator), folio_free=True,
                         piece=piece, questions=extra_questions(chapter))

    def appendix_html(self, appendix: Appendix) -> str:
        return self.html("appendix", appendix=appendix, folio_free=True)

    def layout(self, kind: str, key: str, html: str, notes: list[Footnote],
               first_folio: int = 1) -> PartLayout:
        """Lay out one part of the body and paint it for the book (`pdf.write_part`); a chapter's
        or appendix's pages get a slot for the folio the book draws on them. A chapter too long
        to lay out at once is laid out in pieces (`layout_pieces`)."""
        chapter = self.chapters_by_id.get(key) if kind == "chapter" else None
        pieces = pieces_of(chapter) if chapter is not None else []
        if len(pieces) > 1:
            return self.layout_pieces(chapter, pieces, notes, first_folio)
        part = self.lay_out(kind, key, html, notes, first_folio).described()
        part.pdf = pdf.write_part(part.document, self.programs, folio_slots=kind in FOLIO_FREE_KINDS)
        return part

    def layout_pieces(self, chapter: Chapter, pieces: list[Piece], notes: list[Footnote],
                      first_folio: int) -> PartLayout:
        """A long chapter laid out piece by piece (print/chapterpieces), each piece on the side of
        the page it lands on, painted and let go before the next (so memory holds one piece's
        boxes), and joined into the chapter's one part."""
        done: list[PartLayout] = []
        pages = 0
        for index, piece in enumerate(pieces):
            html = self.chapter_html(chapter, replace(piece, left=pages % 2 == 1))
            own = [note for note in notes if f'"{note.id}"' in html]
            part = self.lay_out_piece(chapter.id, html, own, first_folio + pages)
            done.append(part)
            pages += part.pages
            gcpolicy.piece_done(index, every=1)
        return _joined(chapter.id, done, first_folio)

    def lay_out_piece(self, key: str, html: str, notes: list[Footnote], first_folio: int) -> PartLayout:
        """One piece of a long chapter laid out and painted, its document let go."""
        part = self.lay_out("chapter", key, html, notes, first_folio, watched=False).described()
        part.pdf = pdf.write_part(part.document, self.programs, folio_slots=True)
        part.document = None
        return part

    def body(self, chapters_only: bool = False) -> tuple[list[PartLayout], dict[str, int]]:
        """The chapters and appendices (or only the chapters, and the blank verso the first
        appendix would need), each opening on a right-hand page (a blank verso before it when
        needed), and the folio of each part and of each anchor in them."""
        parts: list[PartLayout] = []
        folios: dict[str, int] = {}
        folio = 1
        items: list[tuple[str, str, object]] = [("chapter", c.id, c) for c in self.guide.chapters]
        items += [("appendix", a.id, a) for a in self.appendices]
        for kind, key, item in items:
            if folio % 2 == 0:  # every chapter and appendix opens on a right-hand (odd) page
                parts.append(self.blank(folio))
                folio += 1
            if kind == "appendix" and chapters_only:
                break
            if kind == "chapter":
                part = self.layout(kind, key, self.chapter_html(item), item.footnotes, folio)
            else:
                part = self.layout(kind, key, self.appendix_html(item), [], folio)
            folios[key] = folio
            for index, anchors in enumerate(part.anchors):
                for anchor in anchors:
                    folios.setdefault(anchor, folio + index)
            parts.append(part)
            folio += part.pages
        return parts, folios

    def front(self, folios: dict[str, int]) -> PartLayout:
        """Title page, imprint and contents, which print the body's folios."""
        return self.layout("front", "front", self.html("front", folios=folios), [])

    def folios(self, body: list[PartLayout], pieces: list[int] | None = None) -> list[pdf.FolioPdf]:
        """The folios of the body's pages (1, 2, ... from the first chapter), laid out with the
        guide's own @page rules on pages holding nothing else, painted as one form a page.

        In two documents when the guide has appendices: the chapters' (with the blank verso
        before the first appendix), then the appendices', so that the chapters' folios can be
        laid out while the appendices still are (see pipeline.GuideChain). `pieces` paints only
        those of them (by index)."""
        kinds: list[str] = []
        first_appendix = None
        for part in body:
            if part.kind == "appendix" and first_appendix is None:
                first_appendix = len(kinds)
            if part.kind in FOLIO_FREE_KINDS:
                kinds += ["opener"] + ["page"] * (part.pages - 1)
            else:
                kinds += ["blank"] * part.pages
        runs = [(1, kinds)]
        if first_appendix:  # an appendix opens on a right-hand page: a document may start there
            runs = [(1, kinds[:first_appendix]), (first_appendix + 1, kinds[first_appendix:])]
        return [self.paint_folios(self.html("folios", folio_pages=run, first_page=first if first > 1 else None))
                for index, (first, run) in enumerate(runs) if pieces is None or index in pieces]

    def paint_folios(self, html: str) -> pdf.FolioPdf:
        document = pdf.render(html, self.base, self.roots)
        self.folio_pages += document.pages
        return pdf.write_folios(document, self.programs)

    def blank(self, first_folio: int = 1) -> PartLayout:
        """An empty page (a verso before a chapter that would open on the left), laid out and
        painted once (kept with the other parts when they are kept)."""
        if not hasattr(self, "_blank_part"):
            self._blank_part = self.layout("blank", "blank", self.html("blank"), [])
        known = self._blank_part
        return PartLayout("blank", "blank", known.document, first_folio, pages=known.pages,
                          anchors=known.anchors, refused=known.refused, pdf=known.pdf)

    def lay_out(self, kind: str, key: str, html: str, notes: list[Footnote],
                first_folio: int = 1, watched: bool = True) -> PartLayout:
        """Lay out one part; while notes are lost or moved, three lines in a row end in a hyphen
        or a float leaves a page short, repair the HTML (print.repairs) and lay it out again (at
        most MAX_ATTEMPTS times), keeping the best layout. The first floats that leave a page
        short are moved as the layout shows them (print/watch) unless not `watched` (a piece of
        a long chapter)."""
        ids = [n.id for n in notes]
        html = number_floats(number_blocks(link_note_calls(html) if ids else html))
        repairs = Repairs()
        best: PartLayout | None = None
        resume = None
        watch = Watch() if watched else Watch(most=0)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            html, document, log = self.watched(html, repairs, watch, resume)
            check = pdf.check_footnotes(document, ids)
            ladders = self.hyphenator.ladders(document)
            floats = pushed_floats(document)
            part = PartLayout(kind, key, document, first_folio, check=check, log=log,
                              nudged=sorted(set(repairs.nudged), key=int),
                              pushed=sorted(set(repairs.pushed), key=int),
                              ladders=len(ladders), short_pages=len(floats), deferred=list(repairs.deferred))
            if best is None or _score(part) < _score(best):
                best = part
            if not (check.lost or check.moved or ladders or floats):
                break
            html, tried = repairs.apply(html, check, ladders, floats, self.hyphenator, document)
            if not tried:
                break  # nothing new to try
            # the pages before the one before the first page a repair touches come out the same:
            # laid out again from there (pdf.Resume), the earlier pages are this layout's
            first = first_page_of(document, repairs.changed)
            resume = pdf.Resume(document, first - 1) if first is not None and first > 1 else None
        best.attempts, best.stops = attempt, watch.stops
        best.document.__dict__.pop("_lectern_layout", None)  # only the next attempt resumes from it
        return best

    def watched(self, html: str, repairs: Repairs, watch: Watch,
                resume: pdf.Resume | None) -> tuple[str, object, list[str]]:
        """Lay the part out whole (from `resume`), moving each float that leaves a page short as
        soon as the layout shows it (print/watch) and going on from the short page: the HTML
        laid out last, its document, and what WeasyPrint said while laying it out."""
        while True:
            log: list[str] = []
            watch.since = resume.page if resume is not None else 0
            document = pdf.render(repairs.html(html), self.base, self.roots, log=log, keep=True, resume=resume,
                                  stop=watch.stop if watch.watching else None)
            if not pdf.stopped(document):
                return html, document, log
            html, tried = repairs.apply(html, pdf.FootnoteCheck(), [], [watch.found], self.hyphenator, document)
            if tried:
                first = first_page_of(document, repairs.changed)
                page = first - 1 if first is not None else len(document.pages) - 1
            else:  # nothing after it to move it past: watch on from the page after it
                watch.stuck.add(watch.found.number)
                page = len(document.pages) - 1
            resume = pdf.Resume(document, page) if page > 0 else None


def _joined(key: str, pieces: list[PartLayout], first_folio: int) -> PartLayout:
    """The laid-out pieces of a chapter as the chapter's one part: pages, anchors, footnote
    places (their pages counted from the chapter's first) and painted pages one after the other."""
    check = pdf.FootnoteCheck()
    before = 0
    for piece in pieces:
        for note_id, place in piece.check.places.items():
            check.places[note_id] = replace(
                place, call_page=place.call_page + before if place.call_page is not None else None,
                note_page=place.note_page + before if place.note_page is not None else None)
        before += piece.pages
    return PartLayout("chapter", key, None, first_folio, check=check,
                      attempts=max(p.attempts for p in pieces), log=[line for p in pieces for line in p.log],
                      pages=before, anchors=[a for p in pieces for a in p.anchors],
                      refused=sorted({url for p in pieces for url in p.refused}),
                      pdf=pdf.join_parts([p.pdf for p in pieces]), ladders=sum(p.ladders for p in pieces),
                      short_pages=sum(p.short_pages for p in pieces))


def guide_env(env: jinja2.Environment) -> jinja2.Environment:
    """`env` with the guide's filters, made once for each environment (kept on it): a worker lays
    out many chapters, and an overlay made for each compiled the guide's template again (0.05 s)."""
    overlay = env.__dict__.get("_lectern_guide_env")
    if overlay is None or overlay.linked_to is not env:  # not one inherited by an overlay of env
        overlay = env.overlay()
        overlay.filters = dict(env.filters)  # Jinja's overlay shares the dict: keep the guide's its own
        overlay.filters.update(keep_ranges=keep_ranges, without_notes=without_notes, plain_text=plain_text,
                               point_count=point_count)
        env._lectern_guide_env = overlay
    return overlay


def _score(part: PartLayout) -> tuple[int, ...]:
    return score(part.check, part.ladders, part.short_pages)


def render_guide(guide: GuideView, env: jinja2.Environment, roots: list[Path],
                 strict: bool = False) -> GuideResult:
    """The study guide PDF and the problems found while laying it out."""
    r = GuideRenderer(guide, env, roots)
    parts, folios = r.body()
    folio_pdfs = r.folios(parts)
    front = r.front(folios)  # the front matter last: its contents print the folios found
    front_parts = [front]
    if front.pages % 2:
        front_parts.append(r.blank())
    parts = front_parts + parts

    pages = 0
    for part in parts:
        part.first_index = pages
        pages += part.pages
    front_count = sum(p.pages for p in front_parts)

    problems = _problems(guide, parts, strict)
    refused = sorted({url for p in parts for url in p.refused})
    for url in refused:
        problems.append(Problem(Pos(str(r.base), 1, 1),
                                f"the study guide may not load {url}: only files inside the "
                                "course and its theme are read", "warning" if not strict else "error"))

    meta = pdf.PdfMeta(title=plain_text(guide.title), authors=[guide.author],
                       lang=guide.lang, date=guide.date, subject=labels_for(guide.lang)["study_guide"])
    labels = [pdf.PageLabel(0, "r", 1)] + ([pdf.PageLabel(front_count, "D", 1)] if front_count < pages else [])
    data = pdf.write_book([p.pdf for p in parts], meta, page_labels=labels, programs=r.programs,
                          folios=folio_pdfs, folios_from=front_count)
    return GuideResult(data, problems, pages, front_count, folios, parts, r.folio_pages)


def _problems(guide: GuideView, parts: list[PartLayout], strict: bool) -> list[Problem]:
    problems: list[Problem] = []
    notes = {n.id: (c, n) for c in guide.chapters for n in c.footnotes}
    for part in parts:
        if part.kind != "chapter" or part.check is None:
            continue
        for place in part.check.places.values():
            chapter, note = notes[place.id]
            where = f"footnote {note.number} of chapter {chapter.number}"
            first = part.first_folio  # pages as printed (and as PDF viewers label them)
            if place.note_page is None:
                problems.append(Problem(note.pos, (
                    f"{where} is missing from the laid-out study guide (WeasyPrint dropped it near "
                    f"page {first + place.call_page - 1 if place.call_page else '?'}); "
                    "rewording the sentence that calls it or moving the call usually helps")))
            elif place.overlaps_body:
                problems.append(Problem(note.pos, (
                    f"{where} is too long for one page (it would be printed over the text on "
                    f"page {first + place.note_page - 1}); shorten it or move part of it into "
                    "the reading")))
            elif place.call_page is not None and place.note_page != place.call_page:
                gap = place.note_page - place.call_page
                message = (f"{where} is printed on page {first + place.note_page - 1}, "
                           f"{abs(gap)} page{'s' if abs(gap) != 1 else ''} "
                           f"{'after' if gap > 0 else 'before'} its call on page "
                           f"{first + place.call_page - 1}")
                severity = "warning" if gap == 1 and not strict else "error"
                problems.append(Problem(note.pos, message, severity))
    return problems
