"""The study guide laid out in stages over the worker pool: changed chapters at once, then folios and front matter, then the join."""
from __future__ import annotations

import pickle
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .pool import PdfJob, PdfPool
from .state.cache import view_key

if TYPE_CHECKING:  # concurrent.futures loads only when a PDF is to be made
    from concurrent.futures import Future

# the guide's pieces other than chapters, laid out ahead of assembly (print.chapters.STAGES);
# bracketed so that no chapter id can be mistaken for one
APPENDICES, CHAPTER_FOLIOS, FRONT = "<appendices>", "<chapter-folios>", "<front>"
STAGE_NAMES = {APPENDICES: "appendices", CHAPTER_FOLIOS: "chapter-folios", FRONT: "front"}


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
