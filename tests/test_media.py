"""A slide's video and live page (issue 18), and a deck using every layout and media key.

The deck plays the video copied beside it from its start to its end and frames a live page only
from the course's `embed_origins`; print shows the poster with the file's name, and the page's
title, address and a QR code; every mistake is named at its file and line.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import build_fixture, copy_fixture, run_cli

POLL = "https://poll.example.org"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    b = build_fixture("everykey", tmp_path_factory.mktemp("everykey"))
    return b.course, b.out, b.output


# ---- the build: the copy beside the decks, what it says -------------------------------------------

def test_the_video_is_copied_beside_the_deck_and_the_build_and_course_page_say_so(built):
    course, out, output = built
    copy = out / "slides" / "media" / "bars.webm"
    assert copy.read_bytes() == (course / "media" / "bars.webm").read_bytes()
    assert "slides/media/bars.webm" in output and "whole slides/ folder" in output
    page = (out / "index.html").read_text("utf-8")
    assert re.search(r'class="lecture-media">[^<]*1 video\(s\) from slides/media/', page)
    deck = (out / "slides" / "all.html").read_text("utf-8")
    assert '<source src="media/bars.webm#t=0.5,3" type="video/webm">' in deck
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', deck)[1]
    assert "media-src 'self' data:" in policy
    assert f"frame-src {POLL};" in policy and f"connect-src 'self' {POLL};" in policy


def test_a_video_no_slide_plays_any_more_leaves_the_output_and_clean_removes_copies(tmp_path):
    course = copy_fixture("everykey", tmp_path)
    out = tmp_path / "out"
    assert run_cli("build", str(course), "--out", str(out), "--only", "deck").exit_code == 0
    copy = out / "slides" / "media" / "bars.webm"
    assert copy.is_file()
    again = run_cli("build", str(course), "--out", str(out), "--only", "deck")
    assert "nothing changed" in again.output  # an unchanged video is not copied again
    lecture = course / "lectures" / "all.yaml"
    text = lecture.read_text("utf-8")
    text = re.sub(r"      - title: A clip\n(        .*\n)+", "", text)
    text = re.sub(r"          - video: .*\n", "          - points: [No clip here]\n", text)
    lecture.write_text(text, "utf-8")
    result = run_cli("build", str(course), "--out", str(out), "--only", "deck")
    assert result.exit_code == 0, result.output
    assert not copy.exists() and "slides/media/bars.webm" in result.output  # retired, and said
    assert run_cli("build", str(copy_fixture("everykey", tmp_path / "b"), ), "--out", str(out),
                   "--only", "deck").exit_code == 0
    assert copy.exists()
    assert run_cli("clean", "--out", str(out)).exit_code == 0
    assert not copy.exists()


# ---- print: the poster and the file's name, the QR code and its link ------------------------------

def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _links(pdf: Path) -> set[str]:
    from pypdf import PdfReader
    found = set()
    for page in PdfReader(str(pdf)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get("/URI"):
                found.add(str(action["/URI"]))
    return found


@pytest.mark.parametrize("pdf", ["handouts/all.pdf", "handouts/all-notes.pdf", "slides/all.pdf", "study-guide.pdf"])
def test_print_shows_the_poster_the_file_and_the_live_pages_address_and_link(built, pdf):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    _, out, _ = built
    text = " ".join(_text(out / pdf).split())
    assert "Video: slides/media/bars.webm · 0:00.5–0:03" in text
    assert "Live page: Class poll" in text and f"{POLL}/room/7" in text and f"{POLL}/room/8" in text
    assert {f"{POLL}/room/7", f"{POLL}/room/8"} <= _links(out / pdf)  # the address and the QR code link it
    listing = subprocess.run(["pdfimages", "-list", str(out / pdf)], capture_output=True, text=True, check=True).stdout
    sizes = {tuple(line.split()[3:5]) for line in listing.splitlines()[2:]}
    assert ("480", "270") in sizes  # the poster, printed in the video's place


def test_the_qr_code_holds_the_address_module_for_module():
    """The printed code is segno's matrix for the address: every dark module one filled square."""
    import segno
    from lectern.text.media import QR_BORDER, qr_svg
    url = f"{POLL}/room/7?lang=en"
    svg = str(qr_svg(url))
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg)[1])
    drawn = [[0] * size for _ in range(size)]
    for a, t, b in re.findall(r"M(\d+) (\d+)L(\d+) \2", svg):
        for x in range(int(a), int(b)):
            drawn[int(t)][x] = 1
    matrix = segno.make(url, error="m", micro=False).matrix
    want = [[0] * size for _ in range(size)]
    for y, row in enumerate(matrix):
        for x, bit in enumerate(row):
            want[y + QR_BORDER][x + QR_BORDER] = bit & 1
    assert drawn == want


# ---- the deck in a browser --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    from deck_browser import ARGS, CHROMIUM, need_chromium
    need_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, "--autoplay-policy=no-user-gesture-required"])
        yield b
        b.close()


