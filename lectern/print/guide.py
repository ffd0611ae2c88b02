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
earlier build (render.chapters) is neither laid out nor painted again. After each part
is laid out, every footnote is looked up on the laid-out pages; when a note was dropped or
pushed off its call's page, the paragraph ending that page is nudged (kept whole, so it starts
on the next page, see NUDGE; if that fails, the call's paragraph starts a new page, see PUSH)
and the part is laid out again, keeping the best layout.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import charts
from ..course.model import Pos
from ..problems import Problem
from ..text.view import Chapter, Footnote, GuideView
from .. import pdf
from ..theme.fonts import find_font, font_files
from ..text.labels import labels_for
from ..theme.templates import env_dirs

TEMPLATE = "guide/guide.html.j2"
MAX_ATTEMPTS = 5  # layouts of one part while footnotes are misplaced
RANGE_RE = re.compile(r"\d+[–—-]\d+")
BLOCK_RE = re.compile(r"<(p|li|dd|dt|blockquote|figcaption|h2|h3)(?=[\s>])")
# WeasyPrint 70 drops or pushes off a note when a paragraph has exactly one line left on a page
# (orphans) and it makes room for the second line by moving notes to the next page. For the
# block that ends such a page: no line-count rule, but kept whole, so it simply starts on the
# next page (costing the one or two lines that were left) and the notes stay with their calls.
NUDGE = "orphans: 1; widows: 1; break-inside: avoid;"
# When that is not enough (the call sits in the very block that ends the page), the block that
# holds the call starts a new page: a short page rather than a note away from its call.
PUSH = "break-before: page;"
# parts laid out with no folio (their HTML is the same wherever they land): the book draws
# their folios, laid out at assembly (`GuideRenderer.folios`)
FOLIO_FREE_KINDS = ("chapter", "appendix")


@dataclass
class Appendix:
    kind: str  # "chronology" | "glossary" | "bibliography"
    id: str
    title: str


@dataclass
class PartLayout:
    """One laid-out part of the book and where it lands."""

    kind: str  # "front" | "chapter" | "appendix" | "blank"
    key: str  # chapter id, appendix id, "front" or "blank"
    document: object  # weasyprint.Document (None for a part kept from an earlier build)
    first_folio: int = 1
    first_index: int = 0  # 0-based index of its first page in the whole PDF
    check: pdf.FootnoteCheck | None = None
    attempts: int = 1
    log: list[str] = field(default_factory=list)
    nudged: list[str] = field(default_factory=list)  # data-b numbers of the nudged blocks
    pushed: list[str] = field(default_factory=list)  # ... and of blocks that start a new page
    pages: int = 0  # its page count
    anchors: list[list[str]] = field(default_factory=list)  # each page's anchors (element ids)
    refused: list[str] = field(default_factory=list)  # URLs the part may not load
    pdf: pdf.PartPdf | None = None  # its pages painted, for the book (every part but the front)

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


def theme_roots(env: jinja2.Environment) -> list[Path]:
    """The template folders of the environment (course overrides first, then the theme)."""
    return env_dirs(env)


def fonts_dir(env: jinja2.Environment) -> Path | None:
    """The first template folder holding the bundled fonts (`{{ fonts }}` in a course's own
    guide.css written before `font_url`)."""
    for root in theme_roots(env):
        if (root / "fonts" / "LinLibertine_R.otf").is_file():
            return (root / "fonts").resolve()
    return None


def fonts_url(env: jinja2.Environment) -> str:
    """The URL of the first template folder holding the bundled fonts, ending in a slash."""
    folder = fonts_dir(env)
    return folder.as_uri() + "/" if folder else ""


def font_url_of(env: jinja2.Environment):
    """`font_url(name)` for guide.css: the URL of a font file found as the deck and the
    handouts find it (a course's own templates/fonts/ first), "" when there is none."""
    dirs = theme_roots(env)

    def font_url(name: str) -> str:
        path = find_font(str(name), dirs, system=False)
        return Markup(path.as_uri()) if path else Markup("")
    return font_url


def appendices_of(guide: GuideView, labels: dict[str, str]) -> list[Appendix]:
    found = []
    if guide.chronology:
        found.append(Appendix("chronology", "appendix-chronology", labels["chronology"]))
    if guide.glossary:
        found.append(Appendix("glossary", "appendix-glossary", labels["glossary"]))
    if guide.bibliography:
        found.append(Appendix("bibliography", "appendix-bibliography", labels["bibliography"]))
    return found


def extra_questions(chapter: Chapter) -> list[Markup]:
    """Chapter-level questions not already printed under a section."""
    seen = {str(q) for s in chapter.sections for q in s.questions}
    return [q for q in chapter.questions if str(q) not in seen]


def keep_ranges(html: object) -> Markup:
    """No line break inside a number range ("1959–1990"): such ranges go in a nowrap span."""
    parts = re.split(r"(<[^>]*>)", str(html))  # text between tags only, never attributes
    return Markup("".join(part if part.startswith("<") else
                          RANGE_RE.sub(r'<span class="nobr">\g<0></span>', part) for part in parts))


NOTE_RE = re.compile(r'<span class="footnote" id="([^"]+)"[^>]*>')
SPAN_RE = re.compile(r"<span\b|</span>")


def _note_spans(html: str):
    """(start, end) of each outermost footnote span in `html`."""
    pos = 0
    for match in NOTE_RE.finditer(html):
        if match.start() < pos:
            continue
        depth = 0
        for tag in SPAN_RE.finditer(html, match.start()):
            depth += 1 if tag.group() == "<span" else -1
            if depth == 0:
                pos = tag.end()
                yield match.start(), pos
                break
        else:
            return


