"""The study guide's page as a book designer reads it: the measure, hyphenation, the key points,
page bottoms, the small things a reader sees, and alternative text in the PDF.

Line positions come from `pdftotext -bbox-layout` (poppler); the laid-out boxes from the guide's
parts. The bundled course is laid out once on A4 and once on letter.
"""
from __future__ import annotations

import dataclasses
import html
import io
import os
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from lectern.pipeline import check
from lectern.print.guide import GuideRenderer, render_guide
from lectern.text.resolve import resolve
from lectern.theme.templates import make_env

pytestmark = pytest.mark.pdf

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
MM = 72 / 25.4  # PDF points per millimetre
TEXT_SIZE = 11.25  # the reading's type size in points (15px)

if not shutil.which("pdftotext") and not os.environ.get("CI"):
    pytest.skip("poppler-utils (pdftotext) is not installed", allow_module_level=True)


@dataclass
class Line:
    text: str
    x0: float  # points from the page's top-left corner
    y0: float
    x1: float
    y1: float
    words: list[tuple[str, float, float, float, float]]

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Laid:
    course: object
    guide: object
    result: object
    pdf: Path
    lines: list[list[Line]]  # each page's lines (pdftotext -bbox-layout)
    texts: list[str]


def bbox_lines(pdf: Path) -> list[list[Line]]:
    """Every line of every page, with its words, from poppler's -bbox-layout."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        lines = []
        for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                             page, re.S):
            words = [(html.unescape(w[4]), *map(float, w[:4])) for w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', m[5])]
            text = " ".join(w[0] for w in words)
            lines.append(Line(text, *map(float, m.groups()[:4]), words))
        pages.append(lines)
    return pages


def rows(lines: list[Line]) -> list[Line]:
    """Lines that share a baseline joined into one (poppler splits a line at a wide gap)."""
    joined: list[Line] = []
    for line in sorted(lines, key=lambda ln: (round(ln.y1), ln.x0)):
        if joined and abs(joined[-1].y1 - line.y1) < 1 and line.x0 > joined[-1].x1:
            last = joined[-1]
            joined[-1] = Line(f"{last.text} {line.text}", last.x0, min(last.y0, line.y0), line.x1,
                              max(last.y1, line.y1), last.words + line.words)
        else:
            joined.append(line)
    return joined


def lay_out(tmp: Path, paper: str | None = None) -> Laid:
    checked = check(CONTENT)
    resolved = resolve(checked.course, checked.markup, checked.marks)
    guide = resolved.guide if paper is None else dataclasses.replace(resolved.guide, paper=paper)
    result = render_guide(guide, make_env(checked.course.templates), [checked.course.root])
    path = tmp / f"guide-{guide.paper}.pdf"
    path.write_bytes(result.pdf)
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    return Laid(checked.course, guide, result, path, bbox_lines(path),
                [page.extract_text() or "" for page in reader.pages])


@pytest.fixture(scope="module")
def a4(tmp_path_factory) -> Laid:
    return lay_out(tmp_path_factory.mktemp("a4"))


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Laid:
    return lay_out(tmp_path_factory.mktemp("letter"), "letter")


def body_pages(laid: Laid) -> range:
    """0-based indexes of the chapters' pages (not the front matter, not the appendices)."""
    first = laid.result.front_pages
    chapters = [p for p in laid.result.parts if p.kind == "chapter"]
    last = max(p.first_index + p.pages for p in chapters)
    return range(first, last)


def reading_lines(laid: Laid) -> list[Line]:
    """The lines of running text set full out (justified, not a paragraph's last): lines at the
    reading's size that reach the right edge of their page's text block."""
    found = []
    for index in body_pages(laid):
        lines = [ln for ln in laid.lines[index] if abs(ln.height - 12.8) < 0.3 and len(ln.words) > 3]
        if not lines:
            continue
        right = max(ln.x1 for ln in lines)
        left = min(ln.x0 for ln in lines)
        found += [ln for ln in lines if right - ln.x1 < 1.5 and ln.x0 - left < 1.5]
    return found


