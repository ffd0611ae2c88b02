"""The printed slide is the slide on screen: every block's box in WeasyPrint's layout of the slides
PDF matches the box Chromium gives it in the deck (within a few CSS pixels of the 1280×720 canvas).

The handout and the script draw the same laid-out slide, only scaled, so this covers all three.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from markupsafe import Markup

from deck_browser import ARGS, CHROMIUM, need_chromium
from deck_fixture import make_deck
from helpers import run_cli
from lectern.pipeline import check
from lectern.print import handout
from lectern.deck.deck import prepare, render_deck
from lectern.theme.templates import make_env, theme_dirs
from lectern.text.resolve import resolve
from lectern.text.view import PointView

pytestmark = [pytest.mark.browser, pytest.mark.pdf]

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini"
TOLERANCE = 4.0  # CSS px on the 1280×720 canvas

# Every block-level element of a slide, keyed by its path of (index, tag) from the slide element,
# as [left, top, width, height] relative to the slide, in canvas pixels.
BOXES_JS = """(n) => {
  window.lectern.go(n);
  const s = document.querySelector('section.slide[data-n="' + n + '"]');
  s.querySelectorAll('[data-step]').forEach(e => e.classList.add('shown'));
  const o = s.getBoundingClientRect(); const k = 1280 / o.width; const out = {};
  function walk(el, path) {
    let i = 0;
    for (const c of el.children) {
      if (c.classList.contains('slide-anchor') || c.classList.contains('notes')) continue;
      const p = path + '/' + i + c.tagName.toLowerCase(); i++;
      if (c.namespaceURI !== 'http://www.w3.org/1999/xhtml') continue;
      const cs = getComputedStyle(c);
      if (cs.display !== 'inline' && cs.display !== 'none') {
        const r = c.getBoundingClientRect();
        out[p] = [(r.left - o.left) * k, (r.top - o.top) * k, r.width * k, r.height * k, c.className];
      }
      walk(c, p);
    }
  }
  walk(s, ''); return out; }"""


def chromium_boxes(html: str, numbers: list[int]) -> dict[int, dict[str, list[float]]]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.set_content(html)
        page.wait_for_function("() => window.lectern && window.lectern.slideCount > 0")
        boxes = {n: page.evaluate(BOXES_JS, n) for n in numbers}
        browser.close()
    return boxes


def _walk(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        if type(child).__name__ == "AbsolutePlaceholder":
            child = child._box
        yield from _walk(child)


def weasy_boxes(document) -> dict[int, dict[str, list[float]]]:
    """The same boxes from WeasyPrint's layout of the slides PDF (one slide a page)."""
    result = {}
    for page in document.pages:
        section = next(b for b in _walk(page._page_box)
                       if getattr(b, "element_tag", None) == "section"
                       and "slide" in (b.element.get("class") or "").split())
        paths: dict[int, str] = {}

        def index(element, path):
            i = 0
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                classes = (child.get("class") or "").split()
                if "slide-anchor" in classes or "notes" in classes:
                    continue
                p = f"{path}/{i}{child.tag.split('}')[-1]}"
                i += 1
                paths[id(child)] = p
                if not child.tag.startswith("{"):
                    index(child, p)
        index(section.element, "")
        x0, y0 = section.border_box_x(), section.border_box_y()
        out: dict[str, list[float]] = {}
        for box in _walk(section):
            element = getattr(box, "element", None)
            kind = type(box).__name__
            if element is None or id(element) not in paths or paths[id(element)] in out:
                continue
            if kind in ("BlockBox", "FlexBox", "GridBox", "BlockReplacedBox", "TableBox", "InlineBlockBox",
                        "TableRowGroupBox", "TableRowBox", "TableCellBox"):
                out[paths[id(element)]] = [box.border_box_x() - x0, box.border_box_y() - y0,
                                           box.border_width(), box.border_height()]
        result[int(section.element.get("data-n"))] = out
    return result


def mismatches(deck, env, roots) -> list[str]:
    document = handout.handout_document("slides", deck, env, roots, "A4")
    printed = weasy_boxes(document)
    screen = chromium_boxes(render_deck(deck, env), sorted(printed))
    layouts = {r.number: r.layout for r in prepare(deck)}
    bad = []
    for n in sorted(printed):
        assert screen[n], f"slide {n}: no boxes measured in Chromium"
        # a video or a live page prints as another thing in the same box (a poster, a QR code):
        # its figure must stand where the deck has it, what is inside differs by design
        other = tuple(f"{path}/" for path, (*_, classes) in screen[n].items()
                      if {"figure-video", "figure-embed"} & set(classes.split()))
        for path, (*want, classes) in screen[n].items():
            if path.startswith(other or ("\0",)):
                continue
            got = printed[n].get(path)
            if got is not None and layouts[n] == "text" and "slide-body" in classes.split():
                want, got = want[:3], got[:3]  # in print a text slide's body is as tall as its text
            if got is None:
                bad.append(f"slide {n} {path}: not laid out in print")
            elif max(abs(a - b) for a, b in zip(want, got)) > TOLERANCE:
                bad.append(f"slide {n} {path}: screen {[round(v) for v in want]} print {[round(v) for v in got]}")
    return bad


def course_mismatches(root: Path) -> dict[str, list[str]]:
    """Each lecture's print/screen mismatches for a course folder (only lectures that have any)."""
    checked = check(root)
    resolved = resolve(checked.course, checked.markup, checked.marks)
    env = make_env(checked.course.templates)
    roots = [checked.course.root, *theme_dirs(checked.course.templates)]
    found = {lecture_id: mismatches(deck, env, roots) for lecture_id, deck in resolved.decks.items()}
    return {k: v for k, v in found.items() if v}


