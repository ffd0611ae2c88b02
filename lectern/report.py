"""Reporters: how a build tells the user what it is doing (plain lines, quiet, or kept for tests)."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

import click

from .problems import Problem


class Reporter:
    """Plain lines on stderr: one per output, then a summary. The engine never prints directly."""

    def __init__(self, stream=None):
        self.stream = stream

    def _line(self, text: str) -> None:
        click.echo(text, err=self.stream is None, file=self.stream)

    def phase(self, name: str) -> None:
        """A pipeline phase begins (load, validate, resolve, render, write)."""

    def output_started(self, name: str) -> None:
        """An output (a deck, the guide, a handout) starts rendering."""

    def output_done(self, name: str, seconds: float) -> None:
        self._line(f"built    {name}  ({seconds:.2f} s)")

    def output_skipped(self, name: str) -> None:
        self._line(f"skipped  {name}  (unchanged)")

    def warning(self, problem: Problem) -> None:
        self._line(str(problem))

    def info(self, message: str) -> None:
        self._line(message)

    def summary(self, built: int, skipped: int, seconds: float, out_dir: str) -> None:
        self._line(f"{built} built, {skipped} unchanged in {seconds:.2f} s -> {out_dir}")


class QuietReporter(Reporter):
    """`-q`: nothing but warnings (errors still reach the user through the exception)."""

    def output_done(self, name: str, seconds: float) -> None:
        pass

    def output_skipped(self, name: str) -> None:
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

    def output_done(self, name: str, seconds: float) -> None:
        self.events.append(("built", name))

    def output_skipped(self, name: str) -> None:
        self.events.append(("skipped", name))

    def warning(self, problem: Problem) -> None:
        self.events.append(("warning", str(problem)))

    def names(self, kind: str) -> list[str]:
        return [name for k, name in self.events if k == kind]