def _open(browser, built, size, poll="answers"):
    from deck_browser import Watch, answer_embeds
    _, out, _ = built
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    watch = Watch()
    watch.attach(page)
    if poll == "answers":
        answer_embeds(page, [POLL])
    else:
        page.route(f"{POLL}/**", lambda r: r.abort("internetdisconnected"))
    page.goto((out / "slides" / "all.html").as_uri())
    page.wait_for_function("window.lectern && lectern.slideCount > 0")
    return page, watch


def _slide(page, title: str) -> int:
    return page.evaluate("""(t) => [...document.querySelectorAll('#deck > .slide')].findIndex(
        s => (s.querySelector('h2') || {}).textContent === t) + 1""", title)


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)])
def test_every_key_steps_through_with_no_overflow_console_error_or_foreign_request(browser, built, size, tmp_path):
    """Columns, widths, sized and cropped pictures, a row of pictures, backgrounds, a video, live
    pages, every kind of chart with error bars and series in steps: each slide and step in turn."""
    from deck_browser import overflowing_slides
    page, watch = _open(browser, built, size)
    count = page.evaluate("lectern.slideCount")
    assert overflowing_slides(page) == []
    page.evaluate("lectern.go(1)")
    page.wait_for_function("lectern.current === 1")  # the deck shows its first slide on a timer of its own
    seen = set()
    for _ in range(200):  # every step of every slide, by the keys a lecturer presses
        seen.add(page.evaluate("lectern.current"))
        if page.evaluate("lectern.current") == count and page.evaluate(
                "!document.querySelector('#deck > .slide.current [data-step]:not(.shown)')"):
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(120)
    assert seen == set(range(1, count + 1))
    page.wait_for_timeout(300)
    assert page.locator(".embed.live iframe").count() == 2  # both polls framed once their slides were shown
    assert watch.errors == [], watch.errors
    assert watch.foreign((POLL,)) == [] and watch.blocked == []
    page.screenshot(path=str(tmp_path / "last.png"))
    page.close()


def test_the_video_plays_from_its_start_stops_at_its_end_and_pauses_when_the_slide_is_left(browser, built):
    page, watch = _open(browser, built, (1280, 720))
    n = _slide(page, "A clip")
    page.evaluate("(n) => lectern.go(n)", n)
    state = page.evaluate("""async () => {
        const v = document.querySelector('#deck > .slide.current video');
        v.muted = true; await v.play(); const first = v.currentTime;
        await new Promise(r => setTimeout(r, 3500));
        return {first, last: v.currentTime, paused: v.paused, error: v.error && v.error.code}; }""")
    assert state["error"] is None and state["first"] >= 0.45  # from `start: 0.5`
    assert state["paused"] and 2.9 <= state["last"] <= 3.3  # stopped at `end: 3`
    page.evaluate("() => document.querySelector('#deck > .slide.current video').play()")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    assert page.evaluate(f"document.querySelector('#deck > .slide[data-n=\"{n}\"] video').paused")
    assert watch.errors == []
    page.close()


def test_offline_a_live_page_shows_its_title_and_address_not_a_broken_frame(browser, built):
    page, watch = _open(browser, built, (1280, 720), poll="offline")
    n = _slide(page, "A live poll")
    page.evaluate("(n) => lectern.go(n)", n)
    page.wait_for_function("document.querySelector('#deck > .slide.current .embed.unreachable')")
    slide = page.locator(f"#deck > .slide[data-n='{n}']")
    assert slide.locator("iframe").get_attribute("src") is None  # never pointed at the unreachable page
    assert not slide.locator("iframe").is_visible()
    panel = slide.locator(".embed-offline")
    assert panel.is_visible() and "Class poll" in panel.inner_text() and f"{POLL}/room/7" in panel.inner_text()
    assert "cannot be reached" in panel.inner_text()
    assert all("ERR_INTERNET_DISCONNECTED" in e for e in watch.errors)  # only the refused request itself
    page.close()


def test_the_decks_policy_refuses_every_origin_not_listed(browser, built):
    page, watch = _open(browser, built, (1280, 720))
    page.route("https://elsewhere.example.com/**", lambda r: r.fulfill(status=200, body="no"))
    fetched = page.evaluate("""() => fetch('https://elsewhere.example.com/x', {mode: 'no-cors'})
        .then(() => 'fetched', () => 'refused')""")
    framed = page.evaluate("""() => new Promise(done => {
        document.addEventListener('securitypolicyviolation', e => done(e.violatedDirective), {once: true});
        const f = document.createElement('iframe'); f.src = 'https://elsewhere.example.com/'; document.body.appendChild(f);
        setTimeout(() => done('loaded'), 2000); })""")
    assert fetched == "refused" and framed.startswith("frame-src")
    assert not any("elsewhere" in u for u in watch.requests)
    page.close()


