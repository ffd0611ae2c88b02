"""serve: answers from the output folder only, reloads pages after a save, survives a broken edit."""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lectern.report import BufferReporter
from lectern.serve import inject, live_script, resolve_request, start

MINI = Path(__file__).parent / "fixtures" / "mini"
REPO = Path(__file__).resolve().parent.parent
WAIT = 180  # seconds: generous upper bounds for a loaded machine, never a speed requirement


def deck_only_course(dest: Path) -> Path:
    shutil.copytree(MINI, dest)
    with (dest / "course.yaml").open("a", encoding="utf-8") as fh:
        fh.write("outputs: [deck]\n")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def served(tmp_path):
    course = deck_only_course(tmp_path / "course")
    out = tmp_path / "out"
    reporter = BufferReporter()
    running = start(course, out, port=0, reporter=reporter)
    assert running.wait_idle(WAIT)
    yield running, course, out, reporter
    running.stop()


def get(running, path: str, method: str = "GET") -> tuple[int, bytes, dict]:
    parts = urlsplit(running.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
    try:
        conn.request(method, path)  # sent as written: no client-side normalisation of ..
        resp = conn.getresponse()
        return resp.status, resp.read(), dict(resp.getheaders())
    finally:
        conn.close()


class Events:
    """A server-sent event stream, read event by event."""

    def __init__(self, running, page: str, since: int):
        parts = urlsplit(running.url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
        self.conn.request("GET", f"/__lectern/events?since={since}&page={page}")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type") == "text/event-stream"

    def next(self, skip: tuple[str, ...] = ("ok",)) -> tuple[str, object]:
        name = None
        while True:
            line = self.resp.fp.readline().decode("utf-8")
            if not line:
                raise AssertionError("the event stream closed without an event")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:") and name:
                data = json.loads(line[5:].strip())
                if name not in skip:
                    return name, data
                name = None

    def close(self):
        self.conn.close()


def generation_of(page: bytes) -> int:
    return int(re.search(rb"since=(\d+)", page).group(1))


# ---- serving ---------------------------------------------------------------------------------

def test_serves_outputs_with_live_script_that_is_not_in_the_files(served):
    running, course, out, _ = served
    assert running.server.server_address[0] == "127.0.0.1"
    status, body, headers = get(running, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"data-lectern-live" in body and b"slides/intro.html" in body
    assert b"data-lectern-live" not in (out / "index.html").read_bytes()
    status, deck, _ = get(running, "/slides/intro.html")
    assert status == 200 and deck.rstrip().endswith(b"</html>")
    assert deck.index(b"data-lectern-live") < deck.rindex(b"</body>")
    assert get(running, "/slides/intro.html", "HEAD")[1] == b""
    assert get(running, "/no-such-file.css")[0] == 404


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/../../secret.txt", "/slides/../../secret.txt", "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt", "/slides/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%5csecret.txt",
    "/%252e%252e/secret.txt", "/.lectern/manifest.json", "/%2electern/manifest.json",
    "/slides/..%2F..%2Fcourse/course.yaml", "/link/secret.txt", "/%00", "//secret.txt",
])
def test_never_serves_anything_outside_the_output_folder(served, path):
    running, course, out, _ = served
    (out.parent / "secret.txt").write_text("TOP SECRET", "utf-8")
    (out / "link").symlink_to(out.parent, target_is_directory=True)
    status, body, _ = get(running, path)
    assert status in (403, 404)
    assert b"TOP SECRET" not in body and b"title:" not in body and b"snapshot" not in body


def test_resolve_request_stays_inside(tmp_path):
    root = tmp_path.resolve()
    (root / "a").mkdir()
    (root / "a" / "index.html").write_text("x")
    assert resolve_request(root, "/a/") == root / "a" / "index.html"
    assert resolve_request(root, "/a/%69ndex.html") == root / "a" / "index.html"
    assert resolve_request(root, "/a/../../etc/passwd") is None
    assert resolve_request(root, "/a/%2e%2e/%2e%2e/etc/passwd") is None


def test_inject_places_the_script_before_the_last_body_end():
    page = b"<html><body><p>a</p></body></html>"
    assert inject(page, "<script>x</script>") == b"<html><body><p>a</p><script>x</script></body></html>"
    assert inject(b"<p>no body</p>", "<s>") == b"<p>no body</p><s>"
    assert '"slides/x.html"' in live_script("slides/x.html", 3) and "since=3" in live_script("slides/x.html", 3)


def test_many_requests_at_once_while_rebuilding(served):
    running, course, out, _ = served
    edit(course / "lectures" / "intro.yaml", "Ask the room", "Ask everyone in the room")
    paths = ["/", "/slides/intro.html", "/slides/second.html"] * 20
    with ThreadPoolExecutor(30) as pool:
        results = list(pool.map(lambda p: get(running, p), paths))
    assert all(status == 200 and body.rstrip().endswith(b"</html>") for status, body, _ in results)
    assert running.wait_idle(WAIT)


# ---- reloading ----------------------------------------------------------------------------------

def test_a_save_rebuilds_and_reloads_the_page_showing_it(served):
    running, course, out, reporter = served
    _, deck, _ = get(running, "/slides/intro.html")
    stream = Events(running, "slides/intro.html", generation_of(deck))
    other = Events(running, "slides/second.html", generation_of(deck))
    try:
        edit(course / "lectures" / "intro.yaml", "title: Step by step", "title: Step after step")
        name, _ = stream.next()
        assert name == "reload"
        _, deck, _ = get(running, "/slides/intro.html")
        assert b"Step after step" in deck
        # an edit to the other lecture reloads its page, and does not rewrite this one
        generation = running.live.generation
        edit(course / "lectures" / "second.yaml", "title: An inline table", "title: A table inline")
        assert other.next()[0] == "reload"
        assert running.wait_idle(WAIT)
        assert "slides/intro.html" not in running.live.written_since(generation)
    finally:
        stream.close()
        other.close()
    assert "slides/second.html" in reporter.names("written")


def test_a_broken_edit_shows_its_problems_and_the_server_recovers(served):
    running, course, out, reporter = served
    lecture = course / "lectures" / "intro.yaml"
    good = lecture.read_text("utf-8")
    _, deck, _ = get(running, "/slides/intro.html")
    stream = Events(running, "slides/intro.html", generation_of(deck))
    try:
        lecture.write_text(good.replace("title: Step by step", "title: [Step by step"), "utf-8")
        name, problems = stream.next()
        assert name == "problems"
        assert any(re.search(r"intro\.yaml:\d+:\d+: ", line) for line in problems)
        assert any("intro.yaml" in text for text in reporter.names("error"))
        status, body, _ = get(running, "/slides/intro.html")  # the last good deck, still served
        assert status == 200 and b"Step by step" in body
        lecture.write_text(good.replace("title: Step by step", "title: Step by careful step"), "utf-8")
        name, _ = stream.next(skip=())
        assert name in ("ok", "reload")
        if name == "ok":
            assert stream.next()[0] == "reload"
    finally:
        stream.close()
    assert running.wait_idle(WAIT)
    assert b"Step by careful step" in get(running, "/slides/intro.html")[1]


def test_status_says_whether_a_build_is_running_and_what_is_wrong(served):
    """Scripts (and the benchmark) wait on /__lectern/status instead of guessing with sleeps."""
    running, course, out, reporter = served
    status, body, headers = get(running, "/__lectern/status")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    idle = json.loads(body)
    assert idle["building"] is False and idle["problems"] is None
    lecture = course / "lectures" / "intro.yaml"
    lecture.write_text(lecture.read_text("utf-8").replace("title: Step by step", "title: [Step by step"), "utf-8")
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        now = json.loads(get(running, "/__lectern/status")[1])
        if now["problems"]:
            break
        time.sleep(0.05)
    assert now["building"] is False
    assert any("intro.yaml" in line for line in now["problems"])


def test_a_burst_of_saves_is_coalesced(served):
    running, course, out, _ = served
    lecture = course / "lectures" / "intro.yaml"
    good = lecture.read_text("utf-8")
    before = running.builder.builds
    for i in range(12):
        lecture.write_text(good.replace("title: Step by step", f"title: Step {i}"), "utf-8")
    time.sleep(0.5)
    assert running.wait_idle(WAIT)
    assert 1 <= running.builder.builds - before <= 3
    assert b"Step 11" in get(running, "/slides/intro.html")[1]


def test_first_build_failing_still_serves_a_page_with_the_problems(tmp_path):
    course = deck_only_course(tmp_path / "course")
    edit(course / "lectures" / "intro.yaml", "title: The first lecture", "title: [broken")
    reporter = BufferReporter()
    running = start(course, tmp_path / "out", port=0, reporter=reporter)
    try:
        assert running.wait_idle(WAIT)
        status, body, _ = get(running, "/")
        assert status == 503 and b"does not build" in body and b"data-lectern-live" in body
        stream = Events(running, "index.html", generation_of(body))
        assert stream.next()[0] == "problems"
        edit(course / "lectures" / "intro.yaml", "title: [broken", "title: Fixed")
        assert stream.next()[0] == "reload"
        stream.close()
        assert running.wait_idle(WAIT)
        assert get(running, "/")[0] == 200
    finally:
        running.stop()


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    course = deck_only_course(tmp_path / "course")
    proc = subprocess.Popen([sys.executable, "build.py", "serve", str(course), "--out", str(tmp_path / "out"),
                             "--port", "0"], cwd=REPO, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        match = re.search(r"at (http://\S+)", line)
        assert match, line
        parts = urlsplit(match.group(1))
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            conn.request("GET", "/slides/intro.html")
            if conn.getresponse().status == 200:
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "Traceback" not in err and "stopped" in err


# ---- in a browser -------------------------------------------------------------------------------

def _browser():
    if not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"):
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright
    return sync_playwright()


@pytest.mark.browser
def test_a_reloaded_deck_stays_on_its_slide_and_shows_problems_in_the_page(served):
    running, course, out, _ = served
    lecture = course / "lectures" / "intro.yaml"
    good = lecture.read_text("utf-8")
    with _browser() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.goto(running.url + "slides/intro.html#/4")
            page.wait_for_function("window.lectern && window.lectern.current === 4")
            lecture.write_text(good.replace("title: Step by step", "title: Step by step, revised"), "utf-8")
            page.wait_for_function("document.body.innerText.includes('revised')", timeout=WAIT * 1000)
            page.wait_for_function("window.lectern && window.lectern.current === 4")
            assert page.evaluate("location.hash") == "#/4"

            lecture.write_text(good.replace("title: Step by step", "title: [Step"), "utf-8")
            page.wait_for_selector("#lectern-problems", timeout=WAIT * 1000)
            assert "intro.yaml" in page.inner_text("#lectern-problems")
            assert page.evaluate("window.lectern.current") == 4  # the last good deck stays usable

            lecture.write_text(good.replace("title: Step by step", "title: Step by step, fixed"), "utf-8")
            page.wait_for_function("document.body.innerText.includes('fixed')", timeout=WAIT * 1000)
            assert page.query_selector("#lectern-problems") is None
            assert page.evaluate("location.hash") == "#/4"
        finally:
            browser.close()


@pytest.mark.pdf
def test_a_save_during_pdf_layout_restarts_the_build_and_ends_consistent(tmp_path):
    from lectern.pipeline import BuildOptions, build
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    with (course / "course.yaml").open("a", encoding="utf-8") as fh:
        fh.write("outputs: [deck, handouts]\n")
    out = tmp_path / "out"
    reporter = BufferReporter()
    running = start(course, out, port=0, reporter=reporter)
    try:
        assert running.wait_idle(WAIT)
        lecture = course / "lectures" / "intro.yaml"
        edit(lecture, "title: Step by step", "title: Step one")
        # as soon as the deck of the first save is written, save again: its handout is still being laid out
        deadline = time.monotonic() + WAIT
        while b"Step one" not in (out / "slides" / "intro.html").read_bytes():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        edit(lecture, "title: Step one", "title: Step two")
        time.sleep(0.5)
        assert running.wait_idle(WAIT)
        assert b"Step two" in get(running, "/slides/intro.html")[1]
    finally:
        running.stop()
    # whatever was cancelled, what is on disk and in the manifest matches the course
    result = build(course, out, BuildOptions(), BufferReporter())
    assert result.built == []
    assert (out / "handouts" / "intro.pdf").stat().st_size > 1000


def test_only_loopback_host_names_are_answered(served):
    """DNS rebinding: a page whose name now points at 127.0.0.1 must not read the outputs."""
    running, course, out, reporter = served
    parts = urlsplit(running.url)

    def with_host(host: str | None) -> int:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
        try:
            conn.putrequest("GET", "/slides/intro.html", skip_host=True)
            if host is not None:
                conn.putheader("Host", host)
            conn.endheaders()
            return conn.getresponse().status
        finally:
            conn.close()

    for host in ("evil.example", "evil.example:%d" % parts.port, "localhost.evil.example", "127.0.0.1.evil.example"):
        assert with_host(host) == 421, host
    for host in ("localhost", f"localhost:{parts.port}", f"127.0.0.1:{parts.port}", f"[::1]:{parts.port}",
                 "LOCALHOST."):
        assert with_host(host) == 200, host