# --- 1. the measure -------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_measure_is_a_books_sixty_to_seventy_characters(paper, request):
    laid = request.getfixturevalue(paper)
    lines = reading_lines(laid)
    assert len(lines) > 200
    lengths = [len(ln.text) for ln in lines]
    assert 60 <= statistics.median(lengths) <= 72, statistics.median(lengths)
    assert max(lengths) <= 80, max(lines, key=lambda ln: len(ln.text)).text
    width = statistics.median(ln.x1 - ln.x0 for ln in lines) / MM
    assert 113 <= width <= 121, f"text block {width:.1f} mm wide"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_outer_and_foot_margins_are_the_larger(paper, request):
    laid = request.getfixturevalue(paper)
    reader = pypdf.PdfReader(laid.pdf)
    for index in list(body_pages(laid))[1:5]:
        page_width = float(reader.pages[index].mediabox.width)
        lines = [ln for ln in laid.lines[index] if abs(ln.height - 12.8) < 0.3]
        left, right = min(ln.x0 for ln in lines), page_width - max(ln.x1 for ln in lines)
        folio = index - laid.result.front_pages + 1
        inner, outer = (left, right) if folio % 2 else (right, left)
        assert outer > 1.6 * inner, (folio, inner / MM, outer / MM)


# --- 5. small things: the contents' leaders ------------------------------------------------------

def test_contents_leaders_stand_clear_of_the_entry_and_end_together(a4):
    contents = next(i for i, text in enumerate(a4.texts) if text.strip().startswith("Contents"))
    entries = [ln for ln in rows(a4.lines[contents]) if ln.words[-1][0].isdigit() and "." in [w[0] for w in ln.words]]
    assert len(entries) == sum(1 + len(c.sections) for c in a4.guide.chapters) + 3  # and the appendices
    last_dots, folio_ends = set(), set()
    for line in entries:
        texts = [w[0] for w in line.words]
        first_dot = texts.index(".")
        entry_end, dot_start = line.words[first_dot - 1][3], line.words[first_dot][1]
        assert not texts[first_dot - 1].endswith("."), f"a dot touches the entry: {line.text!r}"
        assert dot_start - entry_end >= 1.5 * MM, f"leader {dot_start - entry_end:.1f} pt from {line.text!r}"
        last_dots.add(round(line.words[-2][3]))
        folio_ends.add(round(line.words[-1][3]))
    assert len(last_dots) == 1, f"leaders end at {sorted(last_dots)}"
    assert len(folio_ends) == 1, f"folios end at {sorted(folio_ends)}"


# --- 2. hyphenation and breaks -------------------------------------------------------------------

HYPHEN = "\u2010"


def breaks(laid: Laid) -> list[tuple[str, str, int]]:
    """(the part before the hyphen, the part after, the 0-based page) of every word broken at a
    line's end in the chapters, in reading order; ("", "", page) for a line not broken."""
    found = []
    for index in body_pages(laid):
        lines = [ln for ln in laid.lines[index] if abs(ln.height - 12.8) < 0.3]
        for line, following in zip(lines, lines[1:] + [None]):
            last = line.words[-1][0]
            if last.endswith(HYPHEN) and following is not None:
                head = re.search(r"[^\W\d_]+$", last[:-1])
                tail = re.match(r"[^\W\d_]+", following.words[0][0])
                found.append((head.group() if head else "", tail.group() if tail else "", index))
            else:
                found.append(("", "", index))
    return found


def course_names() -> list[str]:
    """The bundled course's names: the bibliography's people, the glossary's terms, `names:`."""
    import yaml

    people = yaml.safe_load((CONTENT / "references.yaml").read_text("utf-8"))
    found = [p.get(part, "") for entry in people for p in entry.get("author", []) for part in ("family", "given")]
    found += [g["term"] for g in yaml.safe_load((CONTENT / "glossary.yaml").read_text("utf-8"))]
    return found + yaml.safe_load((CONTENT / "course.yaml").read_text("utf-8")).get("names", [])


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_name_breaks_and_every_break_leaves_three_letters_a_side(paper, request):
    laid = request.getfixturevalue(paper)
    names = {w for name in course_names() for w in re.findall(r"[^\W\d_]+", name)}
    assert {"Gonzalez", "Cushion", "Morales", "Batista"} <= names
    broken = [(head, tail) for head, tail, _ in breaks(laid) if head]
    assert len(broken) > 20, "the reading is still hyphenated"
    assert [head + tail for head, tail in broken if head + tail in names] == []
    assert [f"{head}-{tail}" for head, tail in broken if len(head) < 3 or len(tail) < 3] == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_paragraph_ends_on_a_line_of_a_few_characters(paper, request):
    laid = request.getfixturevalue(paper)
    short = [ln.text for index in body_pages(laid) for ln in laid.lines[index]
             if abs(ln.height - 12.8) < 0.3 and len(ln.text) < 10 and not re.fullmatch(r"[\d.]+", ln.text)]
    assert short == []


