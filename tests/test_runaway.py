"""Runaway inputs (issue 22, class 2): each fails fast with file:line:column or builds in bounded time.

A recursive YAML alias, a long run of emphasis markers and a lecture of thousands of slides once
grew memory until the process died, or took minutes to hours; the limits are in docs/format.md.
"""
from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import copy_fixture, run_cli

REPO = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def hang_guard(seconds: int):
    """Fail instead of hanging the test run (the failures these tests guard against took minutes)."""
    def expired(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("yaml_text, line, column", [
    ("title: &x [*x]\n", 1, 8),
    ("title: Fine\nsubtitle: &loop {a: [1, *loop]}\n", 2, 11),
    ("title: Fine\nobjectives: &o\n  - one\n  - - *o\n", 2, 13),
])
def test_a_recursive_alias_is_an_error_at_its_anchor(tmp_path, yaml_text, line, column):
    root = copy_fixture("mini", tmp_path)
    (root / "lectures" / "second.yaml").write_text(yaml_text, "utf-8")
    # in a subprocess with a memory cap: the old code grew memory without end
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
            "from lectern.cli import main; sys.exit(main())")
    for command in ("check", "build"):
        args = [command, str(root)] + (["--out", str(tmp_path / "out")] if command == "build" else [])
        done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True,
                              timeout=60, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert f"lectures/second.yaml:{line}:{column}: this anchor (&) is used (*) inside itself" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_lecture_of_too_many_slides_is_an_error_naming_the_first_one_over(tmp_path):
    from lectern.course.load.lecture_file import MAX_SLIDES
    assert MAX_SLIDES >= 2000  # issue 21: a lecture of 2,000 slides builds (in bounded memory: bench_biglecture)
    root = copy_fixture("mini", tmp_path)
    slides = "".join(f"      - title: Slide {n}\n        points: [one]\n" for n in range(MAX_SLIDES + 1))
    (root / "lectures" / "second.yaml").write_text(
        "title: Long\nsections:\n  - title: All\n    slides:\n" + slides, "utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 1
    line = 5 + 2 * MAX_SLIDES  # the first slide over's first line
    assert re.search(rf"lectures/second\.yaml:{line}:\d+: the lecture has {MAX_SLIDES + 1:,} slides; a lecture may "
                     rf"have at most {MAX_SLIDES} \(this is slide {MAX_SLIDES + 1}\): split it", result.stderr), result.stderr


def test_a_long_run_of_emphasis_builds_in_bounded_time_and_wraps(tmp_path):
    """5,000 <em>s in one unbroken word took a handout seven minutes (growing with their square)."""
    root = copy_fixture("mini", tmp_path)
    lecture = root / "lectures" / "intro.yaml"
    lecture.write_text(lecture.read_text("utf-8").replace(
        "- The guerrilla story^[Told by the victors.]", "- 'The guerrilla story " + "*a" * 5000 + "'"), "utf-8")
    second = root / "lectures" / "second.yaml"
    second.write_text(second.read_text("utf-8").replace(
        "reading: A short reading.^[With one note.]", "reading: 'A short reading. " + "*b" * 4000 + "'"), "utf-8")
    with hang_guard(240):
        result = run_cli("build", str(root), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "out" / "study-guide.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [ln.strip().replace("\u200b", "") for ln in text.splitlines() if "bbbbbbbbbb" in ln]
    assert sum(len(ln) for ln in lines) >= 4000  # every letter printed...
    assert len(lines) >= 40 and max(len(ln) for ln in lines) < 90  # ...wrapped at the measure


def test_break_points_go_only_into_runs_across_many_inline_pieces():
    from lectern.pdf import htmltree, longruns
    root = htmltree.parse("<html><body><p>x " + "<em>a</em>b" * 20 + " end <code>" + "<span>q</span>" * 30
                          + "</code> https://example.org/a/long/path/that/wraps/by/itself</p>"
                          "<p>" + "<em>short</em>" * 3 + "</p></body></html>")
    assert longruns.break_long_runs(root) == 1
    text = ET.tostring(root, encoding="unicode")
    runs = re.search(r"x (.*) end", text).group(1)
    assert runs.count("\u200b") == 3  # 40 letters: a break point every 12
    assert "\u200b" not in text.split(" end ", 1)[1]  # code and a one-piece URL are left alone
