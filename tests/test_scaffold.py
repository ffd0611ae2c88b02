"""`new`: the starter course is written whole, passes `check --strict`, and never overwrites."""
from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from lectern.cli import main
from lectern.pipeline import check
from lectern.problems import OutputError
from lectern.course.scaffold import new_course, starter_files

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {"course.yaml", "lectures/01-introduction.yaml", "references.yaml", "timeline.yaml",
            "glossary.yaml", "schema/course.schema.json", "schema/lecture.schema.json",
            "schema/timeline.schema.json", "schema/glossary.schema.json",
            # the pictures of the starter's slides with images, columns and a background (issue 18)
            "images/one-idea.png", "images/crowded.png", "images/lecture-hall.jpg",
            # a video with its poster, and a live page (issue 18)
            "media/growing-bars.webm", "images/growing-bars.png"}


def test_writes_the_starter_files(tmp_path):
    target = tmp_path / "courses" / "my-course"  # parents are created
    written = new_course(target)
    assert {p.relative_to(target).as_posix() for p in written} == EXPECTED
    assert all(p.is_file() for p in written)
    for rel, data in starter_files():
        if rel.name != "course.yaml":
            assert (target / rel).read_bytes() == data
    course = yaml.safe_load((target / "course.yaml").read_text("utf-8"))
    assert course["date"] == datetime.date.today()  # dated the day it was made
    assert course["lectures"] == ["lectures/01-introduction.yaml"]
    for p in written:
        if p.suffix in (".yaml", ".json"):
            assert yaml.safe_load(p.read_text("utf-8"))


def test_an_empty_existing_folder_is_fine(tmp_path):
    assert len(new_course(tmp_path)) == len(EXPECTED)


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    mine = tmp_path / "course.yaml"
    mine.write_text("title: my own work\n")
    with pytest.raises(OutputError, match="not empty"):
        new_course(tmp_path)
    assert mine.read_text() == "title: my own work\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.yaml"]


def test_refuses_a_hidden_file_too_and_a_file_as_target(tmp_path):
    (tmp_path / ".git").mkdir()
    with pytest.raises(OutputError, match="not empty"):
        new_course(tmp_path)
    f = tmp_path / "notes.txt"
    f.write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        new_course(f)


def test_an_unwritable_place_is_an_output_error(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        new_course(tmp_path / "a-file" / "course")


def test_the_starter_passes_check_strict_and_shows_the_format(tmp_path):
    new_course(tmp_path / "c")
    checked = check(tmp_path / "c", strict=True)
    course = checked.course
    assert checked.warnings == []
    assert course.bibliography and course.timeline and course.glossary
    (lecture,) = course.lectures
    assert lecture.id == "01-introduction"
    assert len(lecture.sections) == 2
    slides = [s for sec in lecture.sections for s in sec.slides]
    assert 5 <= len(slides) <= 10
    assert any(s.columns and s.widths and s.build for s in slides)  # one slide of each layout (issue 18)
    assert any(len(s.images) >= 2 for s in slides)
    assert any(s.background is not None and s.background.image is not None for s in slides)
    assert any(s.video is not None and s.video.poster is not None for s in slides)
    assert any(s.embed is not None for s in slides) and course.embed_origins
    assert all(s.notes for s in slides), "every slide has speaker notes"
    assert any(s.build for s in slides)
    assert any(s.quote for s in slides)
    assert any(any(p.points for p in s.points) for s in slides), "a sub-list"
    charts = [s.chart for s in slides if s.chart]
    assert charts and charts[0].data_path is None and charts[0].table.rows
    assert lecture.footnotes
    text = (tmp_path / "c" / "lectures" / "01-introduction.yaml").read_text()
    assert "^[" in text and "[@" in text  # an inline footnote and a citation
    assert all(q for sec in lecture.sections for q in sec.questions)


def test_cli_new_then_check(tmp_path):
    runner = CliRunner()
    target = tmp_path / "course"
    result = runner.invoke(main, ["new", str(target)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["check", str(target), "--strict"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["new", str(target)])
    assert again.exit_code == 1
    assert "not empty" in again.output and "Traceback" not in again.output


def test_build_py_new_from_another_folder(tmp_path):
    """The starter ships with the package: `new` works from any working folder."""
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "new", "fresh"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "fresh" / "course.yaml").is_file()


@pytest.mark.pdf
def test_the_starter_builds_every_output_strictly(tmp_path):
    from pypdf import PdfReader

    from lectern.pipeline import BuildOptions, build
    from lectern.report import QuietReporter

    new_course(tmp_path / "c")
    out = tmp_path / "out"
    build(tmp_path / "c", out, BuildOptions(strict=True), QuietReporter())
    deck = (out / "slides" / "01-introduction.html").read_text("utf-8")
    assert "Above all else show the data." in deck and "lectern-chart" in deck
    guide = "\n".join(page.extract_text() for page in PdfReader(out / "study-guide.pdf").pages)
    for words in ("Teaching with Slides", "Tufte", "Multimedia Learning", "Chronology", "Glossary"):
        assert words in guide
    assert len(PdfReader(out / "handouts" / "01-introduction.pdf").pages) >= 3
    assert (out / "index.html").is_file()


@pytest.mark.parametrize("how, said", [(["-m", "lectern"], "python -m lectern"), ([str(ROOT / "build.py")], "python build.py")])
def test_messages_name_the_command_the_user_ran(tmp_path, how, said):
    """`new`'s next step, the starter's own comment and "no course.yaml" all say what this user types."""
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    made = subprocess.run([sys.executable, *how, "new", "fresh"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env=env)
    assert made.returncode == 0, made.stderr
    assert f"build it with: {said} build fresh" in made.stderr
    first = (tmp_path / "fresh" / "course.yaml").read_text("utf-8")
    assert f"`{said} build <this folder>`" in first and "build.py" not in first.replace(said, "")
    (tmp_path / "empty").mkdir()
    checked = subprocess.run([sys.executable, *how, "check", "empty"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=120, env=env)
    assert checked.returncode == 1
    assert f"(`{said} new DIR` writes a course to start from)" in checked.stderr
