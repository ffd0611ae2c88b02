"""Layouts (issue 18) in a real browser: columns, picture rows and backgrounds fit the slide at a
projector's and a phone's size, with no console error, and a build slide reveals its columns in turn."""
from __future__ import annotations

import pytest

from deck_browser import ARGS, CHROMIUM, Watch, need_chromium, overflowing_slides
from helpers import copy_fixture, run_cli


@pytest.fixture(scope="module")
def deck_url(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("layouts")
    course = copy_fixture("layouts", tmp)
    result = run_cli("build", str(course), "--out", str(tmp / "out"), "--strict")
    assert result.exit_code == 0, result.output
    return (tmp / "out" / "slides" / "one.html").as_uri()


@pytest.fixture(scope="module")
def browser():
    need_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)])
def test_every_layout_slide_fits_with_no_console_error(browser, deck_url, size, tmp_path):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    watch = Watch()
    watch.attach(page)
    page.goto(deck_url)
    page.wait_for_function("window.lectern && lectern.slideCount > 0")
    assert overflowing_slides(page) == []
    for n in range(1, page.evaluate("lectern.slideCount") + 1):
        page.evaluate("(n) => lectern.go(n)", n)
        page.evaluate("() => document.querySelectorAll('[data-step]').forEach(e => e.classList.add('shown'))")
        page.wait_for_timeout(400)
        page.screenshot(path=str(tmp_path / f"slide-{n}.png"))
    assert watch.errors == [] and watch.foreign() == []
    page.close()


def test_columns_sit_side_by_side_and_a_build_reveals_them_in_turn(browser, deck_url):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(deck_url)
    page.wait_for_function("window.lectern && lectern.slideCount > 0")
    n = page.evaluate("""() => [...document.querySelectorAll('#deck > .slide')].findIndex(
        s => (s.querySelector('h2') || {}).textContent === 'Two columns') + 1""")
    page.evaluate("(n) => lectern.go(n)", n)
    slide = page.locator(f"#deck > .slide[data-n='{n}']")
    left, right = slide.locator(".column").nth(0), slide.locator(".column").nth(1)
    lb, rb = left.bounding_box(), right.bounding_box()
    assert lb["x"] + lb["width"] <= rb["x"] + 1 and abs(lb["y"] - rb["y"]) < 5  # side by side
    assert lb["width"] > 1.6 * rb["width"]  # widths: [2, 1]
    note = slide.locator(".footnotes li")

    def visible(loc):
        return loc.evaluate("e => getComputedStyle(e).visibility") == "visible"
    assert not visible(left) and not visible(right) and not visible(note)
    page.keyboard.press("ArrowRight")
    assert visible(left) and not visible(right) and visible(note)  # the note comes with its column
    page.keyboard.press("ArrowRight")
    assert visible(right)
    page.close()


def test_text_on_a_dark_background_is_light(browser, deck_url):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(deck_url)
    page.wait_for_function("window.lectern && lectern.slideCount > 0")
    colours = page.evaluate("""() => [...document.querySelectorAll('#deck > .slide.has-background')].map(
        s => getComputedStyle(s.querySelector('.points li')).color)""")
    assert colours == ["rgb(255, 255, 255)", "rgb(255, 255, 255)"]
    page.close()
