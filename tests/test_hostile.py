"""Hostile content: course text, file names, SVG images, paths and YAML tags written to attack.

Whatever a course says, the deck, the course page and the study guide show it as text (or drop
it): no author script runs in a student's browser, no file outside the course is read, no object
is constructed from YAML, nothing is fetched from a network.
"""
from __future__ import annotations

import http.server
import signal
import time
import os
import re
import threading
from pathlib import Path

import pytest

from fuzzlib import PNG_1PX, REFERENCES, CourseFiles, assert_report, dump, invoke, unsafe_html

PAYLOAD = ('<script>alert(1)</script> <img src=x onerror=alert(2)> <a href="javascript:alert(3)">a</a> '
           '[l](javascript:alert(4)) <javascript:alert(5)> [m](JaVaScRiPt:alert(6)) [n](&#106;avascript:alert(7)) '
           '[o](data:text/html,<script>alert(8)</script>) <svg onload=alert(9)> "><script>alert(10)</script> '
           "' onmouseover='alert(11)' [p](vbscript:alert(12)) [q](java\tscript:alert(13)) "
           "<style>*{background:url(http://e.com/x)}</style> <iframe src=http://e.com></iframe>")
PLAIN = 'Plain "><script>alert(20)</script> \' onfocus=\'alert(21)'  # for fields that are not Markdown

XXE_SVG = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>"""

HOSTILE_SVG = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(30)" viewBox="0 0 10 10">
<script>alert(31)</script>
<script xlink:href="http://e.com/x.js"/>
<a href="javascript:alert(32)"><rect width="5" height="5" onclick="alert(33)"/></a>
<a xlink:href="java&#x09;script:alert(34)"><circle r="2"/></a>
<a><set attributeName="href" to="javascript:alert(35)"/><text>x</text></a>
<a><animate attributeName="xlink:href" values="java&#9;script:alert(36)"/><text>y</text></a>
<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(37)</script></body></foreignObject>
<image href="http://e.com/track.png" width="1" height="1"/>
<image xlink:href="file:///etc/passwd" width="1" height="1"/>
<use href="http://e.com/s.svg#x"/>
<rect width="1" height="1" style="fill:url(&quot;http://e.com/p&quot;)"/>
<rect width="1" height="1" style="background-image:url(//e.com/p)"/>
<style>@import url(http://e.com/x.css); rect { fill: url(//e.com/y) }</style>
<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(38)</html:script>
<rect width="2" height="2" fill="#369" OnMouseOver="alert(39)"/>
<SCRIPT>alert(41)</SCRIPT><ForeignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(42)"/></ForeignObject>
<Set attributeName="HREF" to="javascript:alert(43)"/><rect width="1" height="1" style="fill:u\\72l(//e.com/z)"/>
</svg>"""

LECTURE_ID = 'x"onmouseover=alert(40) y'  # a lecture file name is an id in links and attributes


