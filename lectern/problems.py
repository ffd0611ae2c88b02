"""Problems found in a course, and the small exception tree users see instead of tracebacks."""
from __future__ import annotations

from dataclasses import dataclass

import click

from .course.model import Pos


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a course, at a place in a file."""

    pos: Pos
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        tag = "warning: " if self.severity == "warning" else ""
        return f"{self.pos}: {tag}{self.message}"


class LecternError(click.ClickException):
    """Root of Lectern's errors: click prints the message and exits without a traceback."""

    exit_code = 1


class ContentError(LecternError):
    """The course has errors; carries every problem found, sorted by file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.pos.path, p.pos.line, p.pos.column))
        lines = [str(p) for p in self.problems]
        n = len(self.problems)
        lines.append(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.")
        super().__init__("\n".join(lines))

    def format_message(self) -> str:  # click prefixes "Error: " otherwise
        return self.message

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True, file=file)


class OutputError(LecternError):
    """The output folder cannot be used or written (permissions, full disk, unsafe --out)."""


class RenderError(LecternError):
    """An output could not be rendered (for example a footnote lost in the laid-out guide)."""


class UsageError(click.UsageError):
    """A wrong command line: exit status 2."""