def hyphen_ladders(pages: list[list[Line]]) -> list[str]:
    """The lines that end a third hyphenated line in a row (same column, same page)."""
    found = []
    for lines in pages:
        run = 0
        for line in lines:
            run = run + 1 if line.words[-1][0].endswith(HYPHEN) else 0
            if run > 2:
                found.append(line.text)
    return found


LONG_WORDS = ("administration", "revolutionary", "responsibilities", "internationalism", "organisation",
              "collectivisation", "industrialisation", "bureaucratic", "representatives", "contradictions",
              "the", "of", "and", "cooperatives", "mobilisation", "nationalisation", "and", "a")


def test_never_more_than_two_hyphenated_lines_in_a_row(tmp_path: Path):
    """Prose of long words, where a line ends in a hyphen more often than not."""
    import random

    from markupsafe import Markup
    from guide_fixture import make_guide

    guide = make_guide(chapters=1, seed=3)
    rng = random.Random(5)
    for section in guide.chapters[0].sections:
        section.reading = Markup("".join(
            "<p>" + " ".join(rng.choice(LONG_WORDS) for _ in range(rng.randint(60, 120))) + ".</p>"
            for _ in range(4)))
    path = tmp_path / "guide.pdf"
    path.write_bytes(render_guide(guide, make_env(None), [tmp_path]).pdf)
    pages = bbox_lines(path)
    assert sum(line.words[-1][0].endswith(HYPHEN) for lines in pages for line in lines) > 20
    assert hyphen_ladders(pages) == []


def test_the_bad_breaks_seen_are_gone_and_names_stay_whole():
    from lectern.print.hyphenate import Hyphenator

    hy = Hyphenator("en-GB", names=["Andrew Pettegree", "Steve Cushion", "zapatismo"])
    shown = {w: hy.word(w).replace("\u00ad", "-") for w in (
        "directions", "bureaucracy", "rested", "practicalities", "managerial", "Pettegree", "Cushion’s",
        "zapatismo", "Gonzalez", "working-class", "revolution")}
    assert shown == {"directions": "direc-tions", "bureaucracy": "bureau-cracy", "rested": "rested",
                     "practicalities": "prac-ti-cal-i-ties", "managerial": "man-age-rial",
                     "Pettegree": "Pettegree", "Cushion’s": "Cushion’s", "zapatismo": "zapatismo",
                     "Gonzalez": "Gonzalez", "working-class": "working-class", "revolution": "rev-o-lu-tion"}
    whole = hy.html("<p>It was told by the guerrillas in directions.</p>")
    assert "direc\u00adtions" not in whole and "guer\u00adril\u00adlas" in whole  # the last word whole
    tied = hy.html("<p>The story the guerrillas told of it.</p>")  # "of it." alone: too short a line
    assert "guerrillas told\u00a0of\u00a0it." in tied.replace("\u00ad", "")
    assert "told\u00a0of\u00a0it." in tied  # the last words together, none of them broken


def test_hyphenation_patterns_are_parsed_once_and_read_back_by_the_next_process(tmp_path: Path, monkeypatch):
    """A worker that hyphenates finds the language's patterns parsed by an earlier process in the
    user's cache folder (0.1 s of parsing each time otherwise), and breaks words as parsed ones do;
    a kept file that cannot be read is parsed again and replaced."""
    import pyphen

    from lectern.print import hyphenate

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    words = ("directions", "bureaucracy", "practicalities", "revolution", "harvest")

    def fresh_process() -> dict[str, str]:
        monkeypatch.setattr(pyphen, "hdcache", {})
        hyphenate._dictionary.cache_clear()
        hy = hyphenate.Hyphenator("en-GB")
        return {w: hy.word(w) for w in words}

    parsed = []
    real = pyphen.HyphDict.__init__
    monkeypatch.setattr(pyphen.HyphDict, "__init__", lambda self, path: parsed.append(path) or real(self, path))
    first = fresh_process()
    kept = list((tmp_path / "cache" / "lectern" / "hyphenation").glob("*.pkl"))
    assert len(parsed) == 1 and len(kept) == 1
    assert fresh_process() == first and len(parsed) == 1  # read back, not parsed
    assert first["revolution"] == "rev\u00ado\u00adlu\u00adtion"
    kept[0].write_bytes(b"not a pickle")
    assert fresh_process() == first and len(parsed) == 2  # parsed again ...
    assert fresh_process() == first and len(parsed) == 2  # ... and kept again
    hyphenate._dictionary.cache_clear()


