"""The build, read as its phases: load, validate, resolve, plan, render, verify, write.

`build` is the one build function: the `build` command calls it once, `serve` after every save.
A build where nothing changed stops after comparing file fingerprints (no YAML read, no
WeasyPrint); otherwise only outputs whose finished views changed are rendered. PDFs are laid
out in worker processes while the decks render here.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .state import gcpolicy, outputs
from .state.cache import BuildState, OutputRecord, Snapshot, course_relative, view_key
from .course.model import DEFAULT_OUTPUTS, OUTPUT_KINDS, Course
from .pool import PDF_KINDS, PdfJob, PdfPool

if TYPE_CHECKING:
    from concurrent.futures import Future
from .problems import ContentError, Problem, RenderError
from .report import BufferReporter, Reporter

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


@dataclass
class Planned:
    """One output of this build: what it is made from, its fingerprint, and whether to render it."""

    name: str  # path in the output folder
    kind: str  # "index", "deck", "guide", "handouts", "notes", "slides-pdf"
    view: object
    key: str
    inputs: list[str]
    stale: bool = True


# ---- 1 load, 2 validate ---------------------------------------------------------------------

def check(course_dir: Path, strict: bool = False, reporter: Reporter | None = None) -> Checked:
    """Phases 1 and 2: load and validate; raises ContentError with every problem found."""
    from .text.cite import read_bibliography
    from .course.load import keep_parsed, load_course
    from .text.markup import CourseMarks, Markup, parse_course
    from .course.validate import validate
    reporter = reporter or Reporter()
    reporter.phase("load")
    course, problems = load_course(course_dir)
    markup = Markup(course.lang if course else "en")
    marks = CourseMarks()
    if course is not None:
        reporter.phase("validate")
        marks = parse_course(course, markup)
        problems += validate(course, marks, read_bibliography(course.bibliography))
        keep_parsed(course)  # for the next build's process: lectures it need not read or parse again
    return _gate(course, markup, marks, problems, strict, reporter)


def warm(course_dir: Path) -> None:
    """Load, parse and cite the course and compile the deck's templates, filling the caches that
    make serve's next build quick, when the last build had nothing to do and read none of it."""
    from .problems import LecternError
    try:
        checked = check(course_dir, reporter=BufferReporter())
        from .theme.templates import shared_env
        from .text.resolve import resolver_for
        resolver_for(checked.course, checked.markup, checked.marks)
        shared_env(checked.course.templates).get_template("deck/deck.html.j2")
    except LecternError:  # the next build will say what is wrong
        pass


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
    started = time.perf_counter()
    state = BuildState.from_manifest(outputs.read_manifest(out_dir.resolve()))
    reporter.phase("plan")
    snapshot = Snapshot.take(course_dir, out_dir, state.snapshot)  # 0 fingerprints of every input file
    if _nothing_changed(state, snapshot, out_dir, options):
        return _report_unchanged(state, reporter, out_dir, started)

    pools = _Pools(session, options.workers)
    expected = expected_outputs(course_dir, options)
    if any(k in PDF_KINDS for k in expected):
        _start_ahead(pools.get(), expected)  # workers fork now and import WeasyPrint while this process loads the course
    try:
        checked = check(course_dir, options.strict, reporter)  # 1 load, 2 validate
        course = checked.course
        reporter.phase("resolve")
        from .text.resolve import cite_ahead, resolve, resolver_for
        citing = cite_ahead(course, checked.marks)  # pandoc formats the citations in a thread
        _compile_templates(course, expected)  # meanwhile
        resolver = resolver_for(course, checked.markup, checked.marks, citing)  # 3 resolve: citations first
        first = edited_decks_first(course, resolver, snapshot, state, out_dir, options, reporter) \
            if options.write_as_ready else []
        resolved = resolve(course, checked.markup, checked.marks, resolver)
        reporter.phase("plan")
        kinds = [k for k in OUTPUT_KINDS if k in (options.only or course.outputs)]
        planned = plan_outputs(course, resolved, kinds, snapshot, state, out_dir, options.force)  # 4 plan
        stale = [p for p in planned if p.stale]
        skipped = [p.name for p in planned if not p.stale]
        reporter.plan([p.name for p in stale], skipped)
        reporter.phase("render")
        pool = pools.get() if any(p.kind in PDF_KINDS for p in stale) else None
        early = _EarlyWriter(out_dir, state, planned, reporter) if options.write_as_ready else None
        _check_cancel(options)
        parts = (out_dir.resolve() / outputs.STATE_DIR / PARTS_DIR, snapshot.theme_digest())
        hint = GuideHint.of(resolved.guide, snapshot.theme_digest(), state.extra.get("guide"))
        rendered = render_outputs(course, stale, pool, reporter, early, parts, options.cancel, hint)  # 5 render
        files, layout = rendered.files, rendered.problems
        reporter.phase("verify")
        problems = [p for found in layout.values() for p in found]
        _gate(course, checked.markup, checked.marks, problems, options.strict, reporter)  # 6 verify
        kept = [w for name in skipped for w in state.outputs[name].warnings]
        for warning in kept:  # layout warnings of outputs not laid out again this time
            reporter.warning(warning)
        reporter.phase("write")
        _remember(state, snapshot, planned, files, layout, checked.warnings, options)
        if "study-guide.pdf" in rendered.details:
            state.extra["guide"] = {"parts": rendered.details["study-guide.pdf"].get("parts", []),
                                    "views": hint.views}
        retired = retire(state, planned, kinds)  # outputs of lectures no longer in the course
        written = outputs.write_outputs(out_dir, files, state.to_manifest(), remove=retired)  # 7 write, manifest last
        if retired:
            reporter.info(f"removed {len(retired)} output(s) of lectures no longer in the course: {', '.join(retired)}")
        reporter.written(written)
        written = sorted(set(written) | set(early.written if early else []) | set(first))
    except BaseException as exc:
        reporter.failed()
        pools.close(cancel=True)
        if isinstance(exc, Cancelled):
            pools.drop_session_pool()  # its workers may still be busy with the moot build
        raise
    pools.close(cancel=pool is None)  # workers warmed up for nothing: do not wait for their imports
    seconds = time.perf_counter() - started
    reporter.summary(len(written), len(skipped), seconds, str(out_dir))
    return BuildResult(built=written, skipped=skipped, warnings=checked.warnings + problems + kept,
                       seconds=seconds, details=rendered.details)


