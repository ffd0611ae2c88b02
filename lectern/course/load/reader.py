"""The readers' shared helper: one YAML value read as text, Markdown, a list, a number or a file, or a problem."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Md, Pos
from ...problems import Problem
from ..yamlnodes import Node


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@dataclass
class Reader:
    """Reads values of one course; `problems` collects everything wrong instead of stopping at the first."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    touched: list | None = None  # while loading a lecture: the files it names (see `kept._Kept`)

    def display(self, path: Path) -> str:
        """How a file is named in messages: relative to the working folder when inside it."""
        return display_path(path)

    def error(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, message))

    def warn(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, message, "warning"))

    def mapping(self, node: Node, allowed: set[str], required: tuple[str, ...], what: str) -> dict[str, Node] | None:
        """Check a mapping's keys: required present, unknown ones named with a suggestion."""
        if not isinstance(node.value, dict):
            self.error(node.pos, f"{what} must be a mapping of keys (like `title: ...`), not {node.kind}")
            return None
        for key, value in node.value.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(allowed))}"
                self.error(getattr(value, "key_pos", value.pos), f"unknown key '{key}' in {what}{hint}")
        for key in required:
            if key not in node.value:
                self.error(node.pos, f"{what} is missing the required key '{key}'")
        return node.value

    def text(self, node: Node | None, what: str, required: bool = False, typed: bool = False) -> str | None:
        """A value that is text: what was typed, even where YAML 1.1 reads `no`, `on`, `1.10` or a
        date as something else. `typed`: a date key, which reads a YAML date as its ISO form."""
        if node is None:
            return None
        if node.value is None:
            if required:
                self.error(node.pos, f"{what} is empty: write a value")
            return None
        if isinstance(node.value, (dict, list)):
            self.error(node.pos, f"{what} must be text, not {node.kind}")
            return None
        if node.source is not None and not (typed and isinstance(node.value, str)):
            return node.source
        if isinstance(node.value, bool):  # an explicit !!bool tag
            self.error(node.pos, f"{what} must be text, not {node.kind}")
            return None
        return str(node.value)

    def md(self, node: Node | None, what: str, required: bool = False) -> Md | None:
        value = self.text(node, what, required)
        if value is None:
            return None
        return Md(value, node.pos, block=node.style in ("|", ">"), indent=node.indent,
                  lead=1 if node.style in ('"', "'") else 0)

    def md_list(self, node: Node | None, what: str) -> list[Md]:
        items = self.list(node, what)
        return [m for m in (self.md(item, f"each of {what}") for item in items) if m is not None]

    def list(self, node: Node | None, what: str) -> list[Node]:
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            self.error(node.pos, f"{what} must be a list (lines starting with '- '), not {node.kind}")
            return []
        return node.value

    def integer(self, node: Node | None, what: str) -> int | None:
        if node is None or node.value is None:
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value <= 0:
            self.error(node.pos, f"{what} must be a whole number greater than 0, not {node.value!r}")
            return None
        return node.value

    def course_path(self, node: Node, what: str) -> Path | None:
        """A relative path inside the course folder; absolute paths, URLs and escapes are errors."""
        value = self.text(node, what, required=True)
        if value is None:
            return None
        if "://" in value or value.startswith(("data:", "javascript:")):
            self.error(node.pos, f"{what} '{value}' is a URL: Lectern reads only files inside the course folder")
            return None
        candidate = Path(value)
        if candidate.is_absolute():
            self.error(node.pos, f"{what} '{value}' is an absolute path: give a path relative to the course folder")
            return None
        full = (self.root / candidate)
        try:
            resolved = full.resolve()
            resolved.relative_to(self.root.resolve())
        except (ValueError, OSError, RuntimeError):
            self.error(node.pos, f"{what} '{value}' leads outside the course folder: keep course files inside it")
            return None
        exists = resolved.is_file()
        if self.touched is not None:
            self.touched.append((full, resolved, exists))
        if not exists:
            self.error(node.pos, f"{what} '{value}' does not exist (looked for {self.display(full)})")
            return None
        return resolved
