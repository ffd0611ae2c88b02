"""The render phase: PDFs laid out on the worker pool while the decks and the course page render here, collected into memory."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .course.model import Course
from .guidechain import GuideChain, GuideHint
from .planning import Planned
from .pool import PDF_KINDS, JobResult, PdfJob, PdfPool
from .problems import Problem, RenderError
from .report import Reporter
from .state import outputs
from .state.cache import BuildState, OutputRecord

if TYPE_CHECKING:
    from concurrent.futures import Future


class Cancelled(Exception):
    """A newer save made this build moot (serve starts the next one at once)."""


def check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


@dataclass
class Rendered:
    files: dict[str, bytes]  # path in out_dir: bytes
    problems: dict[str, list[Problem]]  # layout problems, by output
    details: dict[str, object]  # what a renderer reports besides (the guide: parts laid out or kept)
    written_early: list[str] = field(default_factory=list)  # serve: outputs already written as they came
    guide_views: dict[str, str] = field(default_factory=dict)  # the guide's chapters' fingerprints, for the manifest


@dataclass
class RenderRequest:
    """What the render phase needs besides the stale outputs themselves."""

    pool: PdfPool | None
    early: Callable[[dict[str, bytes]], None] | None = None  # serve: takes each output as soon as it is ready
    parts: tuple[Path, str] | None = None  # the guide's kept parts: (folder, salt)
    cancel: threading.Event | None = None
    guide_hint: GuideHint | None = None


def render_outputs(course: Course, stale: list[Planned], request: RenderRequest, reporter: Reporter) -> Rendered:
    """Render the stale outputs into memory: {path in out_dir: bytes}, and layout problems by output.

    PDFs go to the worker pool first (the guide, the longest, leading); decks and the course page
    render here once a worker is free (this process would otherwise take a core from the
    layout), or at once for `request.early`; the PDFs are collected as they finish. `early`, when
    given, receives each output as soon as it is ready (HTML at once, then each PDF without layout
    errors) and it is not returned again. Setting `request.cancel` stops the wait with `Cancelled`.
    """
    futures = _submit_pdfs(course, [p for p in stale if p.kind in PDF_KINDS], request, reporter)
    collect = _Collector(course, request, reporter, futures, [p for p in stale if p.kind not in PDF_KINDS])
    if request.early is not None or request.pool is None or not futures:
        collect.render_html_now()  # serve: the decks first, for the reload
    collect.until_done()
    return collect.rendered()


def _submit_pdfs(course: Course, pdfs: list[Planned], request: RenderRequest,
                 reporter: Reporter) -> dict[Future, Planned]:
    """Every PDF to the pool, in plan order (the guide first); the guide in stages when it can be."""
    from .theme.templates import theme_dirs
    if not pdfs:
        return {}
    assert request.pool is not None, "PDFs need the worker pool"
    roots = [course.root, *theme_dirs(course.templates)]
    futures: dict[Future, Planned] = {}
    for p in pdfs:
        reporter.output_started(p.name)
        store = _store_of(p, request.parts)
        job = PdfJob(p.name, p.kind, p.view, course.templates, roots, course.paper, store)
        if p.kind == "guide" and request.parts is not None and request.guide_hint is not None:
            futures[GuideChain(request.pool, job, request.guide_hint).start()] = p
        else:
            futures[request.pool.submit(job)] = p
    return futures


def _store_of(p: Planned, parts: tuple[Path, str] | None) -> tuple[Path, str] | None:
    """Where an output's laid-out parts are kept: the guide's chapters in the parts folder, a
    print document's chunks (print/printparts) in a folder of its own beside it."""
    if parts is None or p.kind == "guide":
        return parts
    folder, salt = parts
    return outputs.prints_folder(folder.parent, p.name), salt


class _Collector:
    """Waits for the PDFs, renders the HTML outputs once a worker is free, and gathers it all."""

    def __init__(self, course: Course, request: RenderRequest, reporter: Reporter,
                 futures: dict[Future, Planned], html: list[Planned]):
        self.course, self.request, self.reporter = course, request, reporter
        self.futures, self.html = futures, html
        self.files: dict[str, bytes] = {}
        self.problems: dict[str, list[Problem]] = {}
        self.details: dict[str, object] = {}
        self.errors: list[str] = []

    def render_html_now(self) -> None:
        self.files.update(render_html(self.course, self.html, self.reporter))
        self.html = []
        if self.request.early is not None and self.files:
            self.request.early(self.files)
            self.files = {}

    def until_done(self) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait
        pool = self.request.pool
        pending = set(self.futures)
        finished: list[Future] = []
        while pending or finished or self.html:
            if self.html and (pool.in_flight() < pool.workers or not pending):
                # a worker is free (the guide's assembly, the last handouts): the decks take its core
                self.files.update(render_html(self.course, self.html, self.reporter))
                self.html = []
            if not finished:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                finished = list(done)
                check_cancel(self.request.cancel)
                continue
            self._take(finished.pop())
        if self.errors:
            raise RenderError("\n".join(self.errors))

    def _take(self, future: Future) -> None:
        """One finished PDF: its bytes, its layout problems, or why it failed."""
        from concurrent.futures.process import BrokenProcessPool
        try:
            result: JobResult = future.result()
        except BrokenProcessPool:  # a worker died (out of memory, killed, a crash in a C library)
            self.errors.append(f"{self.futures[future].name}: the process laying it out stopped unexpectedly")
            return
        if result.error:
            self.errors.append(result.error)
            return
        self.files[result.name] = result.data
        if result.payload is not None:
            self.details[result.name] = result.payload
        if result.problems:
            self.problems[result.name] = list(result.problems)
        self.reporter.output_done(result.name, result.seconds)
        if self.request.early is not None and not any(p.severity == "error" for p in result.problems):
            self.request.early({result.name: self.files.pop(result.name)})

    def rendered(self) -> Rendered:
        return Rendered(self.files, self.problems, self.details)


def render_html(course: Course, planned: list[Planned], reporter: Reporter) -> dict[str, bytes]:
    """The decks and the course page, rendered in this process (and the videos beside the decks, to copy)."""
    from .theme.templates import shared_env
    files: dict[str, bytes] = {}
    env = shared_env(course.templates) if planned else None
    for p in planned:
        t0 = time.perf_counter()
        reporter.output_started(p.name)
        if p.kind == "index":
            from .deck.index import render_index
            files[p.name] = render_index(p.view, env).encode("utf-8")
        elif p.kind == "media":  # a video beside the decks, copied as it is when written
            files[p.name] = outputs.Copy.of(p.view)
        else:
            from .deck.deck import render_deck
            files[p.name] = render_deck(p.view, env).encode("utf-8")
        reporter.output_done(p.name, time.perf_counter() - t0)
    return files


@dataclass
class EarlyWriter:
    """Writes each output as soon as it is rendered (serve reloads a deck before the PDFs are done)."""

    out_dir: Path
    state: BuildState
    planned: dict[str, Planned]
    reporter: Reporter
    written: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, out_dir: Path, state: BuildState, planned: list[Planned], reporter: Reporter) -> EarlyWriter:
        return cls(out_dir, state, {p.name: p for p in planned}, reporter)

    def __call__(self, files: dict[str, bytes]) -> None:
        for name, data in files.items():
            p = self.planned[name]
            self.state.outputs[name] = OutputRecord(p.key, len(data), p.inputs, kind=p.kind)
        names = outputs.write_outputs(self.out_dir, files, self.state.to_manifest())
        self.written += names
        self.reporter.written(names)