def hostile_course() -> CourseFiles:
    md = PAYLOAD
    lecture = {
        "title": md, "subtitle": md, "summary": md, "objectives": [md], "duration": 10,
        "footnotes": {"a": md},
        "further_reading": ["@k1"],
        "sections": [{
            "title": md + "[^a]", "reading": md + "^[" + md.replace("[", "(").replace("]", ")") + "]",
            "questions": [md],
            "slides": [
                {"title": md, "points": [md, {"text": md, "points": [md]}], "notes": md, "build": True},
                {"title": "Quote", "quote": {"text": md, "source": md + " [@k1]"}},
                {"title": "Picture", "image": {"src": "images/evil.svg", "alt": PLAIN, "caption": md}},
                {"title": "Entity", "image": {"src": "images/xxe.svg", "alt": "xxe"}},
                {"title": "Photo", "image": {"src": "images/p.png", "alt": PLAIN, "caption": md}},
                {"title": "Chart", "chart": {"type": "bar", "title": PLAIN, "unit": PLAIN, "caption": md,
                                             "source": md, "x": "year", "y": "v",
                                             "data": {"columns": ["year", "v"], "rows": [[PLAIN, 1], ["b", 2]]}}},
                {"title": "Years", "timeline": {"from": 1900, "to": 2000}},
            ]}],
    }
    course = {"title": md, "subtitle": md, "author": [PLAIN, "B"], "institution": PLAIN, "lang": "en",
              "bibliography": "references.yaml", "lectures": [f"lectures/{LECTURE_ID}.yaml"],
              "timeline": "timeline.yaml", "glossary": "glossary.yaml"}
    references = REFERENCES + (
        "- id: k3\n  type: webpage\n  title: '<script>alert(50)</script> <b onclick=\"alert(51)\">t</b>'\n"
        "  author: [{family: '<img src=x onerror=alert(52)>', given: A}]\n"
        "  URL: 'javascript:alert(53)'\n  issued: {date-parts: [[2020]]}\n")
    lecture["further_reading"].append("@k3")
    return CourseFiles({
        "course.yaml": dump(course), f"lectures/{LECTURE_ID}.yaml": dump(lecture), "references.yaml": references,
        "timeline.yaml": dump([{"date": "1959", "event": md, "lecture": LECTURE_ID}]),
        "glossary.yaml": dump([{"term": PLAIN, "definition": md, "lecture": LECTURE_ID}]),
        "images/evil.svg": HOSTILE_SVG, "images/xxe.svg": XXE_SVG, "images/p.png": PNG_1PX,
    })


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    """The hostile course's decks, course page and study-guide chapter HTML."""
    from lectern.pipeline import check
    from lectern.deck.deck import render_deck
    from lectern.print.guide import GuideRenderer
    from lectern.deck.index import render_index
    from lectern.theme.templates import make_env, theme_dirs
    from lectern.report import BufferReporter
    from lectern.text.resolve import resolve
    root = hostile_course().write(tmp_path_factory.mktemp("hostile") / "course")
    checked = check(root, reporter=BufferReporter())
    resolved = resolve(checked.course, checked.markup, checked.marks)
    env = make_env(checked.course.templates)
    pages = {f"deck {lid}": render_deck(deck, env, embed_fonts=False) for lid, deck in resolved.decks.items()}
    pages["index"] = render_index(resolved.index, env, embed_fonts=False)
    guide = GuideRenderer(resolved.guide, env, [root, *theme_dirs(checked.course.templates)])
    for chapter in resolved.guide.chapters:
        pages[f"guide chapter {chapter.number}"] = guide.html("chapter", first_page=1, chapter=chapter)
    for appendix in guide.appendices:
        pages[f"guide {appendix.id}"] = guide.html("appendix", first_page=1, appendix=appendix)
    pages["guide front"] = guide.html("front", folios={})
    return pages


def test_every_page_was_rendered(rendered):
    assert any(k.startswith("deck") for k in rendered)
    assert "index" in rendered and "guide chapter 1" in rendered
    assert any("bibliography" in k for k in rendered), sorted(rendered)


@pytest.mark.parametrize("page", ["deck", "index", "guide chapter 1", "guide front", "guide appendix-bibliography",
                                  "guide appendix-chronology", "guide appendix-glossary"])
def test_no_author_script_can_run(rendered, page):
    html = next((v for k, v in rendered.items() if k.startswith(page)), None)
    assert html is not None, sorted(rendered)
    assert unsafe_html(html) == []


@pytest.mark.parametrize("page", ["deck", "index", "guide chapter 1"])
def test_hostile_markup_shows_as_text(rendered, page):
    html = next(v for k, v in rendered.items() if k.startswith(page))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html


