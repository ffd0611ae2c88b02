"""Handouts, the presenter's script and the slides PDF of the fixture course, checked on the PDFs.

Positions come from `pdftotext -bbox` (poppler), page sizes and bookmarks from pypdf, the ruled
lines from the laid-out boxes and from the pixels of a rendered page.
"""
from __future__ import annotations

import html
import io
import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from lectern.pipeline import check
from lectern.problems import RenderError
from lectern.print import handout, knownfits, slidepages
from lectern.deck.deck import prepare
from lectern.theme.templates import make_env, theme_dirs
from lectern.text.resolve import resolve

pytestmark = pytest.mark.pdf

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini"
MM = 72 / 25.4  # PDF points per millimetre

if not shutil.which("pdftotext") and not os.environ.get("CI"):
    pytest.skip("poppler-utils (pdftotext) is not installed", allow_module_level=True)


@dataclass
class Word:
    text: str
    x0: float  # millimetres from the page's top-left corner
    y0: float
    x1: float
    y1: float


@dataclass
class Built:
    decks: dict
    env: object
    roots: list[Path]


@pytest.fixture(scope="module")
def built() -> Built:
    checked = check(FIXTURE)
    resolved = resolve(checked.course, checked.markup, checked.marks)
    env = make_env(checked.course.templates)
    return Built(resolved.decks, env, [checked.course.root, *theme_dirs(checked.course.templates)])


def _render(built: Built, make, lecture: str, paper: str = "A4") -> bytes:
    return make(built.decks[lecture], built.env, built.roots, paper)


