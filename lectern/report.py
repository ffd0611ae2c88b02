"""Reporters: how a build tells the user what it is doing (live progress, plain lines, quiet, or kept for tests)."""
from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field

import click

from .problems import Problem


class Reporter:
    """Plain lines on stderr: one per output built, then a summary. The engine never prints directly.

    `Reporter()` on a terminal gives a live progress display instead (see `ProgressReporter`).
    """

    def __new__(cls, *args, **kwargs):
        stream = args[0] if args else kwargs.get("stream")
        if cls is Reporter and _is_terminal(stream if stream is not None else sys.stderr):
            cls = ProgressReporter
        return super().__new__(cls)

    def __init__(self, stream=None):
        self.stream = stream
        self._lock = threading.Lock()

    def _line(self, text: str) -> None:
        click.echo(text, err=self.stream is None, file=self.stream)

    def phase(self, name: str) -> None:
        """A pipeline phase begins (plan, load, validate, resolve, render, verify, write)."""

    def plan(self, to_build: list[str], unchanged: list[str]) -> None:
        """The outputs this build will render, and those it keeps because their inputs did not change."""

    def output_started(self, name: str) -> None:
        """An output (a deck, the guide, a handout) starts rendering."""

    def output_done(self, name: str, seconds: float) -> None:
        self._line(f"built    {name}  ({seconds:.2f} s)")

    def output_skipped(self, name: str) -> None:
        """An output is kept as it is (its inputs did not change)."""

    def written(self, names: list[str]) -> None:
        """These outputs are now on disk (serve reloads the pages showing them)."""

    def warning(self, problem: Problem) -> None:
        self._line(str(problem))

    def info(self, message: str) -> None:
        self._line(message)

    def error(self, message: str) -> None:
        """A failed build that does not end the program (serve): shown even with -q."""
        self._line(message)

    def summary(self, built: int, skipped: int, seconds: float, out_dir: str) -> None:
        self._line(summary_line(built, skipped, seconds, out_dir))

    def failed(self) -> None:
        """The build stopped with an error (the caller shows it)."""


def summary_line(built: int, skipped: int, seconds: float, out_dir: str) -> str:
    if built == 0 and skipped:
        return f"nothing changed: {skipped} outputs up to date in {seconds:.2f} s -> {out_dir}"
    return f"{built} built, {skipped} unchanged in {seconds:.2f} s -> {out_dir}"


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


class ProgressReporter(Reporter):
    """On a terminal: one status line redrawn in place (a bar, counts, what is being laid out)."""

    def __init__(self, stream=None):
        super().__init__(stream)
        self.total = 0
        self.done = 0
        self.running: list[str] = []
        self.started = time.perf_counter()
        self.phase_name = ""
        self._shown = False
        self._building = False

    def _out(self):
        return self.stream if self.stream is not None else sys.stderr

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 20)).columns
        elapsed = time.perf_counter() - self.started
        if self.total:
            filled = int(20 * self.done / self.total)
            bar = "#" * filled + "-" * (20 - filled)
            text = f"[{bar}] {self.done}/{self.total}  {elapsed:4.1f} s  {', '.join(self.running)}"
        else:
            text = f"{self.phase_name} ...  {elapsed:4.1f} s"
        out = self._out()
        out.write("\r\x1b[K" + text[: max(10, width - 1)])
        out.flush()
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            out = self._out()
            out.write("\r\x1b[K")
            out.flush()
            self._shown = False

    def _line(self, text: str) -> None:
        with self._lock:
            self._clear()
            click.echo(text, file=self._out())

    def phase(self, name: str) -> None:
        with self._lock:
            if not self._building:  # a new build (serve reuses its reporter)
                self._building, self.started = True, time.perf_counter()
                threading.Thread(target=self._tick, name="lectern-progress", daemon=True).start()
            self.phase_name = name
            self._draw()

    def _tick(self) -> None:
        """Keep the clock moving while a long layout runs (redraw twice a second)."""
        while True:
            time.sleep(0.5)
            with self._lock:
                if not self._building:
                    return
                self._draw()

    def plan(self, to_build: list[str], unchanged: list[str]) -> None:
        with self._lock:
            self.total, self.done, self.running = len(to_build), 0, []
            self._draw()

    def output_started(self, name: str) -> None:
        with self._lock:
            self.running.append(name)
            self._draw()

    def output_done(self, name: str, seconds: float) -> None:
        with self._lock:
            if name in self.running:
                self.running.remove(name)
            self.done += 1
            self._draw()

    def summary(self, built: int, skipped: int, seconds: float, out_dir: str) -> None:
        with self._lock:
            self._clear()
            click.echo(summary_line(built, skipped, seconds, out_dir), file=self._out())
            self.total = self.done = 0
            self.running = []
            self._building = False

    def failed(self) -> None:
        """The build stopped with an error: take the status line away before the error is shown."""
        with self._lock:
            self._clear()
            self._building = False


class QuietReporter(Reporter):
    """`-q`: nothing but warnings (errors still reach the user through the exception)."""

    def output_done(self, name: str, seconds: float) -> None:
        pass

    def info(self, message: str) -> None:
        pass

    def summary(self, built: int, skipped: int, seconds: float, out_dir: str) -> None:
        pass


@dataclass
class BufferReporter(Reporter):
    """Keeps every event in a list, for tests and for serve's error page."""

    events: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(stream=sys.stderr)

    def _line(self, text: str) -> None:
        self.events.append(("line", text))

    def phase(self, name: str) -> None:
        self.events.append(("phase", name))

    def plan(self, to_build: list[str], unchanged: list[str]) -> None:
        self.events += [("planned", n) for n in to_build] + [("skipped", n) for n in unchanged]

    def output_done(self, name: str, seconds: float) -> None:
        self.events.append(("built", name))

    def warning(self, problem: Problem) -> None:
        self.events.append(("warning", str(problem)))

    def error(self, message: str) -> None:
        self.events.append(("error", message))

    def written(self, names: list[str]) -> None:
        self.events += [("written", n) for n in names]

    def summary(self, built: int, skipped: int, seconds: float, out_dir: str) -> None:
        self.events.append(("summary", summary_line(built, skipped, seconds, out_dir)))

    def names(self, kind: str) -> list[str]:
        return [name for k, name in self.events if k == kind]
