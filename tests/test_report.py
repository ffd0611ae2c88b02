"""Reporters: a progress display on terminals, plain lines otherwise, nothing with -q."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

from lectern.course.model import Pos
from lectern.problems import Problem
from lectern.report import BufferReporter, ProgressReporter, QuietReporter, Reporter

MINI = Path(__file__).parent / "fixtures" / "mini"
REPO = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def simulate(reporter: Reporter) -> None:
    reporter.phase("plan")
    reporter.phase("load")
    reporter.plan(["slides/a.html", "study-guide.pdf"], ["index.html"])
    reporter.output_started("study-guide.pdf")
    reporter.output_started("slides/a.html")
    reporter.output_done("slides/a.html", 0.2)
    reporter.warning(Problem(Pos("lectures/a.yaml", 3, 5), "a section has no slides", "warning"))
    reporter.output_done("study-guide.pdf", 1.5)
    reporter.summary(2, 1, 1.7, "output")


def test_plain_lines_when_not_a_terminal():
    stream = io.StringIO()
    reporter = Reporter(stream)
    assert type(reporter) is Reporter
    simulate(reporter)
    lines = stream.getvalue().splitlines()
    assert lines == ["built    slides/a.html  (0.20 s)",
                     "lectures/a.yaml:3:5: warning: a section has no slides",
                     "built    study-guide.pdf  (1.50 s)",
                     "2 built, 1 unchanged in 1.70 s -> output"]
    assert "\r" not in stream.getvalue()


def test_progress_display_on_a_terminal():
    stream = Terminal()
    reporter = Reporter(stream)
    assert isinstance(reporter, ProgressReporter)
    simulate(reporter)
    text = stream.getvalue()
    assert "\r\x1b[K" in text  # the status line is redrawn in place
    assert "[----------" in text and "0/2" in text and "1/2" in text  # a bar and counts
    assert "study-guide.pdf" in text.split("1/2")[1].split("\r")[0]  # what is still being laid out
    # warnings and the summary are whole lines; the status line is cleared at the end
    assert "lectures/a.yaml:3:5: warning: a section has no slides\n" in text
    assert text.endswith("\r\x1b[K2 built, 1 unchanged in 1.70 s -> output\n")


def test_quiet_prints_nothing_but_warnings():
    stream = io.StringIO()
    reporter = QuietReporter(stream)
    simulate(reporter)
    assert stream.getvalue() == "lectures/a.yaml:3:5: warning: a section has no slides\n"


def test_nothing_changed_summary():
    reporter = BufferReporter()
    reporter.summary(0, 6, 0.02, "output")
    assert reporter.names("summary") == ["nothing changed: 6 outputs up to date in 0.02 s -> output"]


def test_command_line_is_silent_with_q_and_plain_without(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    out = tmp_path / "out"
    cmd = [sys.executable, "build.py", "build", str(course), "--out", str(out), "--only", "deck"]
    loud = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True)
    assert "built    slides/intro.html" in loud.stderr and "3 built, 0 unchanged" in loud.stderr
    assert "\x1b[" not in loud.stderr
    (course / "lectures" / "intro.yaml").write_text(
        (course / "lectures" / "intro.yaml").read_text("utf-8").replace("Step by step", "Step by step 2"), "utf-8")
    quiet = subprocess.run(cmd + ["-q"], cwd=REPO, capture_output=True, text=True, check=True)
    assert quiet.stderr == "" and quiet.stdout == ""
    again = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True)
    assert "nothing changed: 3 outputs up to date" in again.stderr
