"""Validation: every mistake in a course is reported at once as path:line:column, exit status 1."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers import ROOT, copy_fixture, run_cli, write_course

GOOD_LECTURE = """
title: A lecture
sections:
  - title: One
    reading: Some prose.
    slides:
      - title: A slide
        points: [a, b]
"""


REFERENCES = """
- id: known2016
  type: book
  author: [{family: Known, given: Kim}]
  issued: {date-parts: [[2016]]}
  title: A Book
"""


def course_with(tmp_path, lecture: str, course_extra: str = "", extra_files: dict | None = None):
    files = {
        "course.yaml": "title: T\nauthor: A\nbibliography: references.yaml\nlectures:\n  - lectures/one.yaml\n"
                       + course_extra + "\n",
        "references.yaml": REFERENCES,
        "lectures/one.yaml": lecture,
    }
    files.update(extra_files or {})
    return write_course(tmp_path / "course", files)


def problems_of(result) -> list[str]:
    return [line for line in result.output.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]


TEN_MISTAKES = {
    "course.yaml": """
        title: Ten mistakes
        author: A
        bibliography: references.yaml
        csl: no-such-style
        lectures:
          - lectures/one.yaml
          - lectures/broken.yaml
          - lectures/missing.yaml
          - other/one.yaml
        """,
    "references.yaml": REFERENCES,
    "lectures/one.yaml": """
        title: One
        duration: soon
        sections:
          - title: First
            reading: See [@unknown2016] and a note[^nolabel].
            slides:
              - title: A slide
                pionts: [a]
              - title: A picture
                image: {src: images/missing.png}
              - title: Numbers
                chart: {type: bar, x: year, y: value, data: {columns: [year, amount], rows: [[1, 2]]}}
          - reading: A section without a title.
        """,
    "lectures/broken.yaml": "title: Broken\nsections: [\n",
    "other/one.yaml": GOOD_LECTURE,
}


def test_ten_mistakes_are_reported_together(tmp_path):
    course = write_course(tmp_path / "c", TEN_MISTAKES)
    result = run_cli("check", str(course))
    assert result.exit_code == 1
    lines = problems_of(result)
    expected = [
        (r"course\.yaml:4:6: unknown citation style .no-such-style.", "unknown style"),
        (r"course\.yaml:8:5: .*lecture file 'lectures/missing\.yaml' does not exist", "missing file"),
        (r"course\.yaml:9:5: .*lecture id 'one' is used twice", "duplicate id"),
        (r"broken\.yaml:3:1: YAML syntax error", "YAML syntax"),
        (r"one\.yaml:2:11: duration .* must be a whole number", "wrong type"),
        (r"one\.yaml:5:\d+: unknown citation key '@unknown2016'; did you mean '@known2016'\?", "unknown key"),
        (r"one\.yaml:5:\d+: the footnote \[\^nolabel\] is not defined", "undefined footnote"),
        (r"one\.yaml:8:9: unknown key 'pionts' in a slide; did you mean 'points'\?", "unknown key"),
        (r"one\.yaml:10:16: the image has no `alt`: add `alt:` describing the picture", "image without alt"),
        (r"one\.yaml:10:\d+: .*image 'images/missing\.png' does not exist", "missing image"),
        (r"one\.yaml:12:16: the chart's column 'value' is not in its data; .*amount", "chart column"),
        (r"one\.yaml:13:5: a section is missing the required key 'title'", "missing key"),
    ]
    for pattern, what in expected:
        assert any(re.search(pattern, line) for line in lines), f"{what}: no line matches {pattern}\n" + "\n".join(lines)
    assert len(lines) == len(expected), "\n".join(lines)
    assert "Traceback" not in result.output
    assert not (tmp_path / "c" / "output").exists()


def test_check_writes_nothing_and_build_leaves_previous_output(tmp_path):
    course = copy_fixture("mini", tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous build", "utf-8")
    lecture = course / "lectures" / "second.yaml"
    lecture.write_text(lecture.read_text("utf-8").replace("title: An inline table", "titel: An inline table"), "utf-8")
    result = run_cli("build", str(course), "--out", str(out), "-q")
    assert result.exit_code == 1
    assert "unknown key 'titel' in a slide; did you mean 'title'?" in result.output
    assert (out / "index.html").read_text("utf-8") == "previous build"
    assert sorted(p.name for p in out.iterdir() if p.name != ".lectern") == ["index.html"]  # .lectern: the lock


def test_real_process_exit_status_and_no_traceback(tmp_path):
    course = course_with(tmp_path, "title: [unclosed\n")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", str(course)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert "one.yaml:2:1: YAML syntax error: " in proc.stderr
    assert "',' or ']'" in proc.stderr  # libyaml and PyYAML word the rest differently
    assert "(while parsing a flow sequence that starts at line 1, column 8)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_error_exits_2(tmp_path):
    result = run_cli("build", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    result = run_cli("build", str(ROOT / "tests" / "fixtures" / "mini"), "--only", "decks")
    assert result.exit_code == 2
    assert "unknown output decks" in result.output


@pytest.mark.parametrize("lecture, message", [
    ("title: T\nsections: []\n", "the lecture has no sections"),
    ("title: T\nsections:\n  - title: S\n    slides:\n      - title: X\n        build: maybe\n",
     "build must be true or false"),
    ("title: T\nsections:\n  - title: S\n    slides:\n      - title: X\n        chart: {type: pie, x: a, y: b, data: {columns: [a, b], rows: []}}\n",
     "chart type must be bar, grouped, stacked, line, area, scatter or histogram"),
    ("title: T\nsections:\n  - title: S\n    slides:\n      - title: X\n        image: {src: ../../etc/passwd, alt: x}\n",
     "leads outside the course folder"),
    ("title: T\nsections:\n  - title: S\n    slides:\n      - title: X\n        image: {src: /etc/passwd, alt: x}\n",
     "is an absolute path"),
    ("title: T\nsections:\n  - title: S\n    slides:\n      - title: X\n        image: {src: 'http://example.com/a.png', alt: x}\n",
     "is a URL"),
    ("title: !!python/object:os.system T\nsections: []\n", "is not allowed in a course file"),
    ("title: T\ntitle: U\nsections: []\n", "appears twice"),
    ("title: T\nfurther_reading: [kapcia]\nsections:\n  - title: S\n    slides: [{title: X}]\n",
     "must be a citation key like"),
    ("title: T\nsections:\n  - title: S\n    slides:\n      - title: X\n        image: {src: a.png, alt: ''}\n",
     "alt text is empty"),
])
def test_single_mistakes(tmp_path, lecture, message):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = run_cli("check", str(course_with(tmp_path, lecture)))
    assert result.exit_code == 1
    assert message in result.output
    assert problems_of(result)


def test_warnings_pass_unless_strict(tmp_path):
    lecture = """
        title: T
        footnotes:
          unused: Never called.
        sections:
          - title: Empty
            reading: ""
        """
    course = course_with(tmp_path, lecture)
    relaxed = run_cli("check", str(course))
    assert relaxed.exit_code == 0
    assert "warning: the footnote 'unused' is defined but never called" in relaxed.output
    assert "warning: the section 'Empty' has no slides" in relaxed.output
    assert "warning: the reading of 'Empty' is empty" in relaxed.output
    strict = run_cli("check", str(course), "--strict")
    assert strict.exit_code == 1
    assert len(problems_of(strict)) == 3


def test_glossary_and_timeline_must_name_real_lectures(tmp_path):
    course = course_with(tmp_path, GOOD_LECTURE, "timeline: timeline.yaml\nglossary: glossary.yaml", {
        "timeline.yaml": "- {date: '1959-13', event: Bad month}\n- {date: '1959', event: ok, lecture: onee}\n",
        "glossary.yaml": "- {term: X, definition: Y, lecture: two}\n",
    })
    result = run_cli("check", str(course))
    assert result.exit_code == 1
    assert "timeline.yaml:1:10: the date '1959-13' must be a year" in result.output
    assert "timeline.yaml:2:3: there is no lecture 'onee'; did you mean 'one'?" in result.output
    assert "glossary.yaml:1:3: there is no lecture 'two'" in result.output


def test_chart_csv_columns_checked(tmp_path):
    lecture = """
        title: T
        sections:
          - title: S
            slides:
              - title: X
                chart: {type: line, data: data/w.csv, x: year, y: [wages, pensoins]}
        """
    course = course_with(tmp_path, lecture, extra_files={"data/w.csv": "year,wages,pensions\n1989,100,100\n"})
    result = run_cli("check", str(course))
    assert result.exit_code == 1
    assert "the chart's column 'pensoins' is not in its data; did you mean 'pensions'?" in result.output


def test_a_broken_font_in_the_courses_templates_is_reported_and_nothing_is_written(tmp_path):
    """A course's own font replaces the theme's in every output: one that is not a font is
    reported with its path before anything is built, beside the course's other mistakes."""
    fonts = ROOT / "templates" / "fonts"
    course = course_with(tmp_path, GOOD_LECTURE.replace("title: A lecture", "titel: A lecture"))
    (course / "templates" / "fonts").mkdir(parents=True)
    (course / "templates" / "fonts" / "LinBiolinum_R.otf").write_text("not a font", "utf-8")
    (course / "templates" / "fonts" / "LinBiolinum_RB.otf").write_bytes((fonts / "LinBiolinum_RB.otf").read_bytes()[:30000])
    (course / "templates" / "fonts" / "LinBiolinum_RI.otf").write_bytes((fonts / "LinBiolinum_RI.otf").read_bytes())
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", str(course), "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert any(line.startswith("course/templates/fonts/LinBiolinum_R.otf:1:1: not a font Lectern can read")
               and line.endswith("replace it with an OpenType or TrueType font, or remove it to use the theme's")
               for line in lines), proc.stderr
    assert any(line.startswith("course/templates/fonts/LinBiolinum_RB.otf:1:1: not a font") for line in lines)
    assert not any("LinBiolinum_RI.otf" in line for line in lines)  # a good font is not a problem
    assert "unknown key 'titel'" in proc.stderr and "4 problems found; nothing was written." in proc.stderr  # titel: and no title
    assert not (out / "index.html").exists()
