"""The deck in a real browser: keys, address, steps, overview, speaker view, print, no network."""
from __future__ import annotations

import io

import pytest

from deck_browser import Watch, overflowing_slides
from deck_fixture import make_deck
from lectern.deck.deck import render_deck
from lectern.theme.templates import make_env

pytestmark = pytest.mark.browser

BUILD_SLIDE = 4  # "The road to the Sierra": three steps
SLIDES = 16


@pytest.fixture(scope="module")
def deck_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "revolution.html"
    path.write_text(render_deck(make_deck(), make_env()), encoding="utf-8")
    return path


@pytest.fixture
def open_deck(browser, deck_file):
    """Open the deck (optionally at an address) in a fresh context; checks errors on the way out."""
    contexts = []
    watches = []

    def _open(hash_: str = "", **ctx):
        context = browser.new_context(viewport={"width": 1280, "height": 720}, **ctx)
        contexts.append(context)
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        watches.append(watch)
        context.on("page", watch.attach)
        page.goto(deck_file.as_uri() + hash_)
        page.wait_for_function("window.lectern && window.lectern.current > 0")
        return page

    yield _open
    for c in contexts:
        c.close()
    for w in watches:
        assert w.errors == [], f"console errors: {w.errors}"
        assert w.foreign() == [], f"requests off file:/data: {w.foreign()}"


def state(page):
    return page.evaluate("[lectern.current, lectern.step, location.hash]")


def test_api_and_address(open_deck):
    page = open_deck("#/7")
    assert page.evaluate("lectern.slideCount") == SLIDES
    assert state(page) == [7, 0, "#/7"]
    assert page.locator("#deck > .slide.current h2").inner_text() == "Power"
    page.evaluate("""() => { window.seen = [];
        document.addEventListener('slidechange', e => seen.push([e.detail.current, e.detail.previous])); }""")
    page.evaluate("lectern.next()")
    page.evaluate("lectern.prev()")
    page.evaluate("lectern.go(12)")
    assert page.evaluate("seen") == [[8, 7], [7, 8], [12, 7]]
    assert page.evaluate("location.hash") == "#/12"
    page.evaluate("location.hash = '#/2'")
    page.wait_for_function("lectern.current === 2")
    page.evaluate("lectern.go(999)")
    assert page.evaluate("lectern.current") == SLIDES


def test_every_key(open_deck):
    page = open_deck("#/5")
    for key, expect in [("ArrowRight", 6), ("ArrowDown", 7), ("Space", 8), ("PageDown", 9),
                        ("ArrowLeft", 8), ("ArrowUp", 7), ("PageUp", 6), ("End", SLIDES), ("Home", 1)]:
        page.keyboard.press(key)
        assert page.evaluate("lectern.current") == expect, key
        assert page.evaluate("location.hash") == f"#/{expect}", key
    page.keyboard.type("11")
    page.keyboard.press("Enter")
    assert page.evaluate("lectern.current") == 11
    # b: black screen and back
    page.keyboard.press("b")
    assert page.locator(".blackout").is_visible()
    page.keyboard.press("b")
    assert not page.locator(".blackout").is_visible()
    # ?: the list of keys, Esc closes it, and keys reach the deck again
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    assert page.evaluate("document.activeElement.className") == "help-close"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("lectern.current") == 11  # the dialog holds the keys
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("lectern.current") == 12
    # f: full screen is asked for (and toggles back)
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement !== null")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")


def test_steps_before_next_slide_and_back_in_order(open_deck):
    page = open_deck(f"#/{BUILD_SLIDE - 1}")
    visible = "Array.from(document.querySelectorAll('#deck > .slide.current .points [data-step]'))" \
              ".filter(e => getComputedStyle(e).visibility === 'visible').length"
    page.keyboard.press("ArrowRight")
    assert state(page)[:2] == [BUILD_SLIDE, 0]
    assert page.evaluate(visible) == 0
    seen = []
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        seen.append(state(page)[:2])
    assert seen == [[BUILD_SLIDE, 1], [BUILD_SLIDE, 2], [BUILD_SLIDE, 3]]
    assert page.evaluate(visible) == 4  # the sub-point comes with its step
    # the footnote called in step 2 is at the foot, shown with its call
    assert page.locator("#slide-4-fn1").is_visible()
    page.keyboard.press("ArrowRight")
    assert state(page)[:2] == [BUILD_SLIDE + 1, 0]
    # back: arrives with every step shown, then hides them in reverse order
    back = []
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
        back.append(state(page)[:2])
    assert back == [[4, 3], [4, 2], [4, 1], [4, 0], [3, 0]]


