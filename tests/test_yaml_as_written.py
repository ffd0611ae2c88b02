"""YAML as people write it: text-valued keys keep what was typed (`lang: no`, `1.10`, `yes`), numbers stay numbers."""
from __future__ import annotations

from lectern.course.load import load_course
from lectern.course.yamlnodes import read_yaml

from helpers import write_course

LECTURE = """
title: Yes
subtitle: 1.10
duration: 45
summary: on
objectives: [no, 3.0, 2024-01-05]
sections:
  - title: 1959
    reading: Off
    slides:
      - title: True
        build: yes
        points: [yes, 1.10, 0o17, 1_000, .inf, 2001-12-14t21:59:43.10-05:00]
        timeline: {from: 1953, to: 1959}
        notes: null
footnotes:
  1: on
  no: 1.50
"""


def _course(tmp_path, lang="no", extra=""):
    return write_course(tmp_path / "c", {
        "course.yaml": f"title: 2.0\nauthor: [no, 1e3]\nlang: {lang}\nsubtitle: ON\ninstitution: 007\n"
                       f"lectures: [lectures/one.yaml]\n{extra}",
        "lectures/one.yaml": LECTURE,
        "glossary.yaml": "- term: no\n  definition: yes\n",
        "timeline.yaml": "- date: 1959\n  event: 1.10\n- date: 1959-01-01\n  event: Off\n",
    })


def test_text_valued_keys_read_what_was_typed(tmp_path):
    course, problems = load_course(_course(tmp_path, extra="glossary: glossary.yaml\ntimeline: timeline.yaml\n"))
    assert [str(p) for p in problems] == []
    assert course.lang == "no"  # Norwegian, not false
    assert (course.title.src, course.subtitle.src, course.institution) == ("2.0", "ON", "007")
    assert course.authors == ["no", "1e3"]
    lecture = course.lectures[0]
    assert (lecture.title.src, lecture.subtitle.src, lecture.summary.src) == ("Yes", "1.10", "on")
    assert [o.src for o in lecture.objectives] == ["no", "3.0", "2024-01-05"]
    assert lecture.duration == 45  # a number key stays a number
    section = lecture.sections[0]
    assert (section.title.src, section.reading.src) == ("1959", "Off")
    slide = section.slides[0]
    assert slide.title.src == "True" and slide.build is True  # build is a true/false key
    assert [p.text.src for p in slide.points] == ["yes", "1.10", "0o17", "1_000", ".inf",
                                                   "2001-12-14t21:59:43.10-05:00"]
    assert (slide.timeline.start, slide.timeline.end) == (1953, 1959)
    assert {k: v.src for k, v in lecture.footnotes.items()} == {"1": "on", "no": "1.50"}
    assert [(g.term, g.definition.src) for g in course.glossary] == [("no", "yes")]
    assert [(e.date, e.event.src) for e in course.timeline] == [("1959", "1.10"), ("1959-01-01", "Off")]


def test_positions_are_kept(tmp_path):
    course, problems = load_course(_course(tmp_path, lang="1.10"))
    assert [f"{p.pos.line}:{p.pos.column}: {p.message}" for p in problems] == [
        "3:7: lang '1.10' is not a BCP 47 language tag (like en, en-GB, fr, de)"]
    root = read_yaml(tmp_path / "c" / "lectures" / "one.yaml", "one.yaml").root
    subtitle = root.value["subtitle"]
    assert (subtitle.pos.line, subtitle.pos.column) == (2, 11)


def test_a_mapping_key_is_read_as_typed(tmp_path):
    path = tmp_path / "k.yaml"
    path.write_text("on: 1\n1.10: 2\n2020-01-01: 3\n", "utf-8")
    assert list(read_yaml(path, "k.yaml").root.value) == ["on", "1.10", "2020-01-01"]