def test_svg_image_loses_scripts_handlers_and_outside_references(rendered):
    deck = next(v for k, v in rendered.items() if k.startswith("deck"))
    import base64
    images = [base64.b64decode(d).decode() for d in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', deck)]
    svg = next((s for s in images if 'viewBox="0 0 10 10"' in s), None)  # an image of the cleaned file
    assert svg, "the course's SVG is not in the deck"
    text = svg.split(">", 1)[1]
    assert "<rect" in text and "#369" in text  # the picture itself survives
    for bad in ("alert(", "<script", "onload", "onclick", "onmouseover", "javascript", "foreignobject",
                "e.com", "file:", "@import", "<set", "<animate", "\\72"):
        assert bad not in text.lower(), (bad, text)
    assert "root:" not in deck  # the external entity (file:///etc/passwd) was not read


def test_no_network_or_file_urls_in_pages(rendered):
    for name, html in rendered.items():
        if name.startswith("guide"):
            continue  # the guide's HTML names its bundled fonts by file URL; WeasyPrint confines them
        for url in urls_in(html):
            assert not re.match(r"(?i)\s*(https?:)?//|\s*file:", url), (name, url)


def urls_in(html: str) -> list[str]:
    """Every URL the page would load or link: src/href attributes and CSS url() in style attributes."""
    from html.parser import HTMLParser
    found: list[str] = []

    class Urls(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in ("src", "href", "xlink:href", "poster", "data") and value:
                    found.append(value)
                elif name == "style" and value:
                    found.extend(re.findall(r"url\(\s*['\"]?([^'\")]*)", value))

    Urls().feed(html)
    return found


# ---------------------------------------------------------------------------------- SVG unit
SVG_VECTORS = {
    "script": '<script>alert(1)</script>', "upper-case script": '<SCRIPT>alert(1)</SCRIPT>',
    "prefixed script": '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
    "event attribute": '<rect onclick="alert(1)"/>', "upper-case event": '<rect ONCLICK="alert(1)"/>',
    "javascript link": '<a href="javascript:alert(1)"><text>x</text></a>',
    "tab in scheme": '<a href="java&#9;script:alert(1)"><text>x</text></a>',
    "xlink javascript": '<a xlink:href=" javascript:alert(1)"><text>x</text></a>',
    "set href": '<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>',
    "animate xlink:href": '<a><animate attributeName="xlink:href" values="javascript:alert(1)"/><text>x</text></a>',
    "animate onclick": '<rect><set attributeName="onclick" to="alert(1)"/></rect>',
    "foreignObject": '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject>',
    "remote image": '<image href="http://e.com/alert(1).png"/>',
    "remote use": '<use xlink:href="//e.com/alert(1).svg#x"/>',
    "style url": '<rect style="fill:url(//e.com/alert(1))"/>',
    "quoted style url": '<rect style="fill:url(&quot;http://e.com/alert(1)&quot;)"/>',
    "escaped style url": '<rect style="fill:u\\72l(//e.com/alert(1))"/>',
    "style element import": '<style>@import "//e.com/alert(1).css";</style>',
    "style element url": '<style>rect{fill:url(http://e.com/alert(1))}</style>',
    "presentation url": '<rect fill="url(http://e.com/alert(1))"/>',
}


@pytest.mark.parametrize("name", sorted(SVG_VECTORS))
def test_svg_sanitizer_removes(name):
    from lectern.text.svgsafe import sanitize_svg
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           f'<circle r="3" fill="url(#g)"/>{SVG_VECTORS[name]}</svg>')
    out = str(sanitize_svg(svg, "label"))
    assert '<circle r="3" fill="url(#g)"' in out  # the harmless rest, with its local paint server, stays
    assert "alert(1)" not in out, out
    assert unsafe_html(f"<!doctype html><body>{out}</body>") == []


# ---------------------------------------------------------------------------------- paths
def small_course(extra_slide: dict | None = None, **course_keys) -> CourseFiles:
    slide = {"title": "S"}
    slide.update(extra_slide or {})
    course = {"title": "T", "author": "A", "lectures": ["lectures/l1.yaml"], **course_keys}
    return CourseFiles({"course.yaml": dump(course), "references.yaml": REFERENCES, "images/p.png": PNG_1PX,
                        "data/d.csv": "year,v\n1,2\n",
                        "lectures/l1.yaml": dump({"title": "L", "sections": [{"title": "S", "slides": [slide]}]})})


def check_errors(root: Path) -> str:
    result = invoke(["check", str(root)])
    assert result.exit_code == 1, result.output
    assert_report(result.stderr)
    return result.stderr


OUTSIDE = ["/etc/passwd", "../outside.png", "images/../../outside.png", "http://example.com/p.png",
           "https://example.com/p.png", "file:///etc/passwd", "//example.com/p.png", "data:image/png;base64,AA==",
           "images/link-out.png", "images/link-dir/secret.png", "~/secret.png"]


@pytest.mark.parametrize("src", OUTSIDE)
@pytest.mark.parametrize("kind", ["image", "chart", "bibliography", "lecture"])
def test_paths_outside_the_course_are_errors(tmp_path, src, kind):
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    (secret_dir / "secret.png").write_bytes(PNG_1PX)
    (tmp_path / "outside.png").write_bytes(PNG_1PX)
    if kind == "image":
        course = small_course({"image": {"src": src, "alt": "x"}})
    elif kind == "chart":
        course = small_course({"chart": {"type": "bar", "data": src.replace(".png", ".csv"), "x": "year", "y": "v"}})
    elif kind == "bibliography":
        course = small_course(bibliography=src.replace(".png", ".yaml"))
    else:
        course = small_course()
        course.files["course.yaml"] = dump({"title": "T", "author": "A",
                                            "lectures": ["lectures/l1.yaml", src.replace(".png", ".yaml")]})
    root = course.write(tmp_path / "course")
    for ext in (".png", ".csv", ".yaml"):
        (tmp_path / f"outside{ext}").write_bytes(PNG_1PX if ext == ".png" else b"year,v\n1,2\n")
        (secret_dir / f"secret{ext}").write_bytes((tmp_path / f"outside{ext}").read_bytes())
        os.symlink(tmp_path / f"outside{ext}", root / "images" / f"link-out{ext}")
    os.symlink(secret_dir, root / "images" / "link-dir")
    errors = check_errors(root)
    line = next((ln for ln in errors.splitlines() if "course.yaml" in ln or "l1.yaml" in ln), "")
    assert line, errors
    assert re.search(r"outside|URL|absolute|does not exist|not allowed", line), errors


def test_symlink_inside_the_course_is_fine(tmp_path):
    root = small_course({"image": {"src": "images/alias.png", "alt": "x"}}).write(tmp_path / "course")
    os.symlink(root / "images" / "p.png", root / "images" / "alias.png")
    result = invoke(["check", str(root)])
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------------------------- YAML tags
TAGS = ["!!python/object/apply:os.system ['touch {marker}']", "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system", "!!python/object:builtins.dict {{}}", "!custom x", "!<tag:e.com,2000:x> y",
        "!!binary aGVsbG8=", "!!set {{a, b}}", "!!omap [a: 1]"]


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("where", ["course.yaml", "lectures/l1.yaml", "key"])
def test_yaml_tags_that_construct_objects_are_refused(tmp_path, tag, where):
    marker = tmp_path / "pwned"
    value = tag.format(marker=marker)
    course = small_course()
    if where == "course.yaml":
        course.files["course.yaml"] += f"subtitle: {value}\n"
    elif where == "key":
        course.files["course.yaml"] += f"? {value}\n: x\n"
    else:
        course.files["lectures/l1.yaml"] += f"summary: {value}\n"
    root = course.write(tmp_path / "course")
    errors = check_errors(root)
    assert not marker.exists()
    assert re.search(r"tag|not allowed|not supported|plain name", errors), errors


# ---------------------------------------------------------------------------------- WeasyPrint
class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{}")

    def log_message(self, *args):
        pass


@pytest.mark.pdf
def test_weasyprint_reads_only_course_and_theme(tmp_path):
    from lectern import pdf
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    course = tmp_path / "course"
    (course / "images").mkdir(parents=True)
    (course / "images" / "p.png").write_bytes(PNG_1PX)
    (tmp_path / "secret.png").write_bytes(PNG_1PX)
    os.symlink(tmp_path / "secret.png", course / "images" / "link.png")
    html = f"""<html><head>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">
      <style>@import url("http://127.0.0.1:{port}/b.css"); p {{ background: url(//127.0.0.1:{port}/c.png) }}</style>
      </head><body><p>x</p>
      <img src="images/p.png"><img src="images/link.png"><img src="{(tmp_path / 'secret.png').as_uri()}">
      <img src="../secret.png"><img src="file:///etc/hostname"><img src="ftp://127.0.0.1/x">
      </body></html>"""
    try:
        document = pdf.render(html, course, [course])
    finally:
        server.shutdown()
        server.server_close()
    refused = document.url_fetcher.refused
    assert _Recorder.hits == []
    assert any(u.endswith("images/link.png") for u in refused), refused
    assert any("secret.png" in u for u in refused if "link" not in u), refused
    assert any("/etc/hostname" in u for u in refused), refused
    assert not any(u.endswith("images/p.png") for u in refused), refused


# ---------------------------------------------------------------------------------- in a browser
@pytest.mark.browser
def test_hostile_deck_runs_no_author_script_in_chromium(rendered, tmp_path):
    """Open the hostile deck and course page, click and hover over everything: no dialog, no request."""
    if not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"):
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright
    dialogs: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            for name in ("deck", "index"):
                html = next(v for k, v in rendered.items() if k.startswith(name))
                path = tmp_path / f"{name}.html"
                path.write_text(html, "utf-8")
                page.goto(path.as_uri())
                count = page.evaluate("window.lectern ? window.lectern.slideCount : 1")
                for n in range(1, count + 1):
                    if name == "deck":
                        page.evaluate(f"window.lectern.go({n})")
                    page.evaluate("""() => { for (const el of document.querySelectorAll('body *')) {
                        for (const t of ['mouseover', 'mouseenter', 'focus', 'error', 'load', 'animationstart'])
                            el.dispatchEvent(new Event(t));
                        if (!el.closest('a[href]')) el.dispatchEvent(new MouseEvent('click', {bubbles: true}));
                    } }""")
                    for link in page.query_selector_all("a[href^='javascript' i], a[href*='script:' i]"):
                        link.click(timeout=500)
                page.wait_for_timeout(300)
        finally:
            browser.close()
    assert dialogs == []
    assert requests == []


# ---------------------------------------------------------------------------------- the server
SERVE_WAIT = 180


@pytest.fixture(scope="module")
def served_course(tmp_path_factory):
    import shutil

    from lectern.report import BufferReporter
    from lectern.serve import start
    tmp_path = tmp_path_factory.mktemp("served")
    course = tmp_path / "course"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", course)
    with (course / "course.yaml").open("a", encoding="utf-8") as fh:
        fh.write("outputs: [deck]\n")
    out = tmp_path / "out"
    running = start(course, out, port=0, reporter=BufferReporter())
    assert running.wait_idle(SERVE_WAIT)
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    yield running, course, out
    running.stop()


def raw_request(running, request: bytes) -> bytes:
    """Send bytes exactly as given (no client normalisation) and return the whole answer."""
    import socket
    from urllib.parse import urlsplit
    parts = urlsplit(running.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)  # no more bytes are coming: a request cut short ends here
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("target", [
    b"/../secret.txt", b"/..%2fsecret.txt", b"/%2e%2e%2fsecret.txt", b"/%2E%2E/secret.txt",
    b"/slides/..%2f..%2fsecret.txt", b"/%c0%ae%c0%ae/secret.txt", b"/..%c0%afsecret.txt",
    b"/%u002e%u002e/secret.txt", b"/.%2e/secret.txt", b"/slides/.%2E/.%2E/secret.txt", b"..%2Fsecret.txt",
    b"../secret.txt", b"http://127.0.0.1/../secret.txt", b"//../secret.txt", b"/\\..\\secret.txt",
    b"/slides/%5c..%5c..%5csecret.txt", b"/%00../secret.txt", b"/..;/secret.txt", b"/ /../secret.txt",
    b"/" + b"../" * 200 + b"secret.txt", b"/.lectern/lock", b"/.lectern/manifest.json", b"/%2Electern/manifest.json",
])
def test_server_never_answers_with_a_file_outside_output(served_course, target):
    running, course, out = served_course
    answer = raw_request(running, b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert b"TOP SECRET" not in answer
    assert b"title:" not in answer and b'"files"' not in answer  # no course YAML, no manifest
    assert answer == b"" or answer.split(b" ", 2)[1] in (b"400", b"403", b"404", b"414"), answer[:200]


@pytest.mark.parametrize("request_bytes", [
    b"GET /\r\n\r\n", b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01\x00\x00",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
    b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n",
])
def test_server_survives_malformed_requests(served_course, request_bytes):
    running, course, out = served_course
    raw_request(running, request_bytes)
    answer = raw_request(running, b"GET /slides/intro.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 200") or answer.startswith(b"HTTP/1.1 200"), answer[:200]


def _backlog() -> int:
    from lectern.serve import _Server
    return _Server.request_queue_size


@pytest.mark.xfail(condition=_backlog() < 200, strict=True,
                   reason="serve.py: the listen backlog (socketserver's request_queue_size) is 5, so 80 of 200 "
                          "simultaneous connections were reset; set _Server.request_queue_size = 256")
def test_server_answers_200_requests_at_once_while_rebuilding(served_course):
    import http.client
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier
    from urllib.parse import urlsplit
    running, course, out = served_course
    parts = urlsplit(running.url)
    barrier = Barrier(200)

    def fetch(path: str) -> tuple[int, bytes, float]:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        barrier.wait()
        started = time.monotonic()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.read(), time.monotonic() - started
        finally:
            conn.close()
    lecture = course / "lectures" / "intro.yaml"
    lecture.write_text(lecture.read_text().replace("Ask the room", "Ask all of the room"))
    with ThreadPoolExecutor(200) as pool:
        results = list(pool.map(fetch, ["/", "/slides/intro.html", "/slides/second.html", "/nothing.css"] * 50))
    for status, body, _ in results:
        assert status in (200, 404), status
        if status == 200:
            assert body.rstrip().endswith(b"</html>")  # whole pages, never half-written ones
    assert sum(status == 200 for status, _, _ in results) == 150
    assert running.wait_idle(SERVE_WAIT)
    slowest = max(seconds for _, _, seconds in results)
    assert slowest < 60, slowest


def test_serve_listens_on_loopback_by_default(tmp_path):
    """`python build.py serve` binds 127.0.0.1 only: another address of this machine gets no answer."""
    import shutil
    import socket
    import subprocess
    import sys
    course = tmp_path / "course"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", course)
    with (course / "course.yaml").open("a", encoding="utf-8") as fh:
        fh.write("outputs: [deck]\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve().parent.parent / "build.py"), "serve",
                             str(course), "--out", str(tmp_path / "out"), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + SERVE_WAIT
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("serve did not start")
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
        if listening.returncode == 0 and listening.stdout.strip():
            local = {line.split()[3].rsplit(":", 1)[0] for line in listening.stdout.strip().splitlines()}
            assert local == {"127.0.0.1"}, listening.stdout
        others = [a for a in _own_addresses() if not a.startswith("127.")]
        for address in others:
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=2).close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def _own_addresses() -> list[str]:
    import socket
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)})
    except OSError:
        return []