def test_the_course_names_list_is_read_and_a_wrong_one_is_an_error_naming_its_line(tmp_path: Path):
    import shutil as sh

    from lectern.course.load import load_course

    course = tmp_path / "course"
    sh.copytree(REPO / "tests" / "fixtures" / "mini", course)
    text = (course / "course.yaml").read_text("utf-8")
    (course / "course.yaml").write_text(text + "names: [Zapatero, de la Peña]\n", "utf-8")
    loaded, problems = load_course(course)
    assert problems == [] and loaded.names == ["Zapatero", "de la Peña"]
    (course / "course.yaml").write_text(text + "names: Zapatero\n", "utf-8")
    _, problems = load_course(course)
    line = text.count("\n") + 1
    assert [(p.pos.line, p.message) for p in problems] == [
        (line, "names must be a list (lines starting with '- '), not text")]


# --- 3. key points ------------------------------------------------------------------------------

def _walk(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


def _body(page):
    from weasyprint.formatting_structure import boxes

    return [c for c in page._page_box.children if not isinstance(c, (boxes.MarginBox, boxes.FootnoteAreaBox))]


def _text(box) -> str:
    from weasyprint.formatting_structure import boxes

    return "".join(b.text for b in _walk(box) if isinstance(b, boxes.TextBox)).replace("\u00ad", "")


def key_point_lines(part):
    """(page index, line box, its li element, depth of the li in the box, bold) of every line in
    a key-points box of a laid-out part, in order."""
    from weasyprint.formatting_structure import boxes

    found = []
    for index, page in enumerate(part.document.pages):
        for root in _body(page):
            for aside in _walk(root):
                element = getattr(aside, "element", None)
                if element is None or element.tag != "aside" or isinstance(aside, boxes.LineBox):
                    continue
                for line in (b for b in _walk(aside) if isinstance(b, boxes.LineBox)):
                    if line.element.tag != "li":
                        continue
                    depth = sum(1 for e in aside.element.iter("li") if line.element in list(e.iter("li"))) 
                    bold = any(b.style["font_weight"] >= 700 for b in _walk(line) if isinstance(b, boxes.TextBox))
                    found.append((index, line, line.element, depth, bold))
    return found


@pytest.fixture(scope="module")
def mini_guide(tmp_path_factory):
    checked = check(REPO / "tests" / "fixtures" / "mini")
    resolved = resolve(checked.course, checked.markup, checked.marks)
    return resolved.guide, render_guide(resolved.guide, make_env(None), [checked.course.root])


def test_a_slide_of_only_a_chart_quotation_or_timeline_is_summed_up_under_its_title(mini_guide, a4):
    found = {}
    for laid in (mini_guide[1], a4.result):
        for part in laid.parts:
            if part.kind != "chapter":
                continue
            for _, line, li, depth, bold in key_point_lines(part):
                if depth == 1 and bold:
                    assert li.find("ul") is not None, f"a heading with nothing under it: {_text(line)!r}"
                if depth == 2:
                    found[_text(line)[:40]] = True
    said = " ".join(found)
    assert "The working class shaped the victory" in said  # the quotation, under "A quotation"
    assert "Figure 1.1" in said and "Figure 2.1" in said  # the charts
    assert "Chronology, 1953–1959" in said  # the bundled course's timeline slide


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    """The hand-built guide of many notes, figures and key points (tests/guide_fixture.py)."""
    from guide_fixture import make_guide

    guide = make_guide(chapters=2, seed=7)  # WeasyPrint alone splits three short boxes of it
    return render_guide(guide, make_env(None), [tmp_path_factory.mktemp("stress")])


def test_a_short_key_points_box_is_never_split_and_no_title_ends_a_page(a4, letter, stress):
    from weasyprint.formatting_structure import boxes

    for result in (a4.result, letter.result, stress):
        for part in [p for p in result.parts if p.kind == "chapter"]:
            lines = key_point_lines(part)
            for (index, line, li, _, bold), following in zip(lines, lines[1:]):
                if bold and li.find("ul") is not None:  # a slide's title over its points
                    assert following[0] == index, f"{_text(line)!r} ends page {index + 1} of {part.key}"
            pages_of: dict[int, set[int]] = {}
            asides = {}
            for index, page in enumerate(part.document.pages):
                for root in _body(page):
                    for box in _walk(root):
                        element = getattr(box, "element", None)
                        if (element is not None and element.tag == "aside" and not isinstance(box, boxes.LineBox)
                                and len(list(element.iter("li"))) <= 10):
                            pages_of.setdefault(id(element), set()).add(index)
                            asides[id(element)] = element
            split = [" ".join(asides[k].itertext())[:60] for k, pages in pages_of.items() if len(pages) > 1]
            assert split == [], f"short boxes split in {part.key}"


# --- 4. page bottoms ----------------------------------------------------------------------------

LINE_PX = 21  # the reading's line height


def blank_lines(page) -> int:
    """Whole blank lines between the last line of a page's body and its notes' rule (or its foot)."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box
    limit = box.content_box_y() + box.height
    for child in box.children:
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            limit = child.position_y + child.margin_top
    bottoms = [b.position_y + b.margin_height() for root in _body(page) for b in _walk(root)
               if isinstance(b, (boxes.LineBox, boxes.ReplacedBox))]
    bottoms += [b.position_y + b.margin_height() - b.margin_bottom for root in _body(page) for b in _walk(root)
                if getattr(b, "element_tag", None) == "aside" and isinstance(b, boxes.BlockBox)]  # a box's edge
    return int((limit - max(bottoms)) // LINE_PX) if bottoms else 0


def starts_with_figure(page) -> bool:
    from weasyprint.formatting_structure import boxes

    for root in _body(page):
        for box in _walk(root):
            element = getattr(box, "element", None)
            if element is not None and element.tag == "figure":
                return True
            if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
                return False
    return False


def short_pages(result, allow_figure: bool = True) -> list[str]:
    """Chapter pages (not a chapter's last) ending more than three lines above their notes."""
    found = []
    for part in [p for p in result.parts if p.kind == "chapter"]:
        pages = part.document.pages
        for n, (page, following) in enumerate(zip(pages, pages[1:]), 1):
            if blank_lines(page) > 3 and not (allow_figure and starts_with_figure(following)):
                found.append(f"{part.key} page {n}: {blank_lines(page)} blank lines")
    return found


def test_no_page_ends_more_than_three_lines_above_its_notes(a4, letter):
    assert short_pages(a4.result) == []
    assert short_pages(letter.result) == []


def test_a_figure_that_does_not_fit_floats_down_and_the_text_fills_the_page(tmp_path: Path):
    """A figure after readings of every length: wherever it falls, the page it leaves is full."""
    from markupsafe import Markup
    from guide_fixture import make_guide

    moved = 0
    for lines in range(8, 40, 3):
        guide = make_guide(chapters=1, seed=2, note_rate=0)
        chapter = guide.chapters[0]
        words = " ".join(["the revolution of the island turned on sugar and the harvest"] * 60)
        first, second = chapter.sections[0], chapter.sections[1]
        first.reading = Markup(f"<p>{' '.join(words.split()[:lines * 11])}.</p>")
        first.key_points, first.questions = [], []
        first.figures = first.figures[:1]
        second.reading = Markup("".join(f"<p>{words}.</p>" for _ in range(3)))
        chapter.summary, chapter.objectives = None, []
        result = render_guide(guide, make_env(None), [tmp_path])
        part = next(p for p in result.parts if p.kind == "chapter")
        assert short_pages(result, allow_figure=False) == [], f"{lines} lines before the figure"
        moved += bool(part.deferred)
    assert moved >= 2  # the figure floated down in some of them



def _one_figure_guide(lines: int, paragraphs: list[int]):
    """A one-chapter guide: `lines` lines of reading, one figure (the chapter's only float), then
    paragraphs of these numbers of words."""
    from markupsafe import Markup
    from guide_fixture import make_guide

    guide = make_guide(chapters=1, seed=2, note_rate=0)
    chapter = guide.chapters[0]
    words = " ".join(["the revolution of the island turned on sugar and the harvest"] * 60).split()
    first, second = chapter.sections[0], chapter.sections[1]
    first.reading = Markup(f"<p>{' '.join(words[:lines * 11])}.</p>")
    first.key_points, first.questions = [], []
    first.figures = first.figures[:1]
    second.reading = Markup("".join(f"<p>{' '.join(words[:n])}.</p>" for n in paragraphs))
    for later in chapter.sections[1:]:
        later.figures, later.key_points = [], []
    chapter.summary, chapter.objectives = None, []
    return guide


def test_a_figure_is_moved_past_as_many_short_paragraphs_as_fill_its_gap_in_one_more_layout(tmp_path: Path):
    """Short paragraphs after a figure that leaves a deep gap: the paragraphs it must be moved past
    are measured on the first layout, so the second fills the page (not one layout a paragraph)."""

    jumps = 0
    for lines in range(20, 34, 2):
        guide = _one_figure_guide(lines, [16] * 14)
        result = render_guide(guide, make_env(None), [tmp_path])
        part = next(p for p in result.parts if p.kind == "chapter")
        assert short_pages(result, allow_figure=False) == [], f"{lines} lines before the figure"
        if part.deferred:  # one layout stopped at the figure's page, one going on from the short page
            assert part.attempts + part.stops == 2, (lines, part.attempts, part.stops, part.deferred)
            jumps += 1
    assert jumps >= 2  # the figure left a gap deeper than one paragraph in some of them


def test_a_figure_is_moved_as_soon_as_the_layout_shows_its_short_page(tmp_path: Path, monkeypatch):
    """A figure that leaves an early page short is moved when the layout reaches the page after
    it, and the layout goes on from the short page: the chapter's later pages are laid out once,
    not once before the move and again after it."""
    from weasyprint.layout import page as wpage

    made = []
    original = wpage.remake_page
    monkeypatch.setattr(wpage, "remake_page", lambda index, *a: made.append(index) or original(index, *a))
    checked = 0
    for lines in range(20, 34, 2):
        guide = _one_figure_guide(lines, [660] * 8)  # pages of text after the figure
        chapter = guide.chapters[0]
        made.clear()
        renderer = GuideRenderer(guide, make_env(None), [tmp_path])
        part = renderer.lay_out("chapter", chapter.id, renderer.chapter_html(chapter), chapter.footnotes).described()
        chapter_pages = list(made)  # every page made while laying the chapter out
        if not part.deferred:
            continue
        checked += 1
        assert part.stops == 1 and part.attempts == 1 and part.short_pages == 0, (lines, part.stops, part.attempts)
        assert part.pages >= 8
        # the first layout stopped two pages after the short one; the second began at the short page
        assert len(chapter_pages) <= part.pages + 3, (lines, part.pages, chapter_pages)
        assert sorted(set(chapter_pages)) == list(range(part.pages)), chapter_pages
        if checked == 1:  # unwatched (a piece of a long chapter): moved after a whole layout
            whole = renderer.lay_out("chapter", chapter.id, renderer.chapter_html(chapter), chapter.footnotes,
                                     watched=False)
            assert (whole.stops, whole.attempts, whole.deferred) == (0, 2, part.deferred)
    assert checked >= 2  # the figure left its page short in some of them

# --- 5. small things a reader sees ----------------------------------------------------------------

def _plain(markup) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(markup or "")))


