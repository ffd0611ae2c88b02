"""Load stage: a course folder's YAML files become the typed model, with every problem found on the way.

Holds: reader (Reader, the shared helper that reads one value and reports what is wrong with it),
course_file (course.yaml), lecture_file (a lecture, its sections and footnotes), slides (a slide's
keys), timeline_glossary (the timeline and glossary files), kept (lectures reused while unchanged,
in this process and through the user's cache: `keep_parsed`).
May import: lectern.course.model and yamlnodes, lectern.problems, lectern.state (usercache).
Callers outside the package import what this file re-exports (load_course, keep_parsed, display_path).
"""
from __future__ import annotations

from pathlib import Path

from ..model import Course
from ...problems import Problem
from ..yamlnodes import one_line
from . import course_file
from .course_file import COURSE_KEYS
from .kept import KEPT_FILES, KEPT_FORMAT, MAX_KEPT, keep_parsed
from .lecture_file import LECTURE_KEYS, SECTION_KEYS
from .reader import Reader, display_path
from .slides import CHART_KEYS, IMAGE_KEYS, POINT_KEYS, QUOTE_KEYS, SLIDE_KEYS, SPAN_KEYS, TABLE_KEYS
from .timeline_glossary import EVENT_KEYS, GLOSSARY_KEYS

__all__ = ["load_course", "keep_parsed", "display_path", "Reader", "KEPT_FILES", "KEPT_FORMAT", "MAX_KEPT",
           "COURSE_KEYS", "LECTURE_KEYS", "SECTION_KEYS", "SLIDE_KEYS", "POINT_KEYS", "QUOTE_KEYS", "IMAGE_KEYS",
           "CHART_KEYS", "TABLE_KEYS", "SPAN_KEYS", "EVENT_KEYS", "GLOSSARY_KEYS"]


def load_course(root: Path) -> tuple[Course | None, list[Problem]]:
    """Read a course folder into the model; returns the course (None if unreadable) and every problem."""
    reader = Reader(root.resolve() if root.exists() else root)
    course = course_file.load(reader)
    return course, [one_line(p) for p in reader.problems]