def without_notes(html: object) -> Markup:
    """A title without the footnotes it calls (for the contents, running heads, bookmarks)."""
    text, out, pos = str(html), [], 0
    for start, end in _note_spans(text):
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return Markup("".join(out))


def plain_text(html: object) -> str:
    """The text of an HTML fragment, footnotes left out."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", str(without_notes(html)))).strip()


def link_note_calls(html: str) -> str:
    """After each footnote, an empty link laid over its call, pointing at the note (WeasyPrint
    makes links only of <a>, and a note holding citation links cannot sit inside one)."""
    out, pos = [], 0
    for start, end in _note_spans(html):
        note_id = NOTE_RE.match(html, start).group(1)
        out.append(html[pos:end])
        out.append(f'<a class="fn-link" href="#{note_id}" aria-label="note"></a>')
        pos = end
    out.append(html[pos:])
    return "".join(out)


def number_blocks(html: str) -> str:
    """Give every text block a data-b number, so the footnote check can name the block that
    holds a call or ends a page, and a retry can adjust exactly that block."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f'<{match.group(1)} data-b="{count}"'

    return BLOCK_RE.sub(number, html)


def with_nudges(html: str, blocks: list[str], pushed: list[str] | None = None) -> str:
    """The HTML with NUDGE applied to the numbered `blocks`, and PUSH to the `pushed` ones."""
    rules = []
    for found, rule in ((blocks, NUDGE), (pushed or [], PUSH)):
        if found:
            selector = ", ".join(f'[data-b="{b}"]' for b in sorted(set(found), key=int))
            rules.append(f"{selector} {{ {rule} }}")
    if not rules:
        return html
    return html.replace("</head>", f"<style>{' '.join(rules)}</style>\n</head>", 1)


class GuideRenderer:
    """Lays out the parts of one guide; kept as an object so tests can look at the parts."""

    def __init__(self, guide: GuideView, env: jinja2.Environment, roots: list[Path]):
        self.guide = guide
        self.roots = [Path(r) for r in roots] + theme_roots(env)
        self.base = Path(roots[0]) if roots else Path.cwd()
        self.labels = labels_for(guide.lang)
        self.appendices = appendices_of(guide, self.labels)
        self.env = env.overlay()
        self.env.filters["keep_ranges"] = keep_ranges
        self.env.filters["without_notes"] = without_notes
        self.env.filters["plain_text"] = plain_text
        self.template = self.env.get_template(TEMPLATE)
        self.fonts = fonts_url(env)
        self.font_url = font_url_of(env)
        self.programs = pdf.font_programs(list(font_files(theme_roots(env)).values()))  # embedded once for the whole book
        self.chapter_numbers = {c.id: c.number for c in guide.chapters}
        self.folio_pages: list = []  # for tests: the margin boxes of these pages are the body's folios

    def html(self, part: str, first_page: int | None = None, chapter: Chapter | None = None,
             appendix: Appendix | None = None, folios: dict[str, int] | None = None,
             folio_free: bool = False, folio_pages: list[str] | None = None) -> str:
        return charts.for_print(self.template.render(
            guide=self.guide, part=part, chapter=chapter, appendix=appendix,
            labels=self.labels, appendices=self.appendices, pages=folios or {},
            chapter_numbers=self.chapter_numbers, first_page=first_page,
            folio_free=folio_free, folio_pages=folio_pages or [],
            extra_questions=extra_questions(chapter) if chapter else [],
            fonts=Markup(self.fonts), font_url=self.font_url, paper=Markup("letter" if self.guide.paper.lower() == "letter" else "A4"),
        ))

    def chapter_html(self, chapter: Chapter) -> str:
        """A chapter's HTML: the same wherever it lands (no folio: see `folios`)."""
        return self.html("chapter", chapter=chapter, folio_free=True)

    def appendix_html(self, appendix: Appendix) -> str:
        return self.html("appendix", appendix=appendix, folio_free=True)

    def layout(self, kind: str, key: str, html: str, notes: list[Footnote],
               first_folio: int = 1) -> PartLayout:
        """Lay out one part of the body and paint it for the book (`pdf.write_part`); a chapter's
        or appendix's pages get a slot for the folio the book draws on them."""
        part = self.lay_out(kind, key, html, notes, first_folio).described()
        part.pdf = pdf.write_part(part.document, self.programs, folio_slots=kind in FOLIO_FREE_KINDS)
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
                first_folio: int = 1) -> PartLayout:
        """Lay out one part; while notes are lost or moved, nudge the blocks around their page
        ends and lay it out again (at most MAX_ATTEMPTS times), keeping the best layout."""
        ids = [n.id for n in notes]
        if ids:
            html = number_blocks(link_note_calls(html))
        nudged: list[str] = []
        pushed: list[str] = []
        best: PartLayout | None = None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            log: list[str] = []
            document = pdf.render(with_nudges(html, nudged, pushed), self.base, self.roots, log=log)
            check = pdf.check_footnotes(document, ids)
            part = PartLayout(kind, key, document, first_folio, check=check, log=log,
                              nudged=sorted(set(nudged), key=int), pushed=sorted(set(pushed), key=int))
            if best is None or _score(check) < _score(best.check):
                best = part
            bad = check.lost + check.moved
            if not bad:
                break
            tried = (len(set(nudged)), len(set(pushed)))
            for place in bad:
                target = place.page_end_block or place.call_block
                if target and target not in nudged:
                    nudged.append(target)
                elif place.call_block and place.call_block not in pushed:
                    pushed.append(place.call_block)  # nudged already: start the call's block anew
            if (len(set(nudged)), len(set(pushed))) == tried:
                break  # nothing new to try
        best.attempts = attempt
        return best


def _score(check: pdf.FootnoteCheck) -> tuple[int, int, int]:
    return (len(check.lost), len(check.overlapping), len(check.moved))


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
