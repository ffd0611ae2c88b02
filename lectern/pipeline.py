"""The build, read as its phases: load, validate, resolve, plan, render, verify, write.

`build` is the one build function: the `build` command calls it once, `serve` after every save.
A build where nothing changed stops after comparing file fingerprints (no YAML read, no
WeasyPrint); otherwise only outputs whose finished views changed are rendered. PDFs are laid
out in worker processes while the decks render here. The work done ahead of a phase to save
time lives in `ahead`; the plan and the manifest's memory in `planning`; the render phase in
`rendering`, the guide's stages in `guidechain`.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import planning
from .ahead import Workers, compile_templates, edited_decks_first
from .course.model import OUTPUT_KINDS, Course
from .planning import Planned, expected_outputs, plan_outputs, remember, retire
from .pool import PDF_KINDS, PdfPool
from .problems import ContentError, Problem
from .rendering import Cancelled, EarlyWriter, Rendered, RenderRequest, check_cancel, render_outputs
from .report import BufferReporter, Reporter
from .state import gcpolicy, outputs
from .state.cache import BuildState, Snapshot

__all__ = ["BuildOptions", "BuildResult", "Cancelled", "Checked", "Session", "build", "check", "expects_pdfs", "warm"]

PARTS_DIR = "parts"  # under out_dir/.lectern/: the guide's laid-out chapters, kept between builds

# Heavy stages (markdown-it, the citation engine, Jinja, the renderers) are imported inside the
# phases that need them, so that a build with nothing to do returns in a blink.


@dataclass
class BuildOptions:
    only: list[str] | None = None  # output kinds to build; None: the course's `outputs`
    strict: bool = False  # warnings are errors
    force: bool = False  # rebuild even what is unchanged
    workers: int | None = None  # PDF worker processes; None: one per core
    write_as_ready: bool = False  # serve: write each output as soon as it is rendered (decks first)
    cancel: threading.Event | None = None  # serve: set when a newer save makes this build moot


@dataclass
class Checked:
    """A course that passed validation, parsed and ready to resolve."""

    course: Course
    markup: object  # markup.Markup
    marks: object  # markup.CourseMarks
    warnings: list[Problem]


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    loaded: bool = True  # False when fingerprints showed nothing changed and the course was not read
    details: dict = field(default_factory=dict)  # per output, what its renderer reported (guide parts)


@dataclass
class Session:
    """What outlives one build: `serve` keeps a warm PDF pool between rebuilds."""

    pool: PdfPool | None = None
    start_method: str | None = None  # serve: "forkserver" (its threads must not be forked)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close(cancel=True)
            self.pool = None


# ---- 1 load, 2 validate ---------------------------------------------------------------------

def check(course_dir: Path, strict: bool = False, reporter: Reporter | None = None,
          fan_out=None) -> Checked:
    """Phases 1 and 2: load and validate; raises ContentError with every problem found.
    (`fan_out` hands a batch of formulas to a PDF worker: see mathsvg.typeset_all.)"""
    from .course.load import keep_parsed, load_course
    from .course.validate import validate
    from .text.cite import read_bibliography
    from .text.markup import CourseMarks, Markup, parse_course
    reporter = reporter or Reporter()
    reporter.phase("load")
    course, problems = load_course(course_dir)
    markup = Markup(course.lang if course else "en")
    marks = CourseMarks()
    if course is not None:
        reporter.phase("validate")
        marks = parse_course(course, markup, fan_out)
        problems += validate(course, marks, read_bibliography(course.bibliography))
        problems += _glyphs(course)
        problems += _own_templates(course)
        keep_parsed(course)  # for the next build's process: lectures it need not read or parse again
    return _gate(course, markup, marks, problems, strict, reporter)


def _glyphs(course) -> list:
    """A warning (file:line) for each character no font of the course's theme can draw."""
    from .theme.coverage import course_texts, missing_glyphs
    from .theme.templates import theme_dirs
    return missing_glyphs(course_texts(course), theme_dirs(course.templates))


def _own_templates(course) -> list:
    """The course's own templates/: links outside, undecodable files, syntax errors, cycles."""
    from .theme.check import check_templates
    return check_templates(course.templates, course.root)


def warm(course_dir: Path) -> None:
    """Load, parse and cite the course and compile the deck's templates, filling the caches that
    make serve's next build quick, when the last build had nothing to do and read none of it."""
    from .problems import LecternError
    try:
        checked = check(course_dir, reporter=BufferReporter())
        from .text.resolve import resolver_for
        from .theme.templates import shared_env
        resolver_for(checked.course, checked.markup, checked.marks)
        shared_env(checked.course.templates).get_template("deck/deck.html.j2")
    except LecternError:  # the next build will say what is wrong
        pass


