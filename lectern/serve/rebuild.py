"""Rebuilding: one build at a time in its own thread (a save during a build makes one more), and the file watcher."""
from __future__ import annotations

import threading
import traceback
from pathlib import Path

from .. import pipeline
from ..problems import ContentError, LecternError
from ..report import Reporter
from ..state.cache import DEFAULT_THEME, is_scratch
from .live import LiveState


class _Relay:
    """The user's reporter, plus: every write reaches the open pages at once."""

    def __init__(self, inner: Reporter, live: LiveState):
        self._inner, self._live = inner, live

    def written(self, names: list[str]) -> None:
        self._live.wrote(names)
        self._inner.written(names)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


class Builder:
    """Runs builds one at a time in its own thread; saves arriving during a build make one more."""

    def __init__(self, course: Path, out: Path, strict: bool, reporter: Reporter, live: LiveState,
                 session: pipeline.Session):
        self.course, self.out, self.strict = course, out, strict
        self.reporter, self.live, self.session = reporter, live, session
        self.relay = _Relay(reporter, live)
        self.wake = threading.Event()
        self.cancel = threading.Event()  # set by a save that arrives while a build runs
        self.stopping = threading.Event()
        self.idle = threading.Event()
        self.builds = 0
        self.named: set[Path] = set()  # files the last build read, for the watcher
        self.thread = threading.Thread(target=self._loop, name="lectern-builder", daemon=True)

    def request(self) -> None:
        """Build again; a build under way stops (what it wrote stays) and the new one starts."""
        self.idle.clear()
        self.wake.set()
        self.cancel.set()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            self.wake.wait()
            if self.stopping.is_set():
                return
            self.wake.clear()
            self.cancel = threading.Event()
            self.build_once()
            if not self.wake.is_set():
                self.idle.set()

    def build_once(self) -> None:
        self.live.started()
        options = pipeline.BuildOptions(strict=self.strict, write_as_ready=True, cancel=self.cancel)
        try:
            result = pipeline.build(self.course, self.out, options, self.relay, self.session)
            if not result.loaded:  # nothing had changed since the last run: read the course now,
                pipeline.warm(self.course)  # so that the first save shows as quickly as the next ones
        except pipeline.Cancelled:
            self.reporter.info("a newer save arrived: building again")
            return
        except ContentError as exc:
            self.reporter.error(exc.format_message())
            self.live.failed([str(p) for p in exc.problems])
        except LecternError as exc:
            self.reporter.error(exc.format_message())
            self.live.failed(exc.format_message().splitlines())
        except Exception:  # a bug must not stop the server: show it, keep watching
            if self.stopping.is_set():
                return
            text = traceback.format_exc()
            self.reporter.error(text)
            self.live.failed(["Lectern failed while building (a bug, please report it):", *text.splitlines()])
        else:
            self.live.built()
        finally:
            self.named = named_inputs(self.course, self.out)
            self.builds += 1


def named_inputs(course: Path, out: Path) -> set[Path]:
    """The course files the last build read (from its manifest): inputs whatever their names."""
    from ..state.cache import BuildState
    from ..state.outputs import read_manifest
    root = course.resolve()
    return {root / rel for rel in BuildState.from_manifest(read_manifest(out.resolve())).named_inputs()}


def _watch_filter(out: Path, named=lambda: set()):
    """Scratch files and the output folder are ignored; a file the course names never is."""
    def keep(_change, path: str) -> bool:
        p = Path(path)
        if p in named():
            return True
        if is_scratch(p.name) or p == out or out in p.parents:
            return False
        return not any(part.startswith(".") or part == "__pycache__" for part in p.parts[1:])
    return keep


def _watch(course: Path, out: Path, builder: Builder, stop_event: threading.Event, step_ms: int) -> None:
    import watchfiles
    paths = [course.resolve()]
    if DEFAULT_THEME.is_dir():
        paths.append(DEFAULT_THEME)
    keep = _watch_filter(out.resolve(), lambda: builder.named)
    try:
        for _changes in watchfiles.watch(*paths, watch_filter=keep, step=step_ms, debounce=800,
                                         stop_event=stop_event, raise_interrupt=False, rust_timeout=500):
            builder.request()
    except Exception as exc:  # the course folder vanished, too many files to watch, ...
        if not stop_event.is_set():
            builder.reporter.error(f"stopped watching for changes: {exc}")
