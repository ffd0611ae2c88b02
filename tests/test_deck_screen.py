"""What the audience and the speaker see of the deck, in a real browser: no blink between slides,
a visible focus in the overview (and what axe says of it), capitals, the speaker's next step."""
from __future__ import annotations

import io

import pytest
from markupsafe import Markup

from deck_browser import Watch
from deck_fixture import make_deck
from lectern.deck.deck import render_deck
from lectern.theme.templates import make_env

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def deck_file(tmp_path_factory):
    deck = make_deck()
    for slide in deck.slides:  # a section named for a decade, as many are
        if slide.section and str(slide.section) == "Power":
            slide.section = Markup("Power in the 1950s")
    path = tmp_path_factory.mktemp("deck") / "revolution.html"
    path.write_text(render_deck(deck, make_env()), encoding="utf-8")
    return path


@pytest.fixture
def page(browser, deck_file):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    page.goto(deck_file.as_uri() + "#/11")
    page.wait_for_function("window.lectern && window.lectern.current === 11")
    yield page
    context.close()
    assert watch.errors == []


def pixels(page):
    from PIL import Image

    return Image.open(io.BytesIO(page.screenshot())).convert("RGB")


def brightness(rgb) -> float:
    return sum(rgb) / 3


# --- 7. the crossfade -------------------------------------------------------------------------------

def test_between_two_pale_slides_the_screen_never_darkens_mid_transition(page):
    """Slides 11 and 12 are both on the pale paper: frozen at 20, 90 and 160 ms of the 180 ms
    fade, the margin of the canvas (blank on both) stays as bright as the paper."""
    page.wait_for_timeout(300)
    paper = brightness(pixels(page).getpixel((1250, 360)))
    assert paper > 240
    page.keyboard.press("ArrowRight")
    for at in (20, 90, 160):
        page.evaluate("(t) => document.getAnimations().forEach(a => { a.pause(); a.currentTime = t; })", at)
        page.wait_for_timeout(250)  # longer than the whole fade: only the fade's own clock counts
        image = pixels(page)
        for x, y in ((1250, 200), (1250, 500), (30, 360)):
            assert brightness(image.getpixel((x, y))) >= paper - 3, f"{brightness(image.getpixel((x, y)))} at {at} ms"
    page.evaluate("document.getAnimations().forEach(a => a.finish())")
    assert page.evaluate("lectern.current") == 12


def test_the_slide_being_left_shows_its_words_until_the_new_one_covers_it(page):
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowRight")
    page.evaluate("document.getAnimations().forEach(a => { a.pause(); a.currentTime = 20; })")
    assert page.evaluate("document.querySelector('#slide-11 h2').checkVisibility()")  # drawn, not skipped
    page.evaluate("document.getAnimations().forEach(a => a.finish())")
    page.wait_for_timeout(400)
    assert page.evaluate("getComputedStyle(document.querySelector('#slide-11')).visibility") == "hidden"
    assert not page.evaluate("document.querySelector('#slide-11 h2').checkVisibility()")


# --- 8. the overview ----------------------------------------------------------------------------------

RING = (0xF0, 0xC2, 0x5A)


def test_the_overviews_selection_ring_is_visible_around_the_focused_thumbnail(page):
    page.keyboard.press("o")
    page.keyboard.press("ArrowRight")
    box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect();"
                        " return [r.left, r.top, r.right, r.bottom]; })()")
    image = pixels(page)
    left, top, right, bottom = box
    middle = int((top + bottom) / 2)
    for x, y in ((round(left - 3.5), middle), (round(right + 3.5), middle), (int((left + right) / 2), round(top - 3.5))):
        found = image.getpixel((x, y))
        assert max(abs(a - b) for a, b in zip(found, RING)) < 40, f"no ring at {(x, y)}: {found}"


def test_axe_finds_no_nested_controls_or_names_unlike_their_labels_in_the_overview(page):
    from axe_playwright_python import sync_playwright as axe
    page.keyboard.press("o")
    results = axe.Axe().run(page, context=".overview", options={"runOnly": {
        "type": "rule", "values": ["nested-interactive", "label-content-name-mismatch", "button-name",
                                   "aria-hidden-focus", "focus-order-semantics"]}})
    assert [(v["id"], len(v["nodes"])) for v in results.response["violations"]] == []


# --- 9. capitals ----------------------------------------------------------------------------------------

def test_a_decade_in_capitals_keeps_its_s_and_takes_lining_figures(page):
    page.evaluate("lectern.go(12)")
    label = page.locator("#slide-12 .section-label")
    assert label.inner_text() == "POWER IN THE 1950s"
    digits = page.evaluate("getComputedStyle(document.querySelector('#slide-12 .section-label')).fontVariantNumeric")
    assert "lining-nums" in digits


# --- 10. the speaker's next step ------------------------------------------------------------------------

def test_the_speaker_sees_the_first_step_of_a_build_slide_coming(page):
    page.evaluate("lectern.go(3)")  # slide 4 builds its points in three steps
    with page.context.expect_page() as info:
        page.keyboard.press("s")
    speaker = info.value
    speaker.wait_for_function("window.lectern && lectern.current === 3 && document.querySelector('.speaker-next .mini')")
    steps = speaker.evaluate("""Array.from(document.querySelectorAll('.speaker-next .mini [data-step]')).map(e => [
        e.dataset.step, getComputedStyle(e).visibility, Number(getComputedStyle(e).opacity)])""")
    assert len(steps) == 5, steps  # the build slide: four points and a note, in three steps
    first = [s for s in steps if s[0] == "1"]
    assert first and all(v == "visible" and o == 1 for _, v, o in first)
    assert all(v == "visible" and o < 0.5 for n, v, o in steps if n != "1")  # the later steps, faint