def expects_pdfs(course_dir: Path, options: BuildOptions) -> bool:
    """Whether this build will likely lay out PDFs (so its workers may start before the course loads)."""
    return planning.expects_pdfs(course_dir, options.only)


def _gate(course, markup, marks, problems: list[Problem], strict: bool, reporter: Reporter) -> Checked:
    """Stop with every error (and, under --strict, every warning); report warnings otherwise."""
    errors = [p for p in problems if p.severity == "error" or strict]
    if errors or course is None:
        raise ContentError(errors or problems)
    warnings = [p for p in problems if p.severity == "warning"]
    for warning in warnings:
        reporter.warning(warning)
    return Checked(course, markup, marks, warnings)


# ---- the build --------------------------------------------------------------------------------

@dataclass
class _Run:
    """One build: where it reads and writes, how it reports, what the last build left."""

    course_dir: Path
    out_dir: Path
    options: BuildOptions
    reporter: Reporter
    state: BuildState
    snapshot: Snapshot  # fingerprints of every input file, now
    started: float


@dataclass
class _Plan:
    """Phase 4's answer: every output asked for, and which of them to render."""

    kinds: list[str]
    planned: list[Planned]

    @property
    def stale(self) -> list[Planned]:
        return [p for p in self.planned if p.stale]

    @property
    def skipped(self) -> list[str]:
        return [p.name for p in self.planned if not p.stale]


def build(course_dir: Path, out_dir: Path, options: BuildOptions | None = None,
          reporter: Reporter | None = None, session: Session | None = None) -> BuildResult:
    """Build a course into out_dir. Nothing is written unless every output rendered and verified.

    (With `write_as_ready`, serve's mode, each output is written as soon as it is rendered.)
    Builds into the same folder take turns: the folder's lock is held from the first look at
    the manifest to the last write.
    """
    options = options or BuildOptions()
    reporter = reporter or Reporter()
    outputs.check_out_dir(course_dir, out_dir)
    with outputs.locked(out_dir), gcpolicy.job(collect_first=False):  # no full collection meanwhile (see gcpolicy)
        return _build(course_dir, out_dir, options, reporter, session)


def _build(course_dir: Path, out_dir: Path, options: BuildOptions, reporter: Reporter,
           session: Session | None) -> BuildResult:
    run = _take_stock(course_dir, out_dir, options, reporter)  # 0 fingerprints of every input file
    if _nothing_changed(run):
        return _report_unchanged(run)
    workers = Workers(session, options.workers)
    expected = expected_outputs(course_dir, options.only)
    workers.start_ahead(expected)  # they fork and import WeasyPrint while this process loads the course
    try:
        checked = check(course_dir, options.strict, reporter, workers.fan_out())  # 1 load, 2 validate
        resolved, first = _resolve(run, checked, expected)  # 3 resolve
        plan = _plan(run, checked.course, resolved)  # 4 plan
        rendered = _render(run, checked.course, resolved, plan, workers)  # 5 render
        problems, kept = _verify(run, checked, plan, rendered)  # 6 verify
        written = _write(run, checked, plan, rendered)  # 7 write, manifest last
    except BaseException as exc:
        reporter.failed()
        workers.close(cancel=True)
        if isinstance(exc, Cancelled):
            workers.drop_session_pool()  # its workers may still be busy with the moot build
        raise
    workers.close(cancel=not any(p.kind in PDF_KINDS for p in plan.stale))  # warmed up for nothing: do not wait
    written = sorted(set(written) | set(rendered.written_early) | set(first))
    seconds = time.perf_counter() - run.started
    reporter.summary(len(written), len(plan.skipped), seconds, str(out_dir))
    return BuildResult(built=written, skipped=plan.skipped, warnings=checked.warnings + problems + kept,
                       seconds=seconds, details=rendered.details)


def _take_stock(course_dir: Path, out_dir: Path, options: BuildOptions, reporter: Reporter) -> _Run:
    """The last build's manifest, and the fingerprints of every file this one may read."""
    started = time.perf_counter()
    state = BuildState.from_manifest(outputs.read_manifest(out_dir.resolve()))
    reporter.phase("plan")
    snapshot = Snapshot.take(course_dir, out_dir, state.snapshot, state.named_inputs())
    return _Run(course_dir, out_dir, options, reporter, state, snapshot, started)


def _nothing_changed(run: _Run) -> bool:
    if run.options.force or (run.options.strict and run.state.warnings):
        return False
    return run.state.unchanged_since_last(run.snapshot, run.out_dir, run.options.only)


