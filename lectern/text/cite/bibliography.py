"""Reading bibliography files: every entry key with where it is defined, and what is wrong.

`check` needs only this: the files are scanned here, one scanner per format, never by pandoc.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...course.model import Pos
from ...problems import Problem
from .bibtex import _scan_bibtex
from .csl_json import _scan_json
from .csl_yaml import _scan_yaml

BIB_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".bib": "bibtex", ".bibtex": "bibtex"}


@dataclass
class BibIndex:
    """What `read_bibliography` found: every key with its place, and what is wrong."""

    keys: dict[str, Pos]
    problems: list[Problem] = field(default_factory=list)


def read_bibliography(paths: list[Path]) -> BibIndex:
    """Every entry key of the given files with where it is defined, and every problem found.

    Positions name the file relative to the current folder when it lies inside it (as the rest
    of Lectern's messages do), else as given. Never raises for bad input; never runs pandoc.
    """
    keys: dict[str, Pos] = {}
    problems: list[Problem] = []
    for path in paths:
        found, file_problems = _read_one(Path(path))
        problems.extend(file_problems)
        for key, pos in found:
            if key in keys:
                problems.append(Problem(pos, f"duplicate bibliography key `{key}` (first defined at {keys[key]})", "warning"))
            else:
                keys[key] = pos
    return BibIndex(keys, problems)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _read_one(path: Path) -> tuple[list[tuple[str, Pos]], list[Problem]]:
    name = _display(path)
    kind = BIB_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return [], [Problem(Pos(name, 1, 1), "unknown bibliography format: use .yaml or .yml (CSL-YAML), .json (CSL-JSON) or .bib (BibTeX)")]
    try:
        data = path.read_bytes()
    except OSError as err:
        return [], [Problem(Pos(name, 1, 1), f"cannot read the bibliography: {err.strerror or err}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line_no = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return [], [Problem(Pos(name, line_no, col), "the bibliography is not UTF-8 text")]
    reader = {"yaml": _scan_yaml, "json": _scan_json, "bibtex": _scan_bibtex}[kind]
    return reader(text, name)