def test_a_source_or_attribution_is_the_bare_citation_not_one_in_parentheses(a4, mini_guide):
    sources = [_plain(f.source) for c in a4.guide.chapters for s in c.sections for f in s.figures if f.source]
    assert sources and not [s for s in sources if s.startswith("(")]
    assert "Source: Gonzalez 2016" in " ".join(" ".join(t.split()) for t in a4.texts)
    checked = check(REPO / "tests" / "fixtures" / "mini")
    deck = resolve(checked.course, checked.markup, checked.marks).decks["intro"]
    quote = next(s.quote for s in deck.slides if s.quote)
    assert _plain(quote.source) == "Cushion 2016, 145"  # written [@cushion2016, p. 145]


def test_the_bibliography_quotes_titles_as_the_text_quotes(a4):
    entries = [_plain(b.html) for b in a4.guide.bibliography]
    quoted = [e for e in entries if "“" in e]
    assert quoted, "the bundled bibliography has articles, their titles in quotation marks"
    assert [e for e in entries if re.search(r"(^|\s)‘", e)] == []  # the en-GB style's own single quotes
    assert "“The New Cuba: Myths and Realities”" in " ".join(entries)


def test_the_glossary_sorts_people_by_family_name_and_the_chronology_keeps_a_years_order(a4, tmp_path):
    terms = [g.term for g in a4.guide.glossary]
    assert terms.index("Fulgencio Batista") < terms.index("Carlos Lage") < terms.index("Eusebio Mujal") \
        < terms.index("Frank País") < terms.index("David Salvador")
    assert terms.index("Fulgencio Batista") < terms.index("Foco")  # B before F, not under F
    import shutil as sh

    course = tmp_path / "course"
    sh.copytree(REPO / "tests" / "fixtures" / "mini", course)
    (course / "timeline.yaml").write_text(
        '- date: "2013"\n  event: The year closes with the new migration law.\n'
        '- date: "2013-03"\n  event: A March event.\n'
        '- date: "1959-01"\n  event: Batista flees.\n', "utf-8")
    checked = check(course)
    events = [_plain(e.html) for e in resolve(checked.course, checked.markup, checked.marks).guide.chronology]
    assert events == ["Batista flees.", "The year closes with the new migration law.", "A March event."]


