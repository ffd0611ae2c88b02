"""Worker processes that lay out the PDFs (one per core); WeasyPrint is imported there, never in the caller.

    pool = PdfPool.start()                 # workers fork and import WeasyPrint in the background
    future = pool.submit(PdfJob("study-guide.pdf", "guide", guide_view, templates, roots, "A4"))
    result = future.result()               # JobResult: bytes, layout problems, seconds, or an error
    pool.close()
"""
from __future__ import annotations

import importlib
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .lifeline import bind_to_parent
from .state import gcpolicy
from .problems import LecternError, Problem

if TYPE_CHECKING:  # multiprocessing and concurrent.futures load only when a PDF is to be made
    from concurrent.futures import Future, ProcessPoolExecutor

PDF_KINDS = ("guide", "handouts", "notes", "slides-pdf")


@dataclass
class PdfJob:
    """One PDF to lay out: what to render it from and where its resources may come from."""

    name: str  # its path in the output folder
    kind: str  # "guide", "handouts", "notes", "slides-pdf", "chapter" (see print.chapters), "deck-fonts" or "math"
    view: object  # GuideView, DeckView, or a chapter job's payload
    templates: Path | None  # the course's templates/ (the worker makes its own Jinja environment)
    roots: list[Path]  # folders the layout may read files from
    paper: str = "A4"
    store: tuple[Path, str] | None = None  # guide, print kinds: (folder, salt) where laid-out parts are kept


@dataclass
class JobResult:
    name: str
    data: bytes = b""
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None  # the message of a failure, shown to the user as a RenderError
    payload: object = None  # extra results of a job kind (a chapter's page count, ...)


def _init_worker() -> None:
    bind_to_parent()  # a killed build or server takes its workers with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    try:  # WeasyPrint's 0.75 s import, while the parent loads the course
        importlib.import_module("lectern.pdf.engine")
    except Exception:  # the job itself will report it
        pass
    gcpolicy.settle()  # the modules just imported are never walked by the collector again


def _ping() -> int:
    return os.getpid()


def _env(templates: Path | None):
    from .theme.templates import shared_env
    return shared_env(templates)


def run_job(job: PdfJob) -> JobResult:
    """Render one PDF (in a worker process); failures come back as a message, never a crash."""
    started = time.perf_counter()
    result = JobResult(job.name)
    with gcpolicy.job():  # no full collections while laying out (see gcpolicy)
        _run(job, result)
    result.seconds = time.perf_counter() - started
    return result


def _run(job: PdfJob, result: JobResult) -> None:
    try:
        env = _env(job.templates)
        if job.kind == "guide" and job.store is not None:
            from .print.chapters import PartStore, part_summary, render_guide_cached
            store = PartStore(*job.store)
            rendered = render_guide_cached(job.view, env, job.roots, store)
            result.data, result.problems = rendered.pdf, list(rendered.problems)
            result.payload = {"parts": part_summary(rendered), "reused": store.hits, "laid_out": store.misses}
        elif job.kind == "guide":
            from .print.guide import render_guide
            rendered = render_guide(job.view, env, job.roots)
            result.data, result.problems = rendered.pdf, list(rendered.problems)
        elif job.kind == "chapter":
            from .print.chapters import run_chapter_job
            result.payload, result.problems = run_chapter_job(job.view, env, job.roots)
        elif job.kind == "math":  # not a PDF: formulas typeset for the parent (mathsvg.typeset_all)
            from .text.mathsvg import typeset_batch
            result.payload = typeset_batch(job.view)
        elif job.kind == "deck-fonts":  # not a PDF: the decks' common font subsets, made ahead
            from .theme import fonts
            result.payload = fonts.common_subsets()
        elif job.kind in ("handouts", "notes", "slides-pdf"):
            from .print import handout
            from .print.chapters import PartStore
            make = {"handouts": handout.render_handout, "notes": handout.render_notes,
                    "slides-pdf": handout.render_slides_pdf}[job.kind]
            store = PartStore(*job.store) if job.store is not None else None
            result.data = make(job.view, env, job.roots, job.paper, store)
            if store is not None:
                store.prune()
                result.payload = {"reused": store.hits, "laid_out": store.misses}
        else:
            raise ValueError(f"unknown PDF kind {job.kind!r}")
    except LecternError as exc:
        result.error = exc.format_message()
    except Exception as exc:  # a course template's mistake, or a renderer bug: say which output
        from .theme.templates import template_trouble
        trouble = template_trouble(exc)
        if trouble is not None:
            result.error = f"{trouble}\n{job.name} could not be rendered: fix the template (or remove the course's override)."
            return
        result.error = (f"{job.name} could not be rendered: {type(exc).__name__}: {exc}. This is a bug in "
                        "Lectern: please report it (set LECTERN_DEBUG=1 to see where it happened).")
        if os.environ.get("LECTERN_DEBUG"):
            result.error += "\n" + traceback.format_exc(limit=8)


class PdfPool:
    """A process pool for PDF layout, reusable across builds (serve keeps one warm)."""

    def __init__(self, workers: int | None = None, start_method: str | None = None):
        import multiprocessing
        self.workers = max(1, workers or os.cpu_count() or 1)
        method = start_method or ("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self._context = multiprocessing.get_context(method)
        if method == "forkserver":  # the server imports WeasyPrint once; each worker forks from it
            self._context.set_forkserver_preload(["lectern.forkserver_preload", "lectern.pool", "lectern.pdf.engine"])
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False
        self._lock = threading.Lock()
        self._in_flight = 0

    @classmethod
    def start(cls, workers: int | None = None, start_method: str | None = None) -> PdfPool:
        """A pool whose workers are already starting (and importing WeasyPrint)."""
        pool = cls(workers, start_method)
        pool._ensure()
        return pool

    def _ensure(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor
        if self._closed:
            raise RuntimeError("this PDF pool was closed")
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=self._context,
                                                 initializer=_init_worker)
            self._executor.submit(_ping)  # with fork, every worker starts at the first submit
        return self._executor

    def submit(self, job: PdfJob) -> Future:
        from concurrent.futures.process import BrokenProcessPool
        try:
            future = self._ensure().submit(run_job, job)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh once
            self._executor = None
            future = self._ensure().submit(run_job, job)
        with self._lock:
            self._in_flight += 1
        future.add_done_callback(self._job_done)
        return future

    def _job_done(self, _future) -> None:
        with self._lock:
            self._in_flight -= 1

    def in_flight(self) -> int:
        """Jobs submitted and not finished (waiting or being laid out)."""
        return self._in_flight

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: after their jobs, or (cancel) at once, dropping work in progress."""
        executor, self._executor = self._executor, None
        self._closed = True
        if executor is None:
            return
        if cancel:
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:  # a build that failed or was interrupted: do not wait on layouts
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)
        else:
            executor.shutdown(wait=True)

    def __enter__(self) -> PdfPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close(cancel=exc[0] is not None)