# ---------------------------------------------------------------------------------- known holes
def _sandboxed() -> bool:
    from jinja2.sandbox import SandboxedEnvironment

    from lectern.theme.templates import make_env
    return isinstance(make_env(None), SandboxedEnvironment)


@pytest.mark.xfail(condition=not _sandboxed(), strict=True,
                   reason="render/theme.py: a course's templates/ run in a plain Jinja environment, so a template "
                          "copied from the web runs any command at build time; use jinja2.sandbox")
def test_course_templates_cannot_run_commands(tmp_path):
    import shutil
    course = tmp_path / "course"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", course)
    theme = Path(__file__).resolve().parent.parent / "templates" / "deck" / "slide-title.html.j2"
    (course / "templates" / "deck").mkdir(parents=True)
    marker = tmp_path / "pwned"
    (course / "templates" / "deck" / "slide-title.html.j2").write_text(
        theme.read_text() + "{{ cycler.__init__.__globals__.os.system('touch %s') }}" % marker)
    result = invoke(["build", str(course), "--out", str(tmp_path / "out"), "--only", "deck", "-q"])
    assert not marker.exists()
    assert result.exit_code in (0, 1) and "Traceback" not in result.output


@pytest.mark.parametrize("name, text", [
    ("references.yaml", "- id: k1\n  title: " + "[" * 50_000 + "]" * 50_000 + "\n"),
    ("references.json", '[{"id": "k1", "title": ' + "[" * 50_000 + "]" * 50_000 + "}]"),
])
def test_deeply_nested_bibliography_is_a_clean_error(tmp_path, name, text):
    import subprocess
    import sys
    course = small_course(bibliography=name)
    course.files[name] = text
    root = course.write(tmp_path / "course")
    result = subprocess.run([sys.executable, str(Path(__file__).resolve().parent.parent / "build.py"), "check",
                             str(root)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr, (result.returncode, result.stderr[-500:])
