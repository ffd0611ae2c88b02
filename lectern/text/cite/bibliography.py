"""Reading bibliography files: every entry key with where it is defined, and what is wrong.

A scanner per format finds each key's line and column and every syntax error it can; BibTeX and
CSL-JSON files are also read by pandoc, the engine that formats them (`pandocbib`), which has
the last word: what pandoc cannot read is an error here, with its place, and what it reads is
accepted even where the scanner is stricter. So `check` and `build` agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...course.model import Pos
from ...problems import Problem
from .bibtex import _scan_bibtex
from .lines import _LineIndex
from .pandocbib import PandocRead, pandoc_read
from .csl_json import _scan_json
from .csl_yaml import _scan_yaml

BIB_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".bib": "bibtex", ".bibtex": "bibtex"}


@dataclass
class BibEntry:
    """A BibTeX entry as written (`fields`: raw values) and as pandoc read it (`csl`: CSL-JSON)."""

    key: str
    pos: Pos
    fields: dict[str, str]
    csl: dict


@dataclass
class BibIndex:
    """What `read_bibliography` found: every key with its place, and what is wrong."""

    keys: dict[str, Pos]
    problems: list[Problem] = field(default_factory=list)
    bibtex: list[BibEntry] = field(default_factory=list)  # BibTeX entries pandoc read, for `biblint`


def read_bibliography(paths: list[Path]) -> BibIndex:
    """Every entry key of the given files with where it is defined, and every problem found.

    Positions name the file relative to the current folder when it lies inside it (as the rest
    of Lectern's messages do), else as given. Never raises for bad input; never runs pandoc.
    """
    keys: dict[str, Pos] = {}
    problems: list[Problem] = []
    entries: list[BibEntry] = []
    for path in paths:
        found, file_problems = _read_one(Path(path), entries)
        problems.extend(file_problems)
        for key, pos in found:
            if key in keys:
                problems.append(Problem(pos, f"duplicate bibliography key `{key}` (first defined at {keys[key]})", "warning"))
            else:
                keys[key] = pos
    return BibIndex(keys, problems, entries)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _read_one(path: Path, entries: list[BibEntry]) -> tuple[list[tuple[str, Pos]], list[Problem]]:
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
    fields: dict[str, dict[str, str]] = {}
    if kind == "bibtex":
        found, problems = _scan_bibtex(text, name, fields)
    else:
        found, problems = {"yaml": _scan_yaml, "json": _scan_json}[kind](text, name)
    read = pandoc_read(text, path.suffix)
    if read is None:
        return found, problems
    if read.entries is None:
        return found, problems + _pandoc_failure(read, text, name, found, problems)
    places = dict(found)
    for csl in read.entries:
        key = str(csl.get("id", ""))
        if kind == "bibtex" and key in places:
            entries.append(BibEntry(key, places[key], fields.get(key, {}), csl))
    return _as_pandoc_read(read, text, name, found), []


def _pandoc_failure(read: PandocRead, text: str, name: str, found: list[tuple[str, Pos]],
                    problems: list[Problem]) -> list[Problem]:
    """pandoc's error as a problem, unless the scanner already reported one on that line."""
    if read.line:
        pos = Pos(name, read.line, max(read.column, 1))
    elif read.entry_index is not None and read.entry_index < len(found):
        pos = found[read.entry_index][1]
    else:
        pos = Pos(name, 1, 1)
    if any(p.pos.line == pos.line for p in problems) or (problems and not read.line):
        return []  # the scanner said it already, in its own words
    lines = text.splitlines()
    at = lines[pos.line - 1][pos.column - 1:pos.column] if pos.line <= len(lines) else ""
    hint = ("; write the entry with braces, `@type{key, ...}`: pandoc, which formats the bibliography, "
            "reads no other form") if at == "(" else "; pandoc, which formats the bibliography, stops here"
    return [Problem(pos, f"this bibliography cannot be read: {read.reason}{hint}")]


def _as_pandoc_read(read: PandocRead, text: str, name: str, found: list[tuple[str, Pos]]) -> list[tuple[str, Pos]]:
    """The keys pandoc read, each placed where the scanner found it (or where the text names it)."""
    places = dict(found)
    lines = _LineIndex(text)
    out = []
    for csl in read.entries or []:
        key = csl.get("id")
        if not isinstance(key, (str, int)) or isinstance(key, bool) or not str(key).strip():
            continue
        key = str(key).strip()
        if key not in places:
            at = text.find(key)
            places[key] = lines.pos(name, at) if at >= 0 else Pos(name, 1, 1)
        out.append((key, places[key]))
    return out
