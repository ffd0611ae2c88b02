"""Work done ahead of its phase so a build waits less: workers started before the course loads, templates compiled while citations format, the deck just edited written first."""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from .course.model import Course
from .planning import Planned, course_inputs, lecture_inputs
from .pool import PDF_KINDS, PdfJob, PdfPool
from .report import Reporter
from .rendering import EarlyWriter
from .state.cache import BuildState, Snapshot, view_key

if TYPE_CHECKING:
    from .pipeline import BuildOptions, Session


class Workers:
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

    def start_ahead(self, kinds: set[str]) -> None:
        """When this build will lay out PDFs, start the workers now: they fork and import
        WeasyPrint while this process loads the course, and make the decks' common font subsets
        (theme.fonts) when none are kept yet."""
        if not any(k in PDF_KINDS for k in kinds):
            return
        pool = self.get()
        if "deck" in kinds:
            from .theme import fonts
            if fonts.common_subsets_missing():
                fonts.made_elsewhere(pool.submit(PdfJob("deck fonts", "deck-fonts", None, None, [])))

    def fan_out(self):
        """When the workers were started ahead, a function handing them a batch of formulas to
        typeset while this process typesets others (mathsvg.typeset_all); else None."""
        pool = self.session.pool if self.session is not None else self.owned
        if pool is None:
            return None
        return lambda batch: _Formulas(pool.submit(PdfJob("formulas", "math", batch, None, [])))

    def close(self, cancel: bool = False) -> None:
        if self.owned is not None:
            self.owned.close(cancel=cancel)
            self.owned = None

    def drop_session_pool(self) -> None:
        if self.session is not None and self.session.pool is not None:
            self.session.pool.close(cancel=True)
            self.session.pool = None


class _Formulas:
    """A batch of formulas in a worker, as mathsvg.Shared: its result is typeset_batch's list."""

    def __init__(self, future):
        self.future = future

    def cancel(self) -> bool:
        return self.future.cancel()

    def cancelled(self) -> bool:
        return self.future.cancelled()

    def result(self) -> list:
        done = self.future.result()
        if done.error is not None:
            raise RuntimeError(done.error)
        return done.payload


def compile_templates(course: Course, kinds: set[str]) -> None:
    """Compile the deck's and the course page's templates now (the environment keeps them), while
    pandoc formats the citations in its thread."""
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
    base = course_inputs(course)
    planned, files = [], {}
    env = None
    for number, lecture in enumerate(course.lectures, 1):
        inputs = lecture_inputs(course, lecture)
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
    writer = EarlyWriter.of(out_dir, state, planned, reporter)
    writer(files)
    return writer.written