@pytest.fixture(scope="module")
def handout_pdf(built, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("handout") / "intro.pdf"
    path.write_bytes(_render(built, handout.render_handout, "intro"))
    return path


@pytest.fixture(scope="module")
def notes_pdf(built, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("notes") / "intro-notes.pdf"
    path.write_bytes(_render(built, handout.render_notes, "intro"))
    return path


@pytest.fixture(scope="module")
def slides_pdf(built, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("slides") / "intro.pdf"
    path.write_bytes(_render(built, handout.render_slides_pdf, "intro"))
    return path


def words(pdf: Path) -> list[list[Word]]:
    """Every word of every page with its box in millimetres (poppler's pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages: list[list[Word]] = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        pages.append([Word(html.unescape(m[4]), float(m[0]) / MM, float(m[1]) / MM, float(m[2]) / MM,
                           float(m[3]) / MM)
                      for m in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                          r'yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def tokens(text: str) -> set[str]:
    return {t.casefold() for t in re.findall(r"\w+", text)}


def plain(markup) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", str(markup or "")))


def slide_text(slide) -> str:
    """What a slide shows in words: title, points, quote, footnotes, questions, references, timeline."""
    parts = [slide.title]

    def walk(points):
        for p in points:
            parts.append(p.html)
            walk(p.children)
    walk(slide.points)
    if slide.quote:
        parts += [slide.quote.html, slide.quote.source]
    parts += [f.html for f in slide.footnotes]
    parts += slide.questions
    parts += [r.html for r in slide.references]
    parts += [t.html for t in slide.timeline]
    if slide.figure and slide.figure.caption:
        parts.append(slide.figure.caption)
    return " ".join(plain(p) for p in parts if p)


def inside(found: list[Word], box: tuple[float, float, float, float], slack: float = 0.6) -> set[str]:
    left, top, right, bottom = box
    return {t for w in found
            if w.x0 >= left - slack and w.x1 <= right + slack and w.y0 >= top - slack and w.y1 <= bottom + slack
            for t in tokens(w.text)}


# --- the three-up handout ----------------------------------------------------------------------

def test_handout_has_three_slides_a_page(built, handout_pdf):
    reader = PdfReader(handout_pdf)
    slides = prepare(built.decks["intro"])
    assert len(reader.pages) == math.ceil(len(slides) / 3) == 4
    small = PdfReader(io.BytesIO(_render(built, handout.render_handout, "second")))
    assert len(small.pages) == 1  # three slides: one page


def test_each_slide_title_and_text_sit_in_its_cell_on_its_page(built, handout_pdf):
    g = handout.handout_geometry("A4")
    pages = words(handout_pdf)
    for r in prepare(built.decks["intro"]):
        k = r.number
        page, row = (k - 1) // 3, (k - 1) % 3
        box = g.cell_box(row)
        assert box[0] == g.margin_x and box[2] < 0.62 * g.paper.width, "slides sit down the left of the page"
        in_cell = inside(pages[page], box)
        want = tokens(slide_text(r.slide))
        assert tokens(plain(r.slide.title)) <= in_cell, f"title of slide {k} not in its cell"
        # all of it, inside the cell: text pushed past the slide's edge (clipped) would sit outside
        assert want <= in_cell, f"slide {k}: missing {sorted(want - in_cell)}"


def test_every_build_step_and_footnote_is_printed(built, handout_pdf):
    g = handout.handout_geometry("A4")
    pages = words(handout_pdf)
    steps = inside(pages[1], g.cell_box(0))  # slide 4, "Step by step", all three steps
    assert {"first", "second", "third"} <= steps
    note = inside(pages[0], g.cell_box(2))  # slide 3 calls a footnote
    assert {"told", "by", "the", "victors"} <= note


def test_header_names_course_and_lecture_and_pages_are_numbered(handout_pdf):
    pages = words(handout_pdf)
    for number, page in enumerate(pages, 1):
        head = " ".join(w.text for w in page if w.y1 < 19)
        foot = " ".join(w.text for w in page if w.y0 > 297 - 15)
        assert "SMALL COURSE ON TESTING" in head.upper()
        assert "The first lecture" in head and "Lecture 1" in head
        assert f"{number} / {len(pages)}" in foot


def test_slide_numbers_of_the_deck_label_each_cell(handout_pdf):
    g = handout.handout_geometry("A4")
    pages = words(handout_pdf)
    for k in range(1, 11):
        page, row = (k - 1) // 3, (k - 1) % 3
        left, top, right, _ = g.cell_box(row)
        label = [w.text for w in pages[page]
                 if top - g.label_h - 0.5 <= w.y0 and w.y1 <= top + 0.5 and w.x0 < left + 8]
        assert label[:1] == [str(k)], (k, label)


def test_ruled_lines_beside_each_slide_in_the_layout(built):
    g = handout.handout_geometry("A4")
    document = handout.handout_document("handout", built.decks["intro"], built.env, built.roots, "A4")
    px = 25.4 / 96
    for index, page in enumerate(document.pages):
        rules = [b for b in _walk(page._page_box)
                 if getattr(b, "element", None) is not None and "rule" in (b.element.get("class") or "").split()
                 and b.element_tag == "div"]
        rows = min(3, 10 - 3 * index)
        assert len(rules) == rows * g.lines, f"page {index + 1}"
        for rule in rules:
            left = rule.border_box_x() * px
            assert left >= g.cell_box(0)[2] + 2, "lines stand to the right of the slides"
            assert rule.border_width() * px > 40, "lines long enough to write on"
            assert rule.border_top_width > 0


def test_ruled_lines_run_from_the_slides_top_edge_to_its_bottom_edge(handout_pdf, tmp_path):
    """On the printed page: the first line level with the slide's top, the last with its bottom,
    evenly spaced about 8 mm apart (they started 8 mm low and two hung below the slide)."""
    from PIL import Image
    subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-gray", "-png", str(handout_pdf),
                    str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    g = handout.handout_geometry("A4")
    scale = 200 / 25.4
    x0, x1 = int((g.cell_box(0)[2] + g.gutter + 3) * scale), int((g.paper.width - g.margin_x - 3) * scale)
    for row in range(3):
        _, top, _, bottom = g.cell_box(row)
        ys = [y for y in range(int((top - 3) * scale), int((bottom + 12) * scale))
              if sum(1 for x in range(x0, x1, 4) if image.getpixel((x, y)) < 235) > 0.9 * len(range(x0, x1, 4))]
        lines = [y / scale for k, y in enumerate(ys) if k == 0 or y - ys[k - 1] > 1]
        assert abs(lines[0] - top) < 0.4 and abs(lines[-1] - bottom) < 0.4, (row, top, bottom, lines)
        gaps = [b - a for a, b in zip(lines, lines[1:])]
        assert max(gaps) - min(gaps) < 0.4 and 7 <= sum(gaps) / len(gaps) <= 9, gaps


def test_a_section_slide_keeps_its_number_on_paper(built, handout_pdf, tmp_path):
    """The number at the foot of a section slide (white on the accent colour) is drawn, not
    only present in the text layer."""
    from PIL import Image
    sections = [r.number for r in slidepages.prepare(built.decks["intro"]) if r.slide.kind == "section"]
    assert sections
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(handout_pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p*.png"))
    pages = words(handout_pdf)
    g = handout.handout_geometry("A4")
    for n in sections:
        index, row = (n - 1) // 3, (n - 1) % 3
        left, top, right, bottom = g.cell_box(row)
        found = [w for w in pages[index] if w.text == str(n) and w.x0 > (left + right) / 2 and w.y1 > bottom - 5]
        assert found, f"slide {n}: no number at its foot"
        w = found[0]
        image = Image.open(images[index]).convert("L")
        k = 150 / 25.4
        inside = [image.getpixel((x, y)) for x in range(int(w.x0 * k), int(w.x1 * k) + 1)
                  for y in range(int(w.y0 * k), int(w.y1 * k) + 1)]
        assert max(inside) - min(inside) > 100, f"slide {n}: its number is not drawn"


def test_ruled_lines_are_drawn_on_the_page(handout_pdf, tmp_path):
    from PIL import Image
    subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-gray", "-png", str(handout_pdf),
                    str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    g = handout.handout_geometry("A4")
    scale = 100 / 25.4
    x0, x1 = int((g.cell_box(0)[2] + g.gutter + 3) * scale), int((g.paper.width - g.margin_x - 3) * scale)
    y0, y1 = int(g.margin_top * scale), int((g.paper.height - g.margin_bottom) * scale)
    dark_rows = []
    for y in range(y0, y1):
        row = [image.getpixel((x, y)) for x in range(x0, x1)]
        dark_rows.append(sum(1 for v in row if v < 235) > 0.9 * len(row))
    runs = sum(1 for i, d in enumerate(dark_rows) if d and (i == 0 or not dark_rows[i - 1]))
    assert runs == 3 * g.lines


def test_letter_paper(built):
    reader = PdfReader(io.BytesIO(_render(built, handout.render_handout, "intro", "letter")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert len(reader.pages) == 4
    a4 = PdfReader(io.BytesIO(_render(built, handout.render_handout, "second", "A4"))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_unknown_paper_is_a_render_error(built):
    with pytest.raises(RenderError, match="paper"):
        _render(built, handout.render_handout, "second", "A5")


def test_charts_stay_vector(built, handout_pdf):
    reader = PdfReader(handout_pdf)
    page = reader.pages[2]  # slide 7, the line chart
    assert not page.images, "the chart is drawn, not pasted in as a picture"
    g = handout.handout_geometry("A4")
    assert {"1993", "2008", "wages", "pensions"} <= inside(words(handout_pdf)[2], g.cell_box(0))


def test_bookmarks_per_section(handout_pdf, slides_pdf):
    for pdf in (handout_pdf, slides_pdf):
        outline = PdfReader(pdf).outline
        top = [item.title for item in outline if not isinstance(item, list)]
        assert top == ["The first lecture", "Beginnings", "Numbers", "Questions for discussion", "References"]
        children = [item for item in outline if isinstance(item, list)]
        assert [c.title for c in children[0]] == ["3. Two stories of 1959", "4. Step by step", "5. A quotation"]
        assert [c.title for c in children[1]] == ["7. Real wages", "8. The years"]


# --- the presenter's script --------------------------------------------------------------------

def test_notes_one_slide_a_page_with_its_notes_beneath(built, notes_pdf):
    g = handout.notes_geometry("A4")
    pages = words(notes_pdf)
    slides = prepare(built.decks["intro"])
    assert len(PdfReader(notes_pdf).pages) == len(slides) == len(pages)
    slide_bottom = g.margin_top + g.label_h + g.slide_h
    for r, page in zip(slides, pages):
        top = {t for w in page if g.margin_top <= w.y0 and w.y1 <= slide_bottom + 0.5 for t in tokens(w.text)}
        below = {t for w in page if w.y0 > slide_bottom for t in tokens(w.text)}
        assert tokens(plain(r.slide.title)) <= top, r.number
        if r.slide.notes:
            assert tokens(plain(r.slide.notes)) <= below, r.number
    assert "room" in tokens(" ".join(w.text for w in pages[2]))  # "Ask the room which story they know."


# --- the slides PDF ----------------------------------------------------------------------------

def test_slides_pdf_is_one_slide_per_16_9_page(built, slides_pdf):
    reader = PdfReader(slides_pdf)
    slides = prepare(built.decks["intro"])
    assert len(reader.pages) == len(slides)
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w / h - 16 / 9) < 1e-4
        assert (round(w), round(h)) == (960, 540)
    pages = words(slides_pdf)
    for r, page in zip(slides, pages):
        assert tokens(slide_text(r.slide)) <= {t for w in page for t in tokens(w.text)}, r.number
        assert not any(w.text == f"{r.number}" and w.y0 > 540 / MM - 6 and abs(w.x0 - 1280 * 25.4 / 96 / 2) < 10
                       for w in page), "no page number of the print layout on a slide page"


def test_slides_pdf_ignores_paper(built):
    reader = PdfReader(io.BytesIO(_render(built, handout.render_slides_pdf, "second", "letter")))
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (960, 540)


def test_citations_link_to_the_references_slide(slides_pdf):
    reader = PdfReader(slides_pdf)
    quote = reader.pages[4]  # slide 5 cites Cushion
    links = [a.get_object() for a in quote.get("/Annots", [])]
    targets = [reader.get_destination_page_number(reader.named_destinations[str(link["/Dest"])])
               if "/Dest" in link and str(link["/Dest"]) in reader.named_destinations else None
               for link in links if link.get("/Subtype") == "/Link"]
    assert 9 in targets  # 0-based: slide 10, the references


# --- a course restyles its handouts -----------------------------------------------------------

def test_course_overrides_one_block_and_adds_css(built, tmp_path):
    (tmp_path / "handout").mkdir()
    (tmp_path / "handout" / "handout.html.j2").write_text(
        '{% extends "default/handout/handout.html.j2" %}\n'
        '{% block lines %}<div class="lines"><p>Your notes on slide {{ r.number }}</p></div>{% endblock %}\n')
    (tmp_path / "handout" / "custom.css").write_text(".print-handout .lines p { color: #006400; }")
    env = make_env(tmp_path)
    roots = [FIXTURE, *theme_dirs(tmp_path)]
    document = handout.handout_document("handout", built.decks["second"], env, roots, "A4")
    text = " ".join(handout.pdf.page_texts(document))
    assert "Your notes on slide 3" in text
    assert not [b for page in document.pages for b in _walk(page._page_box)
                if getattr(b, "element", None) is not None and "rule" in (b.element.get("class") or "").split()]
    assert "#006400" in handout.print_html("handout", built.decks["second"], env, roots, "A4")


def _walk(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


def test_long_speaker_notes_still_fit_one_page_a_slide(built):
    from dataclasses import replace

    from markupsafe import Markup
    deck = built.decks["second"]
    sentence = "The strike committees met every night in the union hall and argued about the next step. "
    long_notes = [Markup("<p>" + sentence * (n // len(sentence)) + "</p>") for n in (1300, 2100, 3500, 5300)]
    slides = [replace(deck.slides[2], notes=notes) for notes in long_notes]
    long_deck = replace(deck, slides=[replace(s, number=i, id=f"slide-{i}") for i, s in enumerate(slides, 1)])
    for paper in ("A4", "letter"):
        reader = PdfReader(io.BytesIO(handout.render_notes(long_deck, built.env, built.roots, paper)))
        assert len(reader.pages) == len(slides), paper
        for page in reader.pages:
            assert "union hall" in page.extract_text()


def test_running_head_does_not_repeat_the_lecture_number(built):
    from dataclasses import replace

    from markupsafe import Markup
    deck = built.decks["second"]
    assert handout.lecture_label(deck) == "Lecture 2: The second lecture"
    titled = replace(deck, title=Markup("Lecture 2: Afterwards"), plain_title="Lecture 2: Afterwards")
    assert handout.lecture_label(titled) == "Lecture 2: Afterwards"


def test_a_crowded_slide_shrinks_to_fit_its_cell_not_clipped(built, tmp_path):
    from dataclasses import replace

    from markupsafe import Markup

    from lectern.text.view import PointView
    deck = built.decks["second"]
    base = next(s for s in built.decks["intro"].slides if s.footnotes)
    text = "A long point about the sugar harvest and the unions of Havana, one of many: number {}"
    crowded = replace(base, number=3, id="slide-3", points=[PointView(Markup(text.format(k))) for k in range(24)])
    deck = replace(deck, slides=[*deck.slides[:2], crowded])
    pdf_path = tmp_path / "crowded.pdf"
    pdf_path.write_bytes(handout.render_handout(deck, built.env, built.roots, "A4"))
    assert len(PdfReader(pdf_path).pages) == 1
    g = handout.handout_geometry("A4")
    in_cell = inside(words(pdf_path)[0], g.cell_box(2))
    assert tokens(slide_text(crowded)) <= in_cell
    assert {str(k) for k in range(24)} <= in_cell  # the last point too: nothing cut off at the foot


def test_build_only_handouts_makes_no_script_or_slides_pdf(tmp_path):
    from helpers import copy_fixture, run_cli
    course = copy_fixture("mini", tmp_path)
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out), "--only", "handouts")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "handouts").iterdir()) == ["intro.pdf", "second.pdf"]
    assert not (out / "slides").exists() or not list((out / "slides").glob("*.pdf"))


def test_a_crowded_slide_refitted_in_place_keeps_its_neighbours_and_folios(built, tmp_path):
    """Only the crowded slide's page is laid out again: the slides beside it and the page around it stay."""
    from dataclasses import replace

    from markupsafe import Markup

    from lectern.text.view import PointView
    intro = built.decks["intro"]
    text = "A long point about the sugar harvest and the unions of Havana, one of many: number {}"
    crowded_at = 5  # the middle row of the second page
    slides = [replace(s, points=[PointView(Markup(text.format(k))) for k in range(24)]) if s.number == crowded_at
              else s for s in intro.slides]
    deck = replace(intro, slides=slides)
    handout._FITS.clear()
    document = handout.handout_document("handout", deck, built.env, built.roots, "A4")
    keys = handout.slide_keys(deck, built.env, built.roots)
    fits = {n: handout._FITS[k] for n, k in keys.items() if handout._FITS[k] < 1}
    assert set(fits) == {crowded_at}
    whole = handout._layout(handout.print_html("handout", deck, built.env, built.roots, "A4", fits), built.roots)
    assert handout.pdf.page_texts(document) == handout.pdf.page_texts(whole)
    pdf_path = tmp_path / "refit.pdf"
    pdf_path.write_bytes(handout.render_handout(deck, built.env, built.roots, "A4"))
    g = handout.handout_geometry("A4")
    pages = words(pdf_path)
    assert len(pages) == 4
    for r in prepare(deck):
        page, row = (r.number - 1) // 3, (r.number - 1) % 3
        assert tokens(slide_text(r.slide)) <= inside(pages[page], g.cell_box(row)), r.number
    assert {str(k) for k in range(24)} <= inside(pages[1], g.cell_box(1))
    assert "2 / 4" in " ".join(w.text for w in pages[1] if w.y0 > 297 - 15)


def test_remembered_fits_give_the_same_pdf_and_spare_the_relayout(built, monkeypatch):
    """A slide's fit is remembered by what the slide is: the same bytes, and after an edit
    elsewhere in the deck (serve's rebuild) the crowded slide is laid out fitted at once."""
    from dataclasses import replace

    from markupsafe import Markup

    from lectern.text.view import PointView
    intro = built.decks["intro"]
    text = "A long point about the sugar harvest and the unions of Havana, one of many: number {}"
    crowded = [replace(s, points=[PointView(Markup(text.format(k))) for k in range(24)]) if s.number == 5 else s
               for s in intro.slides]
    deck = replace(intro, slides=crowded)
    handout._FITS.clear()
    fresh = handout.render_handout(deck, built.env, built.roots, "A4")
    assert handout.render_handout(deck, built.env, built.roots, "A4") == fresh
    edited = replace(deck, slides=[replace(s, title=Markup("Why it began")) if s.number == 3 else s
                                   for s in deck.slides])
    layouts = []
    real = handout._layout
    monkeypatch.setattr(slidepages, "_layout", lambda *a, **k: layouts.append(1) or real(*a, **k))
    document = handout.handout_document("handout", edited, built.env, built.roots, "A4")
    assert len(layouts) == 1
    assert "number 23" in " ".join(handout.pdf.page_texts(document)[1].split())
    assert handout.overflowing(document) == set()
    handout.handout_document("notes", edited, built.env, built.roots, "A4")
    assert len(layouts) == 2  # the script too: one layout


def test_fits_found_by_one_process_spare_the_next_its_refit(built, monkeypatch, tmp_path):
    """A build after an edit (a new process) lays a crowded slide out fitted at once."""
    from dataclasses import replace

    from markupsafe import Markup

    from lectern.text.view import PointView
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    intro = built.decks["intro"]
    text = "A long point about the sugar harvest and the unions of Havana, one of many: number {}"
    deck = replace(intro, slides=[replace(s, points=[PointView(Markup(text.format(k))) for k in range(24)])
                                  if s.number == 5 else s for s in intro.slides])
    monkeypatch.setattr(knownfits, "_FITS", {})
    monkeypatch.setattr(knownfits, "_KEPT_LOADED", [])
    first = handout.render_handout(deck, built.env, built.roots, "A4")
    assert (tmp_path / "cache" / "lectern" / "fits.json").is_file()
    monkeypatch.setattr(knownfits, "_FITS", {})  # as in a new process
    monkeypatch.setattr(knownfits, "_KEPT_LOADED", [])
    layouts = []
    real = handout._layout
    monkeypatch.setattr(slidepages, "_layout", lambda *a, **k: layouts.append(1) or real(*a, **k))
    assert handout.render_handout(deck, built.env, built.roots, "A4") == first
    assert len(layouts) == 1

