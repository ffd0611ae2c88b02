"""Input fingerprints per output, and the record of them the manifest keeps under out_dir/.lectern/.

Two levels, cheapest first:
- before loading anything, a *snapshot* of every file a build may read (the course folder, the
  default theme, Lectern's own code) is compared by size and modification time, and by content
  digest where those differ. Nothing changed and every output still there: the build is done.
- after resolving, each output's *key* is a digest of the finished view it is rendered from
  (which already holds its text, citations, numbering and embedded pictures), the theme and
  Lectern's code. An output whose key matches the manifest and whose file is intact is skipped.
The manifest also lists, per output, the course files it was made from (for people and tools).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..course.model import Pos
from ..problems import Problem
from ..theme import DEFAULT_THEME  # lectern.theme's own __init__ imports nothing heavy

CACHE_FORMAT = 2  # bump when keys or records change meaning: every output is rebuilt once
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # lectern/
SKIP_DIRS = {"__pycache__", "node_modules"}
TEMP_ENDINGS = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".pyc", ".kate-swp")


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def is_scratch(name: str) -> bool:
    """Editor backups, swap files, hidden files: never an input, never a reason to rebuild."""
    return name.startswith((".", "#")) or name.endswith(TEMP_ENDINGS)


def _walk(root: Path, prefix: str, skip: list[Path], out: dict[str, tuple[int, int, Path]]) -> None:
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        if is_scratch(entry.name):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name in SKIP_DIRS or any(path == s for s in skip):
                    continue
                _walk(path, f"{prefix}{entry.name}/", skip, out)
            elif entry.is_file():  # a regular file, or a link to one: lstat tells them apart
                st = entry.stat(follow_symlinks=False)
                out[f"{prefix}{entry.name}"] = (st.st_size, st.st_mtime_ns, path)
        except OSError:
            continue


def _add_named(root: Path, named: Iterable[str], out: dict[str, tuple[int, int, Path]]) -> None:
    """Files the last build read that the walk passes over (hidden names, `.drafts/`, `node_modules/`)."""
    for rel in named:
        if rel.startswith(("/", "../")) or f"course:{rel}" in out:
            continue
        path = root / rel
        try:
            st = path.lstat()
        except OSError:
            continue  # gone: its key disappears, and the build notices
        out[f"course:{rel}"] = (st.st_size, st.st_mtime_ns, path)


def _file_digest(path: Path) -> str:
    """The content's digest; a symbolic link's also says where it leads, so turning into one is a change."""
    if path.is_symlink():
        target = os.readlink(path)
        return "link:" + digest(os.fsencode(target) + b"\0" + path.read_bytes())
    return digest(path.read_bytes())


@dataclass
class Snapshot:
    """Every file a build may read: "course:REL", "theme:REL", "code:REL" → [size, mtime_ns, digest]."""

    files: dict[str, list] = field(default_factory=dict)

    @classmethod
    def take(cls, course_dir: Path, out_dir: Path, previous: dict | None = None,
             named: Iterable[str] = ()) -> Snapshot:
        """Stat every input file, and every course file in `named` (what the last build read, whatever
        its name or folder); hash only those whose size or time differ from `previous`."""
        previous = previous or {}
        found: dict[str, tuple[int, int, Path]] = {}
        out = out_dir.resolve()
        _walk(course_dir.resolve(), "course:", [out], found)
        _add_named(course_dir.resolve(), named, found)
        _walk(DEFAULT_THEME, "theme:", [out], found)
        _walk(PACKAGE_DIR, "code:", [DEFAULT_THEME], found)  # an installed theme is the theme's, not code
        files = {}
        for key in sorted(found):
            size, mtime, path = found[key]
            old = previous.get(key)
            if old and old[0] == size and old[1] == mtime:
                files[key] = old
                continue
            try:
                files[key] = [size, mtime, _file_digest(path)]
            except OSError:
                continue
        return cls(files)

    def same_content(self, previous: dict) -> bool:
        return {k: v[2] for k, v in self.files.items()} == {k: v[2] for k, v in previous.items()}

    def part_digest(self, *prefixes: str) -> str:
        """One digest over the files whose key starts with any of `prefixes`."""
        h = hashlib.blake2b(digest_size=16)
        for key, value in self.files.items():
            if key.startswith(prefixes):
                h.update(f"{key}\0{value[2]}\n".encode())
        return h.hexdigest()

    def theme_digest(self) -> str:
        """The theme (default and the course's templates/) and Lectern's own code and version."""
        return self.part_digest("theme:", "code:", "course:templates/") + __version__


def view_key(kind: str, view: object, theme: str, *extra: object) -> str:
    """The fingerprint of an output: what it is rendered from, the theme, and Lectern itself."""
    payload = pickle.dumps((CACHE_FORMAT, kind, view, extra), protocol=5)
    return digest(payload + theme.encode())


@dataclass
class OutputRecord:
    """What the manifest remembers about one output file."""

    key: str
    size: int
    inputs: list[str]  # course files it was made from, relative to the course folder
    warnings: list[Problem] = field(default_factory=list)  # layout warnings, repeated while skipped
    kind: str = ""  # "deck", "guide", ... ("" in a manifest written before kinds were kept)

    def to_json(self) -> dict:
        return {"key": self.key, "size": self.size, "inputs": self.inputs, "kind": self.kind,
                "warnings": [_problem_json(w) for w in self.warnings]}

    @classmethod
    def from_json(cls, data: object) -> OutputRecord | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(str(data["key"]), int(data["size"]), [str(i) for i in data.get("inputs", [])],
                       [w for w in map(_problem_from, data.get("warnings") or []) if w is not None],
                       str(data.get("kind") or ""))
        except (KeyError, TypeError, ValueError):
            return None


def _problem_json(problem: Problem) -> list:
    return [problem.pos.path, problem.pos.line, problem.pos.column, problem.message]


def _problem_from(data: object) -> Problem | None:
    try:
        return Problem(Pos(str(data[0]), int(data[1]), int(data[2])), str(data[3]), "warning")
    except (IndexError, KeyError, TypeError, ValueError):
        return None


@dataclass
class BuildState:
    """The part of the manifest this module owns: read at the start of a build, written at its end."""

    snapshot: dict[str, list] = field(default_factory=dict)
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    last_only: list[str] | None = None
    last_outputs: list[str] = field(default_factory=list)  # what the last build was asked to make
    warnings: list[Problem] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # other records (chapter layouts, ...) by name

    @classmethod
    def from_manifest(cls, manifest: dict) -> BuildState:
        own = manifest.get("lectern")
        if not isinstance(own, dict) or own.get("format") != CACHE_FORMAT or own.get("version") != __version__:
            return cls()
        outputs = {}
        for name, data in (own.get("outputs") or {}).items():
            record = OutputRecord.from_json(data)
            if record is not None:
                outputs[str(name)] = record
        warnings = [w for w in map(_problem_from, own.get("warnings") or []) if w is not None]
        snapshot = own.get("snapshot") if isinstance(own.get("snapshot"), dict) else {}
        return cls(snapshot=snapshot, outputs=outputs, last_only=own.get("only"),
                   last_outputs=[str(n) for n in own.get("last_outputs") or []], warnings=warnings,
                   extra=own.get("extra") if isinstance(own.get("extra"), dict) else {})

    def to_manifest(self) -> dict:
        return {"lectern": {
            "format": CACHE_FORMAT,
            "version": __version__,
            "only": self.last_only,
            "last_outputs": self.last_outputs,
            "outputs": {name: r.to_json() for name, r in sorted(self.outputs.items())},
            "warnings": [_problem_json(w) for w in self.warnings],
            "snapshot": self.snapshot,
            "extra": self.extra,
        }}

    def named_inputs(self) -> set[str]:
        """Every course file the outputs on record were made from (relative to the course folder)."""
        return {i for record in self.outputs.values() for i in record.inputs}

    def intact(self, out_dir: Path, name: str) -> bool:
        """The output is on disk as this build state last wrote it."""
        record = self.outputs.get(name)
        if record is None:
            return False
        try:
            return (out_dir / name).stat().st_size == record.size
        except OSError:
            return False

    def fresh(self, out_dir: Path, name: str, key: str) -> bool:
        record = self.outputs.get(name)
        return record is not None and record.key == key and self.intact(out_dir, name)

    def unchanged_since_last(self, snapshot: Snapshot, out_dir: Path, only: list[str] | None) -> bool:
        """Nothing a build reads has changed and every output of the last build is still in place."""
        return (bool(self.last_outputs) and only == self.last_only and snapshot.same_content(self.snapshot)
                and all(self.intact(out_dir, name) for name in self.last_outputs))


def course_relative(path: Path | str, root: Path) -> str:
    """A course file's path relative to the course folder (as the manifest lists inputs)."""
    p = Path(path)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return p.as_posix()