def _compile_templates(course: Course, kinds: set[str]) -> None:
    """Compile the deck's and the course page's templates now (the environment keeps them)."""
    if "deck" not in kinds:
        return
    import jinja2
    from .theme.templates import shared_env
    env = shared_env(course.templates)
    for name in ("deck/deck.html.j2", "index.html.j2"):
        try:
            env.get_template(name)
        except jinja2.TemplateError:  # reported, with its place, when the output renders
            pass


class _Pools:
    """The PDF pool of this build: the session's warm one, or one started (and closed) here."""

    def __init__(self, session: Session | None, workers: int | None):
        self.session, self.workers, self.owned = session, workers, None

    def get(self) -> PdfPool:
        if self.session is not None:
            if self.session.pool is None:
                self.session.pool = PdfPool.start(self.workers, self.session.start_method)
            return self.session.pool
        if self.owned is None:
            self.owned = PdfPool.start(self.workers)
        return self.owned

    def close(self, cancel: bool = False) -> None:
        if self.owned is not None:
            self.owned.close(cancel=cancel)
            self.owned = None

    def drop_session_pool(self) -> None:
        if self.session is not None and self.session.pool is not None:
            self.session.pool.close(cancel=True)
            self.session.pool = None


def _nothing_changed(state: BuildState, snapshot: Snapshot, out_dir: Path, options: BuildOptions) -> bool:
    if options.force or (options.strict and state.warnings):
        return False
    return state.unchanged_since_last(snapshot, out_dir, options.only)


def _report_unchanged(state: BuildState, reporter: Reporter, out_dir: Path, started: float) -> BuildResult:
    """Every input is as the last build left it: say so, repeat its warnings, touch nothing."""
    for warning in state.warnings:
        reporter.warning(warning)
    reporter.plan([], state.last_outputs)
    seconds = time.perf_counter() - started
    reporter.summary(0, len(state.last_outputs), seconds, str(out_dir))
    return BuildResult(skipped=list(state.last_outputs), warnings=list(state.warnings), seconds=seconds,
                       loaded=False)


def expected_outputs(course_dir: Path, options: BuildOptions) -> set[str]:
    """The output kinds this build will likely make (decided before loading: a quick look at
    `outputs`; a broken course.yaml expects nothing, the load phase will say what is wrong)."""
    if options.only is not None:
        return set(options.only)
    try:
        import yaml
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load((course_dir / "course.yaml").read_text("utf-8"), Loader=loader)
    except Exception:
        return set()
    kinds = data.get("outputs") if isinstance(data, dict) else None
    if isinstance(kinds, list):
        return {k for k in kinds if isinstance(k, str)}
    return set(DEFAULT_OUTPUTS)


