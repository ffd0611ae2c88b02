"""Decks built by `python build.py build` from real courses, in headless Chromium.

The fixture course (tests/fixtures/mini) is driven through its keys, steps and speaker view; every
deck of the bundled course (content/) is checked for clipped or overflowing slides.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deck_browser import Watch, overflowing_slides

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent


def build(course: Path, out: Path) -> list[Path]:
    proc = subprocess.run([sys.executable, "build.py", "build", str(course), "--out", str(out),
                           "--only", "deck", "--force"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    decks = sorted((out / "slides").glob("*.html"))
    assert decks, "the build wrote no deck"
    return decks


@pytest.fixture(scope="module")
def mini_decks(tmp_path_factory):
    return build(ROOT / "tests" / "fixtures" / "mini", tmp_path_factory.mktemp("mini"))


@pytest.fixture(scope="module")
def bundled_decks(tmp_path_factory):
    if not (ROOT / "content" / "course.yaml").exists():
        pytest.skip("no bundled course yet")
    return build(ROOT / "content", tmp_path_factory.mktemp("content"))


def open_page(browser, deck: Path, hash_: str = ""):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    context.on("page", watch.attach)
    page.goto(deck.as_uri() + hash_)
    page.wait_for_function("window.lectern && window.lectern.current > 0")
    return context, page, watch


def test_fixture_course_deck_runs(browser, mini_decks):
    deck = next(d for d in mini_decks if d.stem == "intro")
    context, page, watch = open_page(browser, deck, "#/2")
    try:
        count = page.evaluate("lectern.slideCount")
        assert page.evaluate("lectern.current") == 2
        kinds = page.evaluate("Array.from(document.querySelectorAll('#deck > .slide')).map(s => s.dataset.kind)")
        assert kinds[0] == "title" and "section" in kinds and kinds[-1] == "references"
        # walk to the end with the keyboard: every step, then every slide
        build_slides = page.evaluate(
            "Array.from(document.querySelectorAll('#deck > .slide')).filter(s => +s.dataset.steps > 0).map(s => +s.dataset.n)")
        assert build_slides, "the fixture has a build slide"
        b = build_slides[0]
        steps = page.evaluate(f"+document.querySelector('#deck > .slide[data-n=\"{b}\"]').dataset.steps")
        page.keyboard.press("Home")
        presses = 0
        while page.evaluate("lectern.current") < count:
            page.keyboard.press("ArrowRight")
            presses += 1
            assert presses < 100
        assert presses == count - 1 + steps
        assert page.evaluate("location.hash") == f"#/{count}"
        # a citation on some slide links to the references slide
        href = page.evaluate("(document.querySelector('.cite a') || {}).hash")
        refs = page.evaluate("+document.querySelector('#deck > .slide[data-kind=references]').dataset.n")
        assert href == f"#/{refs}"
        # the speaker view follows, with the lecture's duration
        page.keyboard.press("Home")
        with context.expect_page() as info:
            page.keyboard.press("s")
        speaker = info.value
        speaker.wait_for_function("window.lectern && lectern.current === 1")
        assert "of 45:00" in speaker.locator(".speaker-bar").inner_text()
        page.keyboard.press("End")
        speaker.wait_for_function(f"lectern.current === {count}")
    finally:
        context.close()
    assert watch.errors == []
    assert watch.foreign() == []


def test_bundled_course_has_no_overflowing_slide(browser, bundled_decks):
    problems = []
    for deck in bundled_decks:
        context, page, watch = open_page(browser, deck)
        try:
            problems += [f"{deck.name}: {p}" for p in overflowing_slides(page)]
            # and the theme's last-resort shrinking was not needed to get there
            shrunk = page.evaluate("Array.from(document.querySelectorAll('#deck > .slide'))"
                                   ".filter(s => s.style.getPropertyValue('--fit')).map(s => s.dataset.n)")
            problems += [f"{deck.name}: slide {n} fits only by shrinking" for n in shrunk]
        finally:
            context.close()
        problems += [f"{deck.name}: console error {e}" for e in watch.errors]
        problems += [f"{deck.name}: request {u}" for u in watch.foreign()]
    assert problems == []


def test_benchmark_lecture_within_size_budget(tmp_path):
    """bench/gen_course.py's 30-slide lecture: its deck, figures left out, stays under 156 kB
    (150 kB until the phone's reading view, 6 kB of script and sheet)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_deck import without_figures
        from gen_course import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))

    course = generate(tmp_path / "course", "S")
    (deck,) = build(course, tmp_path / "out")
    html = deck.read_text("utf-8")
    assert html.count('class="slide ') >= 30
    assert without_figures(html) < 156_000
