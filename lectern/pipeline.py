"""The build, read as its phases: load, validate, resolve, render, verify, write."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import outputs
from .cite import read_bibliography
from .load import load_course
from .markup import CourseMarks, Markup, parse_course
from .model import Course, OUTPUT_KINDS
from .problems import ContentError, Problem
from .render.theme import make_env, theme_dirs
from .report import Reporter
from .resolve import Resolved, resolve
from .validate import validate


@dataclass
class BuildOptions:
    only: list[str] | None = None  # output kinds to build; None: the course's `outputs`
    strict: bool = False  # warnings are errors
    force: bool = False  # rebuild even what is unchanged


@dataclass
class Checked:
    """A course that passed validation, parsed and ready to resolve."""

    course: Course
    markup: Markup
    marks: CourseMarks
    warnings: list[Problem]


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


def check(course_dir: Path, strict: bool = False, reporter: Reporter | None = None) -> Checked:
    """Phases 1 and 2: load and validate; raises ContentError with every problem found."""
    reporter = reporter or Reporter()
    reporter.phase("load")
    course, problems = load_course(course_dir)
    markup = Markup(course.lang if course else "en")
    marks = CourseMarks()
    if course is not None:
        reporter.phase("validate")
        marks = parse_course(course, markup)
        problems += validate(course, marks, read_bibliography(course.bibliography))
    return _gate(course, markup, marks, problems, strict, reporter)


def _gate(course, markup, marks, problems: list[Problem], strict: bool, reporter: Reporter) -> Checked:
    """Stop with every error (and, under --strict, every warning); report warnings otherwise."""
    errors = [p for p in problems if p.severity == "error" or strict]
    if errors or course is None:
        raise ContentError(errors or problems)
    warnings = [p for p in problems if p.severity == "warning"]
    for warning in warnings:
        reporter.warning(warning)
    return Checked(course, markup, marks, warnings)


def build(course_dir: Path, out_dir: Path, options: BuildOptions | None = None,
          reporter: Reporter | None = None) -> BuildResult:
    """Build a course into out_dir. Nothing is written unless every output rendered and verified."""
    options = options or BuildOptions()
    reporter = reporter or Reporter()
    started = time.perf_counter()
    checked = check(course_dir, options.strict, reporter)  # 1 load, 2 validate
    course = checked.course
    outputs.check_out_dir(course.root, out_dir)
    reporter.phase("resolve")
    resolved = resolve(course, checked.markup, checked.marks)  # 3 resolve
    kinds = [k for k in OUTPUT_KINDS if k in (options.only or course.outputs)]
    reporter.phase("render")
    files, problems = render_outputs(course, resolved, kinds, reporter)  # 4 render
    reporter.phase("verify")
    _gate(course, checked.markup, checked.marks, problems, options.strict, reporter)  # 5 verify
    reporter.phase("write")
    written = outputs.write_outputs(out_dir, files)  # 6 write
    seconds = time.perf_counter() - started
    reporter.summary(len(written), 0, seconds, str(out_dir))
    return BuildResult(built=written, warnings=checked.warnings + problems, seconds=seconds)


def render_outputs(course: Course, resolved: Resolved, kinds: list[str],
                   reporter: Reporter) -> tuple[dict[str, bytes], list[Problem]]:
    """Render every requested output into memory: {path in out_dir: bytes}, plus layout problems."""
    env = make_env(course.templates)
    roots = [course.root, *theme_dirs(course.templates)]
    files: dict[str, bytes] = {}
    problems: list[Problem] = []

    def timed(name: str, make) -> None:
        t0 = time.perf_counter()
        reporter.output_started(name)
        files[name] = make()
        reporter.output_done(name, time.perf_counter() - t0)

    from .render.index import render_index
    timed("index.html", lambda: render_index(resolved.index, env).encode("utf-8"))
    if "deck" in kinds:
        from .render.deck import render_deck
        for lecture_id, deck in resolved.decks.items():
            timed(f"slides/{lecture_id}.html", lambda deck=deck: render_deck(deck, env).encode("utf-8"))
    if "guide" in kinds:
        from .render.guide import render_guide

        def guide() -> bytes:
            result = render_guide(resolved.guide, env, roots)
            problems.extend(result.problems)
            return result.pdf
        timed("study-guide.pdf", guide)
    pdf_kinds = [k for k in ("handouts", "notes", "slides-pdf") if k in kinds]
    if pdf_kinds:
        from .render import handout
        makers = {"handouts": ("handouts/{}.pdf", handout.render_handout),
                  "notes": ("handouts/{}-notes.pdf", handout.render_notes),
                  "slides-pdf": ("slides/{}.pdf", handout.render_slides_pdf)}
        for kind in pdf_kinds:
            pattern, make = makers[kind]
            for lecture_id, deck in resolved.decks.items():
                timed(pattern.format(lecture_id),
                      lambda deck=deck, make=make: make(deck, env, roots, course.paper))
    return files, problems
