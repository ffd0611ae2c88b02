"""Small leaks and messages: --out inside the course, long lecture ids, relative links, internal reprs."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lectern.pipeline import BuildOptions, build, check
from lectern.problems import ContentError, LecternError
from lectern.report import BufferReporter

MINI = Path(__file__).parent / "fixtures" / "mini"
REPO = Path(__file__).resolve().parent.parent
INTERNALS = re.compile(r"Node\(|Pos\(|<unicode string>|position \d+|object at 0x")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(MINI, dest)
    return dest


def _problems(course: Path) -> str:
    with pytest.raises(ContentError) as caught:
        check(course, reporter=BufferReporter())
    return caught.value.format_message()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize("out", ["output", "lectures/built", "data/x/y"])
def test_out_inside_the_course_folder_is_refused_and_nothing_is_written(course, out):
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", str(course), "--out",
                             str(course / out), "--only", "deck"], capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "inside the course folder" in result.stderr and "Traceback" not in result.stderr
    assert not (course / out).exists()


def test_a_lecture_id_too_long_for_a_file_name_fails_check_naming_the_file(course):
    name = "a-very-long-lecture-name-" * 9  # 225 bytes: a file may be named so; its outputs may not
    (course / "lectures" / "second.yaml").rename(course / "lectures" / f"{name}.yaml")
    _edit(course / "course.yaml", "lectures/second.yaml", f"lectures/{name}.yaml")
    _edit(course / "timeline.yaml", "lecture: second", f"lecture: {name}")
    message = _problems(course)
    assert re.search(r"course\.yaml:\d+:\d+: the lecture file name 'a-very-long", message)
    assert "200 bytes" in message


def test_a_relative_markdown_link_is_refused_with_its_line_and_never_reaches_an_output(course, tmp_path):
    _edit(course / "lectures" / "second.yaml", "reading: A short reading.",
          "reading: A short reading, see [my notes](notes/week2.pdf).")
    message = _problems(course)
    assert re.search(r"second\.yaml:5:\d+: the link 'notes/week2\.pdf' leads to a file beside the source", message)
    # the renderer never writes such a link either (a course built without check's gate)
    from lectern.text.markup import Markup, RenderContext
    from lectern.course.model import Md, Pos
    markup = Markup("en")
    html = markup.render(Md("see [notes](../notes.pdf) and [web](https://example.org)", Pos("x", 1, 1)),
                         RenderContext(cite_html={}, on_footnote=lambda h, p: h))
    assert "notes.pdf" not in html and 'href="https://example.org"' in html


@pytest.mark.parametrize("old,new", [
    ("duration: 30", "duration: {a: [1]}"),
    ("duration: 30", "duration: [1, 2]"),
    ("title: The second lecture", "title: The second \x07lecture"),
])
def test_messages_show_the_course_text_never_internal_reprs(course, old, new):
    _edit(course / "lectures" / "second.yaml", old, new)
    message = _problems(course)
    assert not INTERNALS.search(message), message
    assert re.search(r"second\.yaml:[12]:\d+: ", message)


def test_a_control_character_in_the_bibliography_is_placed_by_line_and_column(course):
    with (course / "references.yaml").open("a", encoding="utf-8") as fh:
        fh.write('- id: extra\n  title: "bad \x07 text"\n')
    message = _problems(course)
    assert not INTERNALS.search(message), message
    lines = (course / "references.yaml").read_text("utf-8").splitlines()
    assert f"references.yaml:{len(lines)}:" in message and "U+0007" in message
