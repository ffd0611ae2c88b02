"""Fuzzing: generated and mutated courses end in a build or a clean error report, never a traceback.

The always-run part is short and deterministic (derandomized); `--run-slow` or LECTERN_FUZZ_LONG=1
adds long random runs. Cases that once failed are kept in tests/regressions/ and replayed here.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fuzzlib import (CourseFiles, assert_clean, assert_report, courses, invoke, mutated, read_fixture, unsafe_html,
                     valid_courses)

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
REGRESSIONS = REPO / "tests" / "regressions"
HANG_SECONDS = 30  # one example taking longer than this counts as a hang

SHORT = dict(derandomize=True, deadline=None, database=None,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                    HealthCheck.function_scoped_fixture])
LONG = dict(SHORT, derandomize=False)


@contextlib.contextmanager
def time_limit(seconds: int = HANG_SECONDS):
    """Fail (instead of hanging the test run) when the body takes longer than `seconds`."""
    def expired(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s: Lectern hangs on this input")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_ends_cleanly(course: CourseFiles) -> int:
    with tempfile.TemporaryDirectory() as tmp, time_limit():
        root = course.write(Path(tmp) / "course")
        result = invoke(["check", str(root)])
        assert_clean(result)
        return result.exit_code


_ENV = None


def build_in_process(course: CourseFiles) -> dict[str, str] | None:
    """Load, validate, resolve, render decks and course page (no PDFs); None on a clean error report.

    Every rendered page is also scanned for anything that would run a course author's script.
    """
    global _ENV
    from lectern.pipeline import check
    from lectern.problems import ContentError
    from lectern.deck.deck import render_deck
    from lectern.deck.index import render_index
    from lectern.theme.templates import make_env
    from lectern.report import BufferReporter
    from lectern.text.resolve import resolve
    _ENV = _ENV or make_env(None)
    with tempfile.TemporaryDirectory() as tmp, time_limit():
        root = course.write(Path(tmp) / "course")
        try:
            checked = check(root, reporter=BufferReporter())
        except ContentError as err:
            assert_report(err.format_message())
            return None
        resolved = resolve(checked.course, checked.markup, checked.marks)
        pages = {f"slides/{lid}.html": render_deck(deck, _ENV, embed_fonts=False)
                 for lid, deck in resolved.decks.items()}
        pages["index.html"] = render_index(resolved.index, _ENV, embed_fonts=False)
    for name, html in pages.items():
        assert not unsafe_html(html), (name, unsafe_html(html))
    return pages


# ---------------------------------------------------------------------------------- always run
@settings(max_examples=40, **SHORT)
@given(courses())
def test_generated_courses_check_cleanly(course):
    check_ends_cleanly(course)


@settings(max_examples=40, **SHORT)
@given(mutated(read_fixture(MINI)))
def test_mutated_fixture_checks_cleanly(course):
    check_ends_cleanly(course)


@settings(max_examples=12, **SHORT)
@given(valid_courses())
def test_wild_markdown_builds_decks_or_reports(course):
    build_in_process(course)


def test_some_wild_courses_do_build():
    """The generator is not all noise: a derandomized sample really reaches the renderers."""
    built = []

    @settings(max_examples=6, **SHORT)
    @given(valid_courses())
    def run(course):
        built.append(build_in_process(course) is not None)
    run()
    assert sum(built) >= 2, built


# ---------------------------------------------------------------------------------- regressions
def _regression_cases() -> list[Path]:
    return sorted(REGRESSIONS.glob("*.json"))


@pytest.mark.parametrize("case", _regression_cases(), ids=lambda p: p.stem)
def test_regression(case: Path):
    """A course that once broke Lectern (saved from a fuzz run) now gives the recorded outcome."""
    data = json.loads(case.read_text("utf-8"))
    files = {k: (bytes.fromhex(v[4:]) if isinstance(v, str) and v.startswith("hex:") else v)
             for k, v in data["files"].items()}
    course = CourseFiles(files)
    if data.get("mode", "check") == "build":
        pages = build_in_process(course)
        assert (pages is not None) == (data["expect"] == 0), data["note"]
    else:
        assert check_ends_cleanly(course) == data["expect"], data["note"]


# ---------------------------------------------------------------------------------- real processes
def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_cli_process_exit_codes(tmp_path):
    """The real command: 0 for a good course, 1 with positions for a broken one, 2 for usage."""
    good = _run("check", str(MINI))
    assert good.returncode == 0, good.stderr
    broken = CourseFiles({**read_fixture(MINI), "lectures/second.yaml": "title: [unclosed\nsections: x\n"})
    root = broken.write(tmp_path / "broken")
    bad = _run("check", str(root))
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert_report(bad.stderr)
    assert "second.yaml:" in bad.stderr
    assert _run("check", str(tmp_path / "nowhere")).returncode == 2
    assert _run("build", str(MINI), "--only", "bogus").returncode == 2
    assert _run("frobnicate").returncode == 2


# ---------------------------------------------------------------------------------- long runs
def _quiet(check):
    """The check as a Hypothesis test body (which must return None)."""
    def body(course):
        check(course)
    return body


@pytest.mark.slow
def test_long_generated():
    settings(max_examples=int(os.environ.get("LECTERN_FUZZ_EXAMPLES", 2000)), **LONG)(
        given(courses())(_quiet(check_ends_cleanly)))()


@pytest.mark.slow
def test_long_mutated():
    settings(max_examples=int(os.environ.get("LECTERN_FUZZ_EXAMPLES", 2000)), **LONG)(
        given(mutated(read_fixture(MINI)))(_quiet(check_ends_cleanly)))()


@pytest.mark.slow
def test_long_wild_markdown():
    settings(max_examples=int(os.environ.get("LECTERN_FUZZ_EXAMPLES", 2000)) // 5, **LONG)(
        given(valid_courses())(_quiet(build_in_process)))()
