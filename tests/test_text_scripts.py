"""Text and scripts: long unbroken runs stay on the page; right-to-left languages are laid out so."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lectern.pipeline import BuildOptions, build
from lectern.report import BufferReporter
from lectern.text.labels import text_direction

MINI = Path(__file__).parent / "fixtures" / "mini"
LONG_URL = "https://example.org/" + "averyverylongpathsegment" * 12


def _course(tmp_path: Path, lang: str | None = None) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(MINI, dest)
    lecture = dest / "lectures" / "second.yaml"
    text = lecture.read_text("utf-8")
    text = text.replace("title: The second lecture", "title: Supercalifragilistic" + "X" * 80, 1)
    text = text.replace("title: An inline table", "title: An inline table " + "Y" * 90, 1)
    text = text.replace("reading: A short reading.", f"reading: A short reading, see {LONG_URL} today.", 1)
    text = text.replace("notes: Compare the bars.", f"notes: Compare the bars at {LONG_URL}.", 1)
    lecture.write_text(text, "utf-8")
    course = dest / "course.yaml"
    text = course.read_text("utf-8") + "outputs: [deck, guide, notes]\n"
    if lang:
        text = text.replace("lang: en-GB", f"lang: {lang}")
    course.write_text(text, "utf-8")
    return dest


def _words_past_the_edge(pdf: Path) -> list[str]:
    """Words whose box ends beyond the page's right edge (pdftotext -bbox)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    past = []
    for page in re.finditer(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', xml, re.S):
        width = float(page.group(1))
        for word in re.finditer(r'xMax="([\d.]+)"[^>]*>([^<]*)<', page.group(2)):
            if float(word.group(1)) > width - 10:  # within 10 pt of the paper's edge is already off the text block
                past.append(word.group(2))
    return past


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_long_url_stays_inside_the_guide_and_notes_pages(tmp_path):
    course, out = _course(tmp_path), tmp_path / "out"
    build(course, out, BuildOptions(), BufferReporter())
    for pdf in (out / "study-guide.pdf", out / "handouts" / "second-notes.pdf"):
        assert _words_past_the_edge(pdf) == [], pdf.name


@pytest.mark.parametrize("lang,expected", [("ar", "rtl"), ("he-IL", "rtl"), ("fa", "rtl"), ("ur", "rtl"),
                                           ("en-GB", "ltr"), ("de", "ltr"), ("ku-Latn", "ltr"),
                                           ("pa-Arab", "rtl")])
def test_text_direction_follows_the_language(lang, expected):
    assert text_direction(lang) == expected


def test_a_right_to_left_course_gets_dir_rtl_in_deck_and_guide(tmp_path):
    course, out = _course(tmp_path, lang="ar"), tmp_path / "out"
    build(course, out, BuildOptions(only=["deck"]), BufferReporter())
    assert re.search(r'<html lang="ar" dir="rtl"', (out / "slides" / "second.html").read_text("utf-8"))
    from lectern.theme.templates import make_env
    env = make_env(None)
    guide = env.from_string('<html lang="{{ lang }}"{% if lang|text_dir == "rtl" %} dir="rtl"{% endif %}>')
    source = (Path(__file__).resolve().parent.parent / "templates" / "guide" / "guide.html.j2").read_text("utf-8")
    assert '{% if guide.lang|text_dir == "rtl" %} dir="rtl"{% endif %}' in source
    assert guide.render(lang="he") == '<html lang="he" dir="rtl">'
    english = tmp_path / "en"
    build(_course(english), english / "out", BuildOptions(only=["deck"]), BufferReporter())
    assert 'dir="rtl"' not in (english / "out" / "slides" / "second.html").read_text("utf-8")


def test_a_long_word_does_not_run_out_of_the_deck_title(tmp_path, browser):
    course, out = _course(tmp_path), tmp_path / "out"
    build(course, out, BuildOptions(only=["deck"]), BufferReporter())
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto((out / "slides" / "second.html").as_uri())
        page.wait_for_timeout(500)
        over = []
        for _ in page.query_selector_all(".slide"):  # each slide in turn: its headings and text inside it
            over += page.evaluate("""() => { const s = document.querySelector('.slide.active, .slide[aria-current]')
                || document.querySelector('.slide'); const box = s.getBoundingClientRect();
                return [...s.querySelectorAll('h1, h2, p, li')].filter(e => e.scrollWidth > e.clientWidth + 1
                  || e.getBoundingClientRect().right > box.right + 1).map(e => e.textContent.slice(0, 40)); }""")
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(150)
    finally:
        page.close()
    assert over == []


@pytest.mark.parametrize("text,char", [("서울 Seoul", "서"), ("नमस्ते", "न"), ("สวัสดี", "ส"), ("Good 🙂", "🙂")])
def test_a_character_no_course_font_has_warns_with_its_line(tmp_path, text, char):
    from lectern.pipeline import check
    course = _course(tmp_path)
    lecture = course / "lectures" / "second.yaml"
    lecture.write_text(lecture.read_text("utf-8").replace("notes: Compare the bars", f"notes: {text} Compare", 1),
                       "utf-8")
    line = next(i for i, l in enumerate(lecture.read_text("utf-8").splitlines(), 1) if text in l)
    checked = check(course, reporter=BufferReporter())
    found = [w for w in checked.warnings if "has no glyph" in w.message]
    assert found and found[0].pos.line == line and found[0].pos.path.endswith("second.yaml")
    assert f"'{char}'" in found[0].message


def test_text_the_fonts_cover_gives_no_glyph_warning(tmp_path):
    from lectern.pipeline import check
    course = _course(tmp_path)
    lecture = course / "lectures" / "second.yaml"
    lecture.write_text(lecture.read_text("utf-8").replace("notes: Compare the bars", "notes: Ça coûte 5 € — «bien»", 1),
                       "utf-8")
    assert not [w for w in check(course, reporter=BufferReporter()).warnings if "glyph" in w.message]


def test_the_theme_faces_draw_every_character_the_glyph_check_takes_on_trust():
    """coverage skips opening fonts when a course uses only fonts.ALWAYS with the theme's own faces:
    that shortcut holds only because every bundled face really has those glyphs."""
    from lectern.theme import DEFAULT_THEME, coverage, fonts
    have = coverage.covered([DEFAULT_THEME])  # what the check counts: a glyph in some face
    assert have and [c for c in fonts.ALWAYS if ord(c) not in have] == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_long_url_in_a_point_breaks_inside_the_printed_slide(tmp_path):
    """In the handout and the slide PDF a long URL in a point breaks at the slide's edge: no word
    of it reaches past the slide's text column (the handout's slide is 55 % of the page wide).
    A guard: deck.css's own break-word on slides already does it, with or without handout.css's."""
    course, out = _course(tmp_path), tmp_path / "out"
    intro = course / "lectures" / "intro.yaml"
    intro.write_text(intro.read_text("utf-8").replace("          - First\n", f"          - First at {LONG_URL}\n", 1), "utf-8")
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text("utf-8").replace("outputs: [deck, guide, notes]", "outputs: [deck, handouts, slides-pdf]"), "utf-8")
    build(course, out, BuildOptions(), BufferReporter())
    for pdf, share in ((out / "handouts" / "intro.pdf", 0.62), (out / "slides" / "intro.pdf", 0.97)):
        xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        words = []
        for page in re.finditer(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', xml, re.S):
            width = float(page.group(1))
            words += [(float(w.group(1)) / width, w.group(2)) for w in re.finditer(r'xMax="([\d.]+)"[^>]*>([^<]*)<', page.group(2))]
        url = [(x, w) for x, w in words if "example" in w or "%" in w or len(w) > 20]
        assert url, pdf.name  # the URL is printed
        assert all(x < share for x, _ in url), (pdf.name, [round(x, 2) for x, _ in url])