# --- 6. an accessible PDF ------------------------------------------------------------------------

def _course_with_pictures(tmp_path: Path) -> Path:
    """The mini course with a PNG and an SVG picture, each with its alt text."""
    import shutil as sh

    from PIL import Image

    course = tmp_path / "course"
    sh.copytree(REPO / "tests" / "fixtures" / "mini", course)
    (course / "images").mkdir()
    Image.new("RGB", (40, 30), "#3a6").save(course / "images" / "harbour.png")
    (course / "images" / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><rect width="80" height="40" fill="#69c"/></svg>',
        "utf-8")
    lecture = course / "lectures" / "second.yaml"
    lecture.write_text(lecture.read_text("utf-8") + (
        "      - title: The harbour\n"
        "        image: {src: images/harbour.png, alt: \"Havana harbour at dawn, ships at anchor\"}\n"
        "      - title: The island\n"
        "        image: {src: images/map.svg, alt: A map of Cuba with its provinces}\n"), "utf-8")
    return course


def _alts(data: bytes) -> tuple[list[str], int]:
    from test_pdf import struct_elems

    elements = struct_elems(pypdf.PdfReader(io.BytesIO(data)))
    return ([str(e.get("/Alt", "")) for e in elements if e["/S"] == "/Figure"],
            sum(e["/S"] == "/Note" for e in elements))


def test_every_picture_and_chart_has_its_alternative_text_in_the_guide_and_handouts(tmp_path: Path):
    from lectern.print import handout
    from lectern.theme.templates import theme_dirs

    course = _course_with_pictures(tmp_path)
    checked = check(course)
    resolved = resolve(checked.course, checked.markup, checked.marks)
    env = make_env(checked.course.templates)
    guide = render_guide(resolved.guide, env, [checked.course.root])
    alts, notes = _alts(guide.pdf)
    assert notes == sum(len(c.footnotes) for c in resolved.guide.chapters) > 0  # every note a Note
    assert "Havana harbour at dawn, ships at anchor" in alts and "A map of Cuba with its provinces" in alts
    assert any("white 63.8" in a and "black 34.2" in a for a in alts)  # the chart's values, not its title only
    assert "" not in alts
    roots = [checked.course.root, *theme_dirs(checked.course.templates)]
    alts, _ = _alts(handout.render_handout(resolved.decks["second"], env, roots, "A4"))
    assert "Havana harbour at dawn, ships at anchor" in alts and "A map of Cuba with its provinces" in alts
    assert any("white 63.8" in a for a in alts) and "" not in alts