def test_a_miniature_shows_the_live_pages_title_never_a_second_frame(browser, built):
    page, _ = _open(browser, built, (1280, 720))
    n = _slide(page, "A live poll")
    page.evaluate("(n) => lectern.go(n)", n)
    page.wait_for_function("document.querySelector('#deck > .slide.current .embed.live')")
    page.keyboard.press("o")  # the overview draws every slide small
    page.wait_for_timeout(300)
    assert page.locator(".mini iframe").count() == 0
    assert page.locator(".mini .embed-offline", has_text="Class poll").count() >= 1
    page.close()


# ---- serving: a video is sought in by ranges ---------------------------------------------------------

def test_byte_ranges_are_read_as_browsers_ask_them():
    from lectern.serve.handler import byte_range
    assert byte_range("bytes=0-99", 1000) == (0, 99)
    assert byte_range("bytes=900-", 1000) == (900, 999)
    assert byte_range("bytes=-100", 1000) == (900, 999)
    assert byte_range("bytes=500-5000", 1000) == (500, 999)
    assert byte_range("bytes=1000-", 1000) is None
    assert byte_range("lines=1-2", 1000) is None and byte_range("bytes=x-", 1000) is None


# ---- mistakes, each at its file and line --------------------------------------------------------------

MISTAKES = [
    ("video: {src: images/bars.png, caption: x}", "must be an MP4, WebM or Ogg file"),
    ("video: {src: media/none.mp4, caption: x}", "the video 'media/none.mp4' does not exist"),
    ("video: {src: media/bars.webm, poster: images/bars.png}", "the video has neither `caption` nor `title`"),
    ("video: {src: media/bars.webm, poster: media/bars.webm, caption: x}", "must be a PNG, JPEG, GIF, WebP or SVG"),
    ("video: {src: media/bars.webm, poster: images/bars.png, caption: x, start: 5, end: 2}", "the video ends (2 s) before it starts (5 s)"),
    ("video: {src: media/bars.webm, poster: images/bars.png, caption: x, start: soon}", "a video's `start` is a time in seconds"),
    ("embed: {url: \"https://elsewhere.example.com/p\", title: Poll}", "the embed's origin https://elsewhere.example.com is not in course.yaml's `embed_origins`"),
    ("embed: {url: \"ftp://poll.example.org/p\", title: Poll}", "is not a web address"),
    ("embed: {url: \"https://poll.example.org/p\"}", "an embed is missing the required key 'title'"),
    ("embed: {url: \"https://poll.example.org/p\", title: Poll, height: 9000}", "an embed's height is in slide pixels"),
    ("image: {src: images/a.png}", "the image has no `alt`"),
]


def _with_slide(tmp_path: Path, body: str) -> tuple[Path, Path, int]:
    course = copy_fixture("everykey", tmp_path)
    lecture = course / "lectures" / "all.yaml"
    text = lecture.read_text("utf-8")
    at = text.index("      - title: Stacked")
    slide = f"      - title: The mistake\n        points: [Something]\n        {body}\n"
    lecture.write_text(text[:at] + slide + text[at:], "utf-8")
    return course, lecture, text[:at].count("\n") + 3


@pytest.mark.parametrize("body, message", MISTAKES, ids=[m[1][:32] for m in MISTAKES])
def test_each_media_mistake_names_its_file_and_line(tmp_path, body, message):
    course, lecture, line = _with_slide(tmp_path, body)
    result = run_cli("check", str(course))
    assert result.exit_code != 0 and "Traceback" not in result.output
    found = [ln for ln in result.output.splitlines() if message in ln]
    assert found, result.output
    assert f"{lecture.name}:{line}:" in found[0], found[0]


def test_two_figures_on_a_slide_and_a_video_without_poster(tmp_path):
    course, lecture, line = _with_slide(
        tmp_path, "video: {src: media/bars.webm, caption: x}\n        embed: {url: \"https://poll.example.org/p\", title: P}")
    result = run_cli("check", str(course), "--strict")
    assert f"{lecture.name}:{line + 1}:9: a slide shows one of image, chart, video, embed" in result.output
    assert f"{lecture.name}:{line}:16: warning: the video has no `poster`" in result.output  # fails --strict


def test_embed_origins_are_origins_and_two_videos_cannot_share_a_copy(tmp_path):
    course = copy_fixture("everykey", tmp_path)
    (course / "course.yaml").write_text((course / "course.yaml").read_text("utf-8").replace(
        f"embed_origins: [{POLL}]", f"embed_origins: [{POLL}, https://other.example.org/path]"), "utf-8")
    (course / "bars.webm").write_bytes((course / "media" / "bars.webm").read_bytes() + b"\0")  # another file
    lecture = course / "lectures" / "all.yaml"
    lecture.write_text(lecture.read_text("utf-8").replace(
        "          - video: {src: media/bars.webm,", "          - video: {src: bars.webm,"), "utf-8")
    result = run_cli("check", str(course))
    assert result.exit_code != 0
    assert "course.yaml:8:" in result.output and "'https://other.example.org/path' is not an origin" in result.output
    assert "write just `https://other.example.org`" in result.output
    assert ("the video 'bars.webm' would be copied to slides/media/bars.webm, where 'media/bars.webm'"
            in result.output)