def expects_pdfs(course_dir: Path, options: BuildOptions) -> bool:
    """Whether this build will likely lay out PDFs (so its workers may start before the course loads)."""
    return any(k in PDF_KINDS for k in expected_outputs(course_dir, options))


def _start_ahead(pool: PdfPool, kinds: set[str]) -> None:
    """Work a cold build's workers can do while this process loads the course: the decks' common
    font subsets (render.fonts), when none are kept yet."""
    if "deck" in kinds:
        from .theme import fonts
        if fonts.common_subsets_missing():
            fonts.made_elsewhere(pool.submit(PdfJob("deck fonts", "deck-fonts", None, None, [])))


# ---- 3b serve: the deck just edited, before anything else ----------------------------------------

def edited_decks_first(course: Course, resolver, snapshot: Snapshot, state: BuildState, out_dir: Path,
                       options: BuildOptions, reporter: Reporter) -> list[str]:
    """Resolve, render and write the decks of the lecture files saved since the last build.

    In `serve`, the lecturer looks at the slide they just edited: its page reloads as soon as its
    deck is written, before the other views are resolved and before any PDF is laid out. The
    deck is the one the whole build would make (same resolver, same citations), so the build's
    plan then finds it fresh; the index and the PDFs follow as usual.
    """
    if options.force or "deck" not in (options.only or course.outputs) or not state.snapshot:
        return []
    changed = {key[len("course:"):] for key, value in snapshot.files.items()
               if key.startswith("course:") and state.snapshot.get(key) != value}
    theme = snapshot.theme_digest()
    base = _course_inputs(course)
    planned, files = [], {}
    env = None
    for number, lecture in enumerate(course.lectures, 1):
        inputs = _lecture_inputs(course, lecture)
        if not changed.intersection(inputs):
            continue
        deck = resolver.deck(lecture, number)
        p = Planned(f"slides/{lecture.id}.html", "deck", deck, view_key("deck", deck, theme), base + inputs)
        if state.fresh(out_dir, p.name, p.key):
            continue
        from .deck.deck import render_deck
        from .theme.templates import shared_env
        env = env or shared_env(course.templates)
        t0 = time.perf_counter()
        reporter.output_started(p.name)
        files[p.name] = render_deck(deck, env).encode("utf-8")
        reporter.output_done(p.name, time.perf_counter() - t0)
        planned.append(p)
    if not files:
        return []
    writer = _EarlyWriter(out_dir, state, planned, reporter)
    writer(files)
    return writer.written


# ---- 4 plan -----------------------------------------------------------------------------------

def plan_outputs(course: Course, resolved, kinds: list[str], snapshot: Snapshot, state: BuildState,
                 out_dir: Path, force: bool = False) -> list[Planned]:
    """Every output this build is asked for, with its fingerprint; stale if it differs from the last."""
    theme = snapshot.theme_digest()
    base = _course_inputs(course)
    planned = [Planned("index.html", "index", resolved.index, view_key("index", resolved.index, theme),
                       base + [course_relative(lec.path, course.root) for lec in course.lectures])]
    patterns = {"deck": "slides/{}.html", "handouts": "handouts/{}.pdf", "notes": "handouts/{}-notes.pdf",
                "slides-pdf": "slides/{}.pdf"}
    lectures = {lec.id: lec for lec in course.lectures}
    if "guide" in kinds:
        everything = sorted({*base, *(i for lec in course.lectures for i in _lecture_inputs(course, lec)),
                             *_extra_inputs(course)})
        planned.append(Planned("study-guide.pdf", "guide", resolved.guide,
                               view_key("guide", resolved.guide, theme), everything))
    for kind in ("deck", "handouts", "notes", "slides-pdf"):
        if kind not in kinds:
            continue
        for lecture_id, deck in resolved.decks.items():
            extra = () if kind == "deck" else (course.paper,)
            planned.append(Planned(patterns[kind].format(lecture_id), kind, deck,
                                   view_key(kind, deck, theme, *extra),
                                   base + _lecture_inputs(course, lectures[lecture_id])))
    for p in planned:
        p.stale = force or not state.fresh(out_dir, p.name, p.key)
    return planned


