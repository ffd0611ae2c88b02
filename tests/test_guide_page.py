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
from lectern.print.guide import render_guide
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
    tied = hy.html("<p>It was told by the guerrillas in directions.</p>")
    assert "in\u00a0directions." in tied and "direc\u00adtions" not in tied  # the last words whole, together


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