def test_footnote_hidden_until_its_step(open_deck):
    page = open_deck(f"#/{BUILD_SLIDE}")
    assert not page.locator("#slide-4-fn1").is_visible()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator("#slide-4-fn1").is_visible()


def test_overview_jumps_to_clicked_slide(open_deck):
    page = open_deck("#/2")
    page.keyboard.press("o")
    assert page.locator(".overview").is_visible()
    assert page.locator(".thumb").count() == SLIDES
    assert page.evaluate("document.activeElement.dataset.n") == "2"
    page.locator(".thumb[data-n='9']").click()
    assert not page.locator(".overview").is_visible()
    assert state(page)[0] == 9 and state(page)[2] == "#/9"
    # keyboard: o, arrow right twice, Enter
    page.keyboard.press("o")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert page.evaluate("lectern.current") == 11
    page.keyboard.press("o")
    page.keyboard.press("Escape")
    assert not page.locator(".overview").is_visible()
    assert page.evaluate("lectern.current") == 11


def test_speaker_view_follows_both_ways(open_deck):
    page = open_deck("#/3")
    with page.context.expect_page() as info:
        page.keyboard.press("s")
    speaker = info.value
    speaker.wait_for_function("window.lectern && document.documentElement.classList.contains('speaker-mode')")
    speaker.wait_for_function("lectern.current === 3")
    assert "Stress that the coup" in speaker.locator(".speaker-notes").inner_text()
    assert speaker.locator(".speaker-elapsed").inner_text().count(":") == 1
    assert "of 50:00" in speaker.locator(".speaker-bar").inner_text()
    assert speaker.locator(".speaker-clock").inner_text().strip() != ""
    # main → speaker, including steps
    page.bring_to_front()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    speaker.wait_for_function("lectern.current === 4 && lectern.step === 1")
    assert speaker.locator(".speaker-next .speaker-label").text_content() == "Next step"
    assert speaker.locator(".speaker-notes").inner_text().startswith("Three steps")
    # speaker → main
    speaker.bring_to_front()
    for _ in range(3):
        speaker.keyboard.press("ArrowRight")
    page.wait_for_function("lectern.current === 5 && lectern.step === 0")
    assert page.evaluate("location.hash") == "#/5"
    speaker.keyboard.press("End")
    page.wait_for_function(f"lectern.current === {SLIDES}")
    assert speaker.locator(".speaker-next").inner_text().endswith("End of the deck")
    page.bring_to_front()
    page.keyboard.press("Home")
    speaker.wait_for_function("lectern.current === 1")
    # both windows show the slide in miniature
    assert speaker.locator(".speaker-current .mini .slide").count() == 1
    assert speaker.locator(".speaker-next .mini .slide").count() == 1


def test_swipe(open_deck):
    page = open_deck("#/6", has_touch=True)
    swipe = """(dx) => {
      const t = (x) => new Touch({identifier: 1, target: document.body, clientX: x, clientY: 300});
      document.dispatchEvent(new TouchEvent('touchstart', {touches: [t(600)], changedTouches: [t(600)], bubbles: true}));
      document.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [t(600 + dx)], bubbles: true}));
    }"""
    page.evaluate(swipe, -200)
    assert page.evaluate("lectern.current") == 7
    page.evaluate(swipe, 200)
    page.evaluate(swipe, 200)
    assert page.evaluate("lectern.current") == 5
    page.evaluate(swipe, 10)  # a tap is not a swipe
    assert page.evaluate("lectern.current") == 5


def test_letterboxed_canvas(open_deck):
    page = open_deck("#/3")
    for w, h in [(800, 800), (1920, 1080), (1000, 400)]:
        page.set_viewport_size({"width": w, "height": h})
        page.wait_for_timeout(50)
        r = page.evaluate("(() => { const r = document.querySelector('#deck > .slide.current').getBoundingClientRect();"
                          " return [r.left, r.top, r.width, r.height]; })()")
        scale = min(w / 1280, h / 720)
        assert r[2] == pytest.approx(1280 * scale, abs=1) and r[3] == pytest.approx(720 * scale, abs=1)
        assert r[0] == pytest.approx((w - r[2]) / 2, abs=1) and r[1] == pytest.approx((h - r[3]) / 2, abs=1)