def _course_inputs(course: Course) -> list[str]:
    files = [course.root / "course.yaml", *course.bibliography]
    return [course_relative(f, course.root) for f in files]


def _lecture_inputs(course: Course, lecture) -> list[str]:
    found = [lecture.path]
    for section in lecture.sections:
        for slide in section.slides:
            if slide.image is not None and slide.image.path is not None:
                found.append(slide.image.path)
            if slide.chart is not None and slide.chart.data_path:
                found.append(course.root / slide.chart.data_path)
    return [course_relative(f, course.root) for f in found]


def _extra_inputs(course: Course) -> list[str]:
    """The timeline and glossary files, found through the positions of their entries."""
    paths = {entry.pos.path for entry in [*course.timeline, *course.glossary]}
    return [course_relative(p, course.root) for p in paths]


@dataclass
class Rendered:
    files: dict[str, bytes]  # path in out_dir: bytes
    problems: dict[str, list[Problem]]  # layout problems, by output
    details: dict[str, object]  # what a renderer reports besides (the guide: parts laid out or kept)


# ---- 5 render -----------------------------------------------------------------------------------

def render_outputs(course: Course, stale: list[Planned], pool: PdfPool | None, reporter: Reporter,
                   early: Callable[[dict[str, bytes]], None] | None = None,
                   parts: tuple[Path, str] | None = None, cancel: threading.Event | None = None,
                   guide_hint: GuideHint | None = None) -> Rendered:
    """Render the stale outputs into memory: {path in out_dir: bytes}, and layout problems by output.

    PDFs go to the worker pool first (the guide, the longest, leading); decks and the course page
    render here once a worker is free (this process would otherwise take a core from the
    layout), or at once for `early`; the PDFs are collected as they finish. `early`, when given,
    receives each output as soon as it is ready (HTML at once, then each PDF without layout
    errors) and it is not returned again. Setting `cancel` stops the wait with `Cancelled`.
    """
    from .theme.templates import theme_dirs
    roots = [course.root, *theme_dirs(course.templates)]
    files: dict[str, bytes] = {}
    problems: dict[str, list[Problem]] = {}
    details: dict[str, object] = {}
    pdfs = [p for p in stale if p.kind in PDF_KINDS]
    futures: dict[Future, Planned] = {}
    if pdfs:
        assert pool is not None, "PDFs need the worker pool"
        for p in pdfs:
            reporter.output_started(p.name)
            store = parts if p.kind == "guide" else None
            job = PdfJob(p.name, p.kind, p.view, course.templates, roots, course.paper, store)
            if p.kind == "guide" and parts is not None and guide_hint is not None:
                futures[GuideChain(pool, job, guide_hint).start()] = p
            else:
                futures[pool.submit(job)] = p
    html = [p for p in stale if p.kind not in PDF_KINDS]
    if early is not None or pool is None or not futures:
        files.update(render_html(course, html, reporter))  # serve: the decks first, for the reload
        html = []
    if early is not None and files:
        early(files)
        files = {}
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool
    errors = []
    pending = set(futures)
    finished: list[Future] = []
    while pending or finished or html:
        if html and (pool.in_flight() < pool.workers or not pending):
            # a worker is free (the guide's assembly, the last handouts): the decks take its core
            files.update(render_html(course, html, reporter))
            html = []
        if not finished:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            finished = list(done)
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            continue
        future = finished.pop()
        try:
            result = future.result()
        except BrokenProcessPool:  # a worker died (out of memory, killed, a crash in a C library)
            errors.append(f"{futures[future].name}: the process laying it out stopped unexpectedly")
            continue
        if result.error:
            errors.append(result.error)
            continue
        files[result.name] = result.data
        if result.payload is not None:
            details[result.name] = result.payload
        if result.problems:
            problems[result.name] = list(result.problems)
        reporter.output_done(result.name, result.seconds)
        if early is not None and not any(p.severity == "error" for p in result.problems):
            early({result.name: files.pop(result.name)})
    if errors:
        raise RenderError("\n".join(errors))
    return Rendered(files, problems, details)


