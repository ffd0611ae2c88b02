"""Every file the course names is an input, whatever its name or folder; a file turned into a link is noticed."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lectern.pipeline import BuildOptions, build
from lectern.problems import ContentError
from lectern.report import BufferReporter
from test_incremental import frozen_code  # noqa: F401  (fixture: Lectern's code does not change mid-test)

MINI = Path(__file__).parent / "fixtures" / "mini"


def _course(tmp_path: Path, place: str) -> Path:
    """The mini course with its second lecture moved to `place` (a hidden name, a skipped folder)."""
    dest = tmp_path / "course"
    shutil.copytree(MINI, dest)
    (dest / place).parent.mkdir(parents=True, exist_ok=True)
    (dest / "lectures" / "second.yaml").rename(dest / place)
    course_yaml = dest / "course.yaml"
    course_yaml.write_text(course_yaml.read_text("utf-8").replace("lectures/second.yaml", place), "utf-8")
    timeline = dest / "timeline.yaml"  # the lecture's id follows its file name
    timeline.write_text(timeline.read_text("utf-8").replace("lecture: second", f"lecture: '{Path(place).stem}'"),
                        "utf-8")
    return dest


def _build(course: Path, out: Path):
    return build(course, out, BuildOptions(only=["deck"]), BufferReporter())


@pytest.mark.parametrize("place", ["lectures/.second.yaml", "lectures/#second.yaml",
                                   ".drafts/second.yaml", "node_modules/second.yaml", "lectures/second.yaml~"])
def test_an_edit_to_a_lecture_with_a_scratch_like_name_is_rebuilt(tmp_path, place):
    course, out = _course(tmp_path, place), tmp_path / "out"
    _build(course, out)
    deck = next(out.rglob("*second*.html"))
    assert "An inline table" in deck.read_text("utf-8")
    lecture = course / place
    lecture.write_text(lecture.read_text("utf-8").replace("An inline table", "A renamed table"), "utf-8")
    result = _build(course, out)
    assert deck.relative_to(out).as_posix() in result.built, f"{place}: an edit was taken for 'nothing changed'"
    assert "A renamed table" in deck.read_text("utf-8")


def test_a_lecture_turned_into_a_link_outside_after_a_good_build_is_an_error(tmp_path):
    course, out = _course(tmp_path, "lectures/second.yaml"), tmp_path / "out"
    _build(course, out)
    outside = tmp_path / "elsewhere.yaml"
    lecture = course / "lectures" / "second.yaml"
    shutil.copy2(lecture, outside)  # same bytes, same time: only the link itself is new
    lecture.unlink()
    os.symlink(outside, lecture)
    with pytest.raises(ContentError) as caught:
        _build(course, out)
    assert "outside the course folder" in caught.value.format_message()


def test_serve_rebuilds_after_an_edit_to_a_lecture_in_a_hidden_folder(tmp_path):
    import time
    from lectern.serve import start
    course = _course(tmp_path, ".drafts/second.yaml")
    with (course / "course.yaml").open("a", encoding="utf-8") as fh:
        fh.write("outputs: [deck]\n")
    out = tmp_path / "out"
    running = start(course, out, port=0, reporter=BufferReporter())
    try:
        assert running.wait_idle(180)
        builds = running.builder.builds
        lecture = course / ".drafts" / "second.yaml"
        lecture.write_text(lecture.read_text("utf-8").replace("An inline table", "A renamed table"), "utf-8")
        deadline = time.monotonic() + 60
        while running.builder.builds == builds and time.monotonic() < deadline:
            time.sleep(0.1)
        assert running.builder.builds > builds, "serve's watcher ignored an edit to a lecture the course names"
        assert running.wait_idle(180)
        assert "A renamed table" in (out / "slides" / "second.html").read_text("utf-8")
    finally:
        running.stop()