def _report_unchanged(run: _Run) -> BuildResult:
    """Every input is as the last build left it: say so, repeat its warnings, touch nothing."""
    state, reporter = run.state, run.reporter
    for warning in state.warnings:
        reporter.warning(warning)
    reporter.plan([], state.last_outputs)
    seconds = time.perf_counter() - run.started
    reporter.summary(0, len(state.last_outputs), seconds, str(run.out_dir))
    return BuildResult(skipped=list(state.last_outputs), warnings=list(state.warnings), seconds=seconds,
                       loaded=False)


def _resolve(run: _Run, checked: Checked, expected: set[str]):
    """Phase 3: Markdown to HTML, citations formatted (in pandoc's thread, while the deck's
    templates compile), footnotes and figures numbered: the views of every output. In serve's
    mode, the decks just edited are rendered and written before the rest is resolved."""
    from .state.keptmemo import write_all
    from .text.resolve import cite_ahead, resolve, resolver_for
    course, reporter = checked.course, run.reporter
    reporter.phase("resolve")
    citing = cite_ahead(course, checked.marks)  # pandoc formats the citations in a thread
    compile_templates(course, expected)  # meanwhile
    resolver = resolver_for(course, checked.markup, checked.marks, citing)  # citations first
    first = []
    if run.options.write_as_ready:
        first = edited_decks_first(course, resolver, run.snapshot, run.state, run.out_dir, run.options, reporter)
    resolved = resolve(course, checked.markup, checked.marks, resolver)
    write_all()  # for the next build's process: charts it need not draw, code it need not highlight
    return resolved, first


def _plan(run: _Run, course: Course, resolved) -> _Plan:
    """Phase 4: the outputs asked for, each with its fingerprint; the stale ones are rendered."""
    run.reporter.phase("plan")
    kinds = [k for k in OUTPUT_KINDS if k in (run.options.only or course.outputs)]
    plan = _Plan(kinds, plan_outputs(course, resolved, kinds, run.snapshot, run.state, run.out_dir,
                                     run.options.force))
    run.reporter.plan([p.name for p in plan.stale], plan.skipped)
    return plan


def _render(run: _Run, course: Course, resolved, plan: _Plan, workers: Workers) -> Rendered:
    """Phase 5: every stale output into memory (in serve's mode, each written as soon as it is ready)."""
    from .guidechain import GuideHint
    run.reporter.phase("render")
    stale = plan.stale
    pool = workers.get() if any(p.kind in PDF_KINDS for p in stale) else None
    early = EarlyWriter.of(run.out_dir, run.state, plan.planned, run.reporter) if run.options.write_as_ready else None
    check_cancel(run.options.cancel)
    theme = run.snapshot.theme_digest()
    parts = (run.out_dir.resolve() / outputs.STATE_DIR / PARTS_DIR, theme)
    hint = GuideHint.of(resolved.guide, theme, run.state.extra.get("guide"))
    rendered = render_outputs(course, stale, RenderRequest(pool, early, parts, run.options.cancel, hint), run.reporter)
    rendered.written_early = early.written if early else []
    rendered.guide_views = hint.views
    return rendered


def _verify(run: _Run, checked: Checked, plan: _Plan, rendered: Rendered) -> tuple[list[Problem], list[Problem]]:
    """Phase 6: the laid-out PDFs' problems (a footnote off its call's page) stop the build like
    content errors; warnings of outputs not laid out again this time are repeated."""
    run.reporter.phase("verify")
    problems = [p for found in rendered.problems.values() for p in found]
    _gate(checked.course, checked.markup, checked.marks, problems, run.options.strict, run.reporter)
    kept = [w for name in plan.skipped for w in run.state.outputs[name].warnings]
    for warning in kept:
        run.reporter.warning(warning)
    return problems, kept


def _write(run: _Run, checked: Checked, plan: _Plan, rendered: Rendered) -> list[str]:
    """Phase 7: every output through a temporary file and a rename, the outputs of lectures no
    longer in the course removed, the manifest last."""
    state, reporter = run.state, run.reporter
    reporter.phase("write")
    remember(state, run.snapshot, plan.planned, rendered.files, rendered.problems, checked.warnings,
             run.options.only)
    if "study-guide.pdf" in rendered.details:
        state.extra["guide"] = {"parts": rendered.details["study-guide.pdf"].get("parts", []),
                                "views": rendered.guide_views}
    retired = retire(state, plan.planned, plan.kinds)  # outputs of lectures no longer in the course
    written = outputs.write_outputs(run.out_dir, rendered.files, state.to_manifest(), remove=retired)
    if retired:
        reporter.info(f"removed {len(retired)} output(s) of lectures no longer in the course: {', '.join(retired)}")
    videos = [p.name for p in plan.planned if p.kind == "media"]
    if videos:
        reporter.info(f"the decks play {len(videos)} video{'s' if len(videos) > 1 else ''} copied beside them "
                      f"({', '.join(videos)}): copy or share the whole slides/ folder, not a deck alone")
    reporter.written(written)
    return written