def test_accessibility_basics(open_deck):
    page = open_deck("#/3", reduced_motion="reduce")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.keyboard.press("ArrowRight")
    assert page.locator(".announcer").inner_text() == "Slide 4 of 16: The road to the Sierra"
    assert page.locator(".announcer").get_attribute("aria-live") == "polite"
    assert page.evaluate("getComputedStyle(document.querySelector('.slide')).transitionDuration.split(',')[0]") == "0s"
    # only the current slide is exposed
    assert page.evaluate("document.querySelectorAll('#deck > .slide:not([aria-hidden])').length") == 1
    assert page.locator("#slide-6 img").get_attribute("alt") == "Green hills under a yellow sun"
    # a citation link reaches the references slide
    page.keyboard.press("ArrowLeft")
    page.locator("#slide-3 .cite a").click()
    page.wait_for_function("lectern.current === 15")


def test_no_slide_overflows(open_deck):
    page = open_deck()
    assert overflowing_slides(page) == []


def test_print_one_slide_a_page_every_step(browser, deck_file):
    from pypdf import PdfReader

    page = browser.new_page()
    page.goto(deck_file.as_uri() + f"#/{BUILD_SLIDE}")
    page.wait_for_function("window.lectern && window.lectern.current > 0")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == SLIDES
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(16 / 9, rel=0.01)
    text = reader.pages[BUILD_SLIDE - 1].extract_text()
    assert "The Granma lands" in text.replace("\n", " ") or "Granma" in text
    assert "History will absolve me" in text
    assert "Castro’s defence speech" in reader.pages[BUILD_SLIDE - 1].extract_text()


def test_text_never_overflows_even_when_too_much(browser, tmp_path):
    """Far too much on one slide: the theme shrinks its type instead of clipping or running off."""
    from markupsafe import Markup

    from deck_fixture import REFERENCES
    from lectern.text.view import BibEntry, PointView, TimelineEntry

    deck = make_deck(references_split=False)
    crowded = deck.slides[2]
    crowded.points = [PointView(Markup(f"Point {i}: " + "a rather long sentence about sugar " * 4),
                                children=[PointView(Markup("and a sub-point"))]) for i in range(9)]
    deck.slides[5].figure.caption = Markup("A caption " + "with a verylongunbreakablewordthatgoesonandon" * 3)
    deck.slides[8].timeline = [TimelineEntry(f"19{50 + i}", f"19{50 + i}", Markup("An event " * (3 + i % 4)))
                               for i in range(12)]
    deck.slides[-1].references = [BibEntry(f"k{i}", f"ref-k{i}", Markup(h)) for i, (_, h) in
                                  enumerate(REFERENCES * 3)]
    path = tmp_path / "crowded.html"
    path.write_text(render_deck(deck, make_env()), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    watch = Watch()
    watch.attach(page)
    page.goto(path.as_uri())
    page.wait_for_function("window.lectern && window.lectern.current > 0")
    try:
        assert overflowing_slides(page) == []
        refs = page.evaluate("document.querySelectorAll('#deck > .slide[data-kind=references]').length")
        assert refs >= 3  # the long list was split over several slides
    finally:
        page.close()
    assert watch.errors == []


def test_keys_work_after_following_a_citation_link(open_deck):
    page = open_deck("#/3")
    page.locator("#slide-3 .cite a").click()
    page.wait_for_function("lectern.current === 15")
    page.keyboard.press("Space")
    assert page.evaluate("lectern.current") == 16


def test_blocked_speaker_window_is_explained(open_deck):
    page = open_deck("#/3")
    page.evaluate("window.open = () => null")
    page.keyboard.press("s")
    assert "blocked the speaker window" in page.locator(".notice").inner_text()


@pytest.mark.parametrize("strict", [False, True])
def test_policy_stops_any_script_but_the_runtime(browser, tmp_path, strict):
    """Markup that slipped past the resolver fetches nothing and runs nothing (strict: no eval either)."""
    from markupsafe import Markup

    deck = make_deck()
    deck.slides[2].points[0].html = Markup(
        '<img src="https://example.invalid/x.png" onerror="window.hacked = 1">'
        '<script src="https://example.invalid/x.js"></script>'
        '<link rel="stylesheet" href="https://example.invalid/x.css">'
        '<script>window.hacked = 2</script><svg onload="window.hacked = 3"></svg>')
    path = tmp_path / "hostile.html"
    path.write_text(render_deck(deck, make_env(), embed_fonts=False, strict_scripts=strict), encoding="utf-8")
    page = browser.new_page()
    watch = Watch()
    watch.attach(page)
    page.goto(path.as_uri() + "#/3")
    page.wait_for_function("window.lectern && window.lectern.current === 3")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("lectern.current") == 4  # the runtime itself runs
    assert page.evaluate("window.hacked") is None  # by hash: no inline script of the course's runs, strict or not
    page.wait_for_timeout(200)
    assert len(watch.foreign()) == 3 and sorted(watch.foreign()) == sorted(watch.blocked)  # tried, and refused
    page.close()