def render_html(course: Course, planned: list[Planned], reporter: Reporter) -> dict[str, bytes]:
    """The decks and the course page, rendered in this process."""
    from .theme.templates import shared_env
    files: dict[str, bytes] = {}
    env = shared_env(course.templates) if planned else None
    for p in planned:
        t0 = time.perf_counter()
        reporter.output_started(p.name)
        if p.kind == "index":
            from .deck.index import render_index
            files[p.name] = render_index(p.view, env).encode("utf-8")
        else:
            from .deck.deck import render_deck
            files[p.name] = render_deck(p.view, env).encode("utf-8")
        reporter.output_done(p.name, time.perf_counter() - t0)
    return files


@dataclass
class GuideHint:
    """What the last guide build left to plan this one by: each part's length, each chapter's view."""

    views: dict[str, str]  # chapter id -> fingerprint of its view, now
    last_views: dict[str, str]
    last_parts: list[dict]  # {"kind", "key", "folio", "pages"} in book order

    @classmethod
    def of(cls, guide, theme: str, last: object) -> GuideHint:
        views = {c.id: view_key("chapter", c, theme) for c in guide.chapters}
        last = last if isinstance(last, dict) else {}
        parts = [p for p in last.get("parts") or [] if isinstance(p, dict)]
        return cls(views, dict(last.get("views") or {}), parts)

    def __bool__(self) -> bool:
        return bool(self.last_parts)


# the guide's pieces other than chapters, laid out ahead of assembly (render.chapters.STAGES);
# bracketed so that no chapter id can be mistaken for one
APPENDICES, CHAPTER_FOLIOS, FRONT = "<appendices>", "<chapter-folios>", "<front>"
STAGE_NAMES = {APPENDICES: "appendices", CHAPTER_FOLIOS: "chapter-folios", FRONT: "front"}


class GuideChain:
    """The guide in stages on the pool. A chapter is laid out without its folios (the book
    draws them), so none ever moves: every changed chapter is laid out at once (in a cold
    build, with the appendices, last); then, when the body's length is new, the folios of the
    chapters as soon as the last chapter is done (the appendices may still be laid out), and
    the front matter with the appendices' folios once the whole body is; then the assembly,
    which only joins what it finds.

    Only a plan: the assembly job is authoritative and lays out anything not found, so a wrong
    guess costs time, never correctness.
    """

    def __init__(self, pool: PdfPool, job: PdfJob, hint: GuideHint):
        from concurrent.futures import Future
        self.pool, self.job, self.hint = pool, job, hint
        self.done: Future = Future()
        self.pages = {p["key"]: p["pages"] for p in hint.last_parts if p.get("kind") == "chapter"}  # at the last build
        self.changed = [c.id for c in job.view.chapters if hint.views.get(c.id) != hint.last_views.get(c.id)]
        self.pickled = None  # the guide, pickled once for every chapter job
        self.lock = threading.Lock()
        self.waiting = 0  # stages submitted before the assembly and not finished yet
        self.body_done = False  # every chapter (and in a cold build, appendix) is laid out
        self.assembling = False

    def start(self) -> Future:
        stage = self.longest_first(self.changed)
        if not self.hint:  # a cold build: the appendices alongside (short: they fill the last gap)
            stage.append(APPENDICES)
        self._run(stage, self._front_and_folios, chapters_done=self._chapter_folios)
        return self.done

    def _run(self, stage: list[str], then, chapters_done=None) -> None:
        """Submit `stage`; call `then(page counts)` when all of it is done, and `chapters_done`
        (with the chapters' page counts) as soon as its chapters are, appendices or not."""
        from .print.chapters import ChapterJob, PickledGuide
        self.pickled = self.pickled or PickledGuide.of(self.job.view)
        results: dict[str, int] = {}
        left = [len(stage), sum(1 for key in stage if key not in STAGE_NAMES)]

        def finished(future, key):
            try:
                result = future.result()
                if result.error is None and isinstance(result.payload, int):
                    results[key] = result.payload
            except Exception:  # the assembly will lay it out itself
                pass
            done(key)

        def done(key):
            left[0] -= 1
            if key not in STAGE_NAMES:
                left[1] -= 1
                if left[1] == 0 and chapters_done is not None:
                    chapters_done(dict(results))
            if left[0] == 0:
                then(results)

        if left[1] == 0 and chapters_done is not None:
            chapters_done({})
        if not stage:
            return then({})
        for key in stage:
            named = STAGE_NAMES.get(key)
            chapter = PdfJob(f"{self.job.name}#{key}", "chapter",
                             ChapterJob(self.pickled, named or key, 1, *self.job.store, stage=named is not None),
                             self.job.templates, self.job.roots, self.job.paper)
            try:
                future = self.pool.submit(chapter)
            except Exception:
                done(key)
                continue
            future.add_done_callback(lambda f, key=key: finished(f, key))

    def longest_first(self, keys: list[str]) -> list[str]:
        """Chapters by the length of their text, longest first, so the workers finish together."""
        import pickle
        size = {c.id: len(pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL)) for c in self.job.view.chapters
                if c.id in keys}
        return sorted(keys, key=lambda k: -size.get(k, 0))

    def _lengths_changed(self, pages: dict[str, int]) -> bool:
        return not self.hint or any(self.pages.get(k) != n for k, n in pages.items() if k not in STAGE_NAMES)

    def _chapter_folios(self, pages: dict[str, int]) -> None:
        """Every chapter is laid out: when their lengths are new, their folios next."""
        if self._lengths_changed(pages):
            self._stage([CHAPTER_FOLIOS])

    def _front_and_folios(self, pages: dict[str, int]) -> None:
        """When the body's length is new (a cold build, or a chapter that grew or shrank), the
        front matter and the appendices' folios are laid out again (one job), before the assembly."""
        if self._lengths_changed(pages):
            self._stage([FRONT])
        with self.lock:
            self.body_done = True
        self._maybe_assemble()

    def _stage(self, keys: list[str]) -> None:
        with self.lock:
            self.waiting += 1
        self._run(keys, lambda _pages: self._stage_done())

    def _stage_done(self) -> None:
        with self.lock:
            self.waiting -= 1
        self._maybe_assemble()

    def _maybe_assemble(self) -> None:
        with self.lock:
            ready = self.body_done and self.waiting == 0 and not self.assembling
            if ready:
                self.assembling = True
        if ready:
            self._assemble()

    def _assemble(self) -> None:
        try:
            assembly = self.pool.submit(self.job)
        except Exception as exc:
            self.done.set_exception(exc)
            return

        def relay(future) -> None:
            try:
                self.done.set_result(future.result())
            except Exception as exc:
                self.done.set_exception(exc)
        assembly.add_done_callback(relay)