def test_every_kind_of_slide_prints_as_it_shows():
    need_chromium()
    assert mismatches(make_deck(), make_env(), theme_dirs(None)) == []


def test_crowded_slides_shrink_in_print_as_on_screen():
    """The deck's runtime shrinks the type of a slide that would overflow (--fit); so does print."""
    need_chromium()
    deck = make_deck()
    base = next(s for s in deck.slides if s.kind == "content" and s.footnotes)
    text = "A long point about the sugar harvest and the unions of Havana, one of many: number {}"
    slides = [replace(base, number=i, id=f"slide-{i}", steps=0,
                      points=[PointView(Markup(text.format(k))) for k in range(n)],
                      footnotes=[replace(f, id=f"slide-{i}-fn{f.number}") for f in base.footnotes])
              for i, n in enumerate((12, 17, 23), 1)]
    crowded = replace(deck, slides=slides)
    env, roots = make_env(), theme_dirs(None)
    fits = handout.fit_slides(crowded, env, roots, {1, 2, 3})
    assert fits[3] < fits[2] < 1, fits  # the more crowded, the smaller
    assert mismatches(crowded, env, roots) == []


def test_fixture_course_prints_as_it_shows():
    need_chromium()
    assert course_mismatches(FIXTURE) == {}


def test_bundled_course_prints_as_it_shows():
    need_chromium()
    assert course_mismatches(Path(__file__).resolve().parent.parent / "content") == {}


def test_math_code_and_tables_print_as_they_show():
    """The statistics example's slides (formulas, highlighted code, long code lines that shrink
    the type, tables, a chart): the printed boxes are the screen's, so the deck's refit and the
    print slides chose the same type size."""
    need_chromium()
    assert course_mismatches(Path(__file__).resolve().parent.parent / "examples" / "statistics") == {}


# The words of each line of every slide's headings (h1, h2), as laid out.
LINES_JS = """(n) => {
  window.lectern.go(n);
  const s = document.querySelector('section.slide[data-n="' + n + '"]');
  const out = [];
  for (const h of s.querySelectorAll('h1, h2')) {
    const lines = []; let top = null;
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        const y = Math.round(r.getClientRects()[0].top);
        if (top === null || Math.abs(y - top) > 5) { lines.push([]); top = y; }
        lines[lines.length - 1].push(m[0]);
      }
    }
    out.push(lines.map(l => l.join(' ')));
  }
  return out; }"""


def heading_lines_on_screen(html: str, numbers: list[int]) -> dict[int, list[list[str]]]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.set_content(html)
        page.wait_for_function("() => window.lectern && window.lectern.slideCount > 0")
        found = {n: page.evaluate(LINES_JS, n) for n in numbers}
        browser.close()
    return found


def heading_lines_on_paper(document) -> dict[int, list[list[str]]]:
    found = {}
    for page in document.pages:
        section = next(b for b in _walk(page._page_box)
                       if getattr(b, "element_tag", None) == "section"
                       and "slide" in (b.element.get("class") or "").split())
        headings = []
        for box in _walk(section):
            if type(box).__name__ == "BlockBox" and box.element_tag in ("h1", "h2") and \
                    not any(box.element is h for h, _ in headings):
                lines = [" ".join("".join(t.text for t in _walk(line) if type(t).__name__ == "TextBox").split())
                         for line in _walk(box) if type(line).__name__ == "LineBox"]
                headings.append((box.element, [ln for ln in lines if ln]))
        found[int(section.element.get("data-n"))] = [lines for _, lines in headings]
    return found


def test_headings_break_into_the_same_lines_on_paper_as_on_screen():
    """The title slide's and section slides' headings are balanced on screen; on paper the same
    words stand on each line ("Revolution and its / hidden history, 1898–1959")."""
    need_chromium()
    content = Path(__file__).resolve().parent.parent / "content"
    checked = check(content)
    resolved = resolve(checked.course, checked.markup, checked.marks)
    env = make_env(checked.course.templates)
    roots = [checked.course.root, *theme_dirs(checked.course.templates)]
    several = 0
    for lecture_id, deck in resolved.decks.items():
        numbers = [s.number for s in deck.slides if s.kind in ("title", "section")]
        paper = heading_lines_on_paper(handout.handout_document("slides", deck, env, roots, "A4"))
        screen = heading_lines_on_screen(render_deck(deck, env), numbers)
        for n in numbers:
            assert paper[n] == screen[n], (lecture_id, n)
            several += any(len(lines) > 1 for lines in screen[n])
    assert several >= 3  # headings of two lines and more were compared


@pytest.mark.parametrize("course", ["layouts", "starter", "everykey"])
def test_layouts_print_as_they_show(course, tmp_path):
    """Columns (widths [2, 1], three columns, a sized picture in a column), rows of pictures, a
    sized picture beside text and backgrounds: every box of the printed slide within a few pixels
    of the deck's (issue 18 asks ±24 px for columns; the comparison's own tolerance is 4)."""
    need_chromium()
    if course == "starter":
        assert run_cli("new", str(tmp_path / "starter")).exit_code == 0
        root = tmp_path / "starter"
    else:
        root = Path(__file__).resolve().parent / "fixtures" / course
    assert course_mismatches(root) == {}
