"""A deck on a phone (issue 18): below 600 px in portrait the slides are a scroll of readable
cards; on a projector, a laptop or a phone turned sideways they are the slide deck as before."""
from __future__ import annotations

from pathlib import Path

import pytest

from deck_browser import Watch, answer_embeds, need_chromium
from helpers import ROOT, run_cli

PHONE = {"width": 390, "height": 844}
EMBED_ORIGINS = ("https://www.openstreetmap.org",)  # the starter's live page (a map), answered offline
PROJECTOR = {"width": 1280, "height": 720}

SMALL_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.getElementById('deck'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const t = walker.currentNode;
    if (!t.textContent.trim()) continue;
    const el = t.parentElement;
    if (el.closest('.notes, .fn-call, svg, .visually-hidden, [aria-hidden="true"]')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) out.push(`${el.className || el.tagName} ${size}px: ${t.textContent.trim().slice(0, 30)}`);
  }
  return out;
}"""

# each chart label's size on screen: its font-size times the drawing's scale
CHART_TEXT = """() => [...document.querySelectorAll('#deck svg.lectern-chart, #deck .figure-body svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0 && svg.viewBox && svg.viewBox.baseVal)
  .flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale);
  })"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> list[str]:
    need_chromium()
    tmp = tmp_path_factory.mktemp("reading")
    assert run_cli("new", str(tmp / "starter")).exit_code == 0
    urls = []
    for name, course in (("starter", tmp / "starter"), ("statistics", ROOT / "examples" / "statistics")):
        out = tmp / f"out-{name}"
        result = run_cli("build", str(course), "--out", str(out), "--strict", "--only", "deck")
        assert result.exit_code == 0, result.output
        urls += [p.as_uri() for p in sorted((out / "slides").glob("*.html"))]
    return urls


def _open(browser, url: str, viewport: dict):
    page = browser.new_page(viewport=viewport)
    watch = Watch()
    watch.attach(page)
    answer_embeds(page, EMBED_ORIGINS)
    page.goto(url)
    page.wait_for_function("window.lectern && lectern.current > 0")
    return page, watch


def test_on_a_phone_every_card_reads_at_16px_or_more_with_nothing_off_the_side(browser, decks):
    for url in decks:
        page, watch = _open(browser, url, PHONE)
        assert page.evaluate("document.documentElement.classList.contains('reading')"), url
        height = page.evaluate("document.documentElement.scrollHeight")
        for y in range(0, height, 700):  # every card laid out and painted once
            page.evaluate("(y) => window.scrollTo(0, y)", y)
            page.wait_for_timeout(30)
        assert page.evaluate(SMALL_TEXT) == [], url
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), url
        cards = page.evaluate("""() => [...document.querySelectorAll('#deck > .slide')].map(s => {
            const r = s.getBoundingClientRect(); return [r.left, r.right, r.height]; })""")
        assert all(left >= 0 and right <= PHONE["width"] and height > 60 for left, right, height in cards), url
        labels = page.evaluate(CHART_TEXT)
        assert all(size >= 11 for size in labels), (url, sorted(labels)[:5])
        assert watch.errors == [] and watch.foreign(EMBED_ORIGINS) == [], url
        page.close()
    assert any(_has_chart(url) for url in decks)  # the chart rule met a chart


def _has_chart(url: str) -> bool:
    return "lectern-chart" in Path(url.removeprefix("file://")).read_text("utf-8")


def test_the_card_scrolled_to_is_the_slide_named_and_turning_the_phone_shows_it_as_a_slide(browser, decks):
    page, watch = _open(browser, decks[0], PHONE)
    page.evaluate("document.querySelectorAll('#deck > .slide')[4].scrollIntoView({block: 'start'})")
    page.wait_for_function("lectern.current === 5")
    assert page.evaluate("location.hash") == "#/5"
    page.keyboard.press("ArrowRight")  # the keys still move, and the scroll follows
    page.wait_for_function("lectern.current === 6")
    top = page.evaluate("document.querySelectorAll('#deck > .slide')[5].getBoundingClientRect().top")
    assert abs(top) < 5
    page.set_viewport_size({"width": 844, "height": 390})  # turned sideways
    page.wait_for_function("!document.documentElement.classList.contains('reading')")
    assert page.evaluate("lectern.current") == 6
    shown = page.locator("#deck > .slide.current")
    box = shown.bounding_box()
    assert box["height"] <= 390 + 1 and box["width"] <= 844 + 1  # one slide, scaled to the screen
    assert page.evaluate("getComputedStyle(document.querySelector('.reading-switch')).display") == "none"
    assert watch.errors == []
    page.close()


def test_a_phone_reader_can_switch_to_the_slides_and_back(browser, decks):
    page, _ = _open(browser, decks[0], PHONE)
    switch = page.locator(".reading-switch")
    switch.click()
    assert not page.evaluate("document.documentElement.classList.contains('reading')")
    assert page.evaluate("document.querySelectorAll('#deck > .slide.current').length") == 1
    switch.click()
    assert page.evaluate("document.documentElement.classList.contains('reading')")
    page.close()


def test_on_a_projector_the_deck_is_the_scaled_canvas_and_arrows_move_one_slide(browser, decks):
    page, watch = _open(browser, decks[0], PROJECTOR)
    assert not page.evaluate("document.documentElement.classList.contains('reading')")
    assert page.evaluate("getComputedStyle(document.querySelector('.reading-switch')).display") == "none"
    assert page.evaluate("getComputedStyle(document.getElementById('deck')).transform") != "none"
    assert page.evaluate("[...document.querySelectorAll('#deck > .slide')].filter(s => getComputedStyle(s).visibility === 'visible').length") == 1
    page.keyboard.press("ArrowRight")
    page.wait_for_function("lectern.current === 2")
    assert watch.errors == []
    page.close()