class Cancelled(Exception):
    """A newer save made this build moot (serve starts the next one at once)."""


def _check_cancel(options: BuildOptions) -> None:
    if options.cancel is not None and options.cancel.is_set():
        raise Cancelled()


class _EarlyWriter:
    """Writes each output as soon as it is rendered (serve reloads a deck before the PDFs are done)."""

    def __init__(self, out_dir: Path, state: BuildState, planned: list[Planned], reporter: Reporter):
        self.out_dir, self.state, self.reporter = out_dir, state, reporter
        self.planned = {p.name: p for p in planned}
        self.written: list[str] = []

    def __call__(self, files: dict[str, bytes]) -> None:
        for name, data in files.items():
            p = self.planned[name]
            self.state.outputs[name] = OutputRecord(p.key, len(data), p.inputs, kind=p.kind)
        names = outputs.write_outputs(self.out_dir, files, self.state.to_manifest())
        self.written += names
        self.reporter.written(names)


# ---- 7 write: what the manifest remembers ---------------------------------------------------------

def retire(state: BuildState, planned: list[Planned], kinds: list[str]) -> list[str]:
    """Outputs an earlier build made that this one no longer would (their lecture left the course).

    Only kinds this build makes are considered, so `--only deck` never removes a handout. They
    leave the manifest here; `write_outputs` deletes the files once everything else is written.
    """
    made = {p.name for p in planned}
    gone = sorted(name for name, record in state.outputs.items()
                  if record.kind in kinds and record.kind != "index" and name not in made)
    for name in gone:
        del state.outputs[name]
    return gone


def _remember(state: BuildState, snapshot: Snapshot, planned: list[Planned], files: dict[str, bytes],
              problems: dict[str, list[Problem]], warnings: list[Problem], options: BuildOptions) -> None:
    for p in planned:
        own = [w for w in problems.get(p.name, []) if w.severity == "warning"]
        if p.name in files:
            state.outputs[p.name] = OutputRecord(p.key, len(files[p.name]), p.inputs, own, p.kind)
        elif p.stale and p.name in state.outputs:  # written as soon as it was ready
            state.outputs[p.name].warnings = own
    state.snapshot = snapshot.files
    state.last_only = options.only
    state.last_outputs = [p.name for p in planned]
    state.warnings = list(warnings) + [w for p in planned for w in state.outputs[p.name].warnings]
