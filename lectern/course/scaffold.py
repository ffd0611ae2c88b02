"""`lectern new DIR`: copy the starter course (lectern/course/starter/) and the JSON Schemas into a new, empty folder.

The starter's YAML files name their schema on their first line (`# yaml-language-server:
$schema=schema/course.schema.json`), relative to the file, so editors find it in the course's
own schema/ folder, written here; `lectern schema --out DIR/schema` refreshes it after an upgrade.
"""
from __future__ import annotations

import datetime
import re
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from ..problems import OutputError

STARTER = "starter"


def starter_files() -> list[tuple[Path, bytes]]:
    """The starter course as (path relative to the course folder, content), in a stable order."""
    out: list[tuple[Path, bytes]] = []

    def walk(node: Traversable, rel: Path) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith((".", "__")):
                continue  # __pycache__, __init__.py, editor droppings
            if child.is_dir():
                walk(child, rel / child.name)
            else:
                out.append((rel / child.name, child.read_bytes()))

    walk(resources.files(__package__) / STARTER, Path())
    return out


def new_course(target: Path) -> list[Path]:
    """Write a small course that builds into `target` (created if needed); return the files written.

    Refuses, with an OutputError, when `target` is a file or a folder that is not empty, so
    nothing a lecturer wrote is ever overwritten.
    """
    target = Path(target)
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise OutputError(f"cannot write a new course to '{target}': it exists and is not a folder")
        if any(target.iterdir()):
            raise OutputError(
                f"'{target}' is not empty; `new` writes a course only into a new or empty folder, "
                "so nothing there is overwritten. Choose another folder name.")
    from .schema import SCHEMA_FOLDER, schema_files
    files = starter_files() + [(Path(SCHEMA_FOLDER) / name, data) for name, data in schema_files()]
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel, data in files:
            dest = target / rel
            if rel == Path("course.yaml"):
                data = _as_run(_dated(data))
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "xb") as f:  # "x": never replace a file that appeared meanwhile
                f.write(data)
            written.append(dest)
    except OSError as e:
        raise OutputError(f"cannot write the new course to '{target}': {e.strerror or e}") from e
    return written


def _as_run(course_yaml: bytes) -> bytes:
    """The starter's course.yaml naming the command this user ran (`lectern`, `python build.py`, ...)."""
    from ..invoked import command
    return course_yaml.replace(b"`lectern build ", b"`" + command().encode() + b" build ", 1)


def _dated(course_yaml: bytes) -> bytes:
    """The starter's course.yaml with today's date, as a lecturer starting today would write it."""
    today = datetime.date.today().isoformat()
    return re.sub(rb"(?m)^date: \d{4}-\d{2}-\d{2}", b"date: " + today.encode(), course_yaml, count=1)
