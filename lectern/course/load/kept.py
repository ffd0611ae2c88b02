"""Kept lectures: a lecture loaded (and parsed) before is reused while its file and the files it names are unchanged.

In this process from `_KEPT`; in the next one from the user's cache folder (see `keep_parsed`).
"""
from __future__ import annotations

import functools
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from ...problems import Problem
from ...state import usercache
from ..model import Course, Lecture


@dataclass
class _Kept:
    """A lecture as last loaded: reused while its file's bytes and the files it names are unchanged.

    `serve` loads the course after every save; re-reading an unchanged lecture's YAML (and, as
    `markup.parse_course` keeps its parse on the object, re-parsing its Markdown) is what made a
    save in a large course slow to show. A plain `build` loads each lecture once and gains nothing.
    """

    digest: str  # sha256 of the lecture file
    lecture: Lecture | None
    problems: list[Problem]
    touched: list[tuple[Path, Path, bool]]  # files the lecture names: (as written, resolved, was a file)

    saved: bool = False  # written to the user's cache with its parse (see `keep_parsed`)

    def still(self, digest: str) -> bool:
        if digest != self.digest:
            return False
        try:
            return all(full.resolve() == resolved and resolved.is_file() == exists
                       for full, resolved, exists in self.touched)
        except (OSError, RuntimeError):
            return False


_KEPT: dict[tuple[str, str, str, str], _Kept] = {}  # by (path, lecture id, display name, course root)
MAX_KEPT = 1024
KEPT_FILES = 512  # lectures kept in the user's cache folder between processes (the newest)
KEPT_FORMAT = 1  # the layout of a kept file (its contents follow the code: see `_code_stamp`)

_PACKAGE = Path(__file__).resolve().parent.parent.parent  # lectern/
# the code that shapes a kept lecture, as globs under lectern/ (before and after markup and cite became packages)
_SHAPING_CODE = ("course/load/**/*.py", "course/model.py", "course/yamlnodes.py",
                 "text/markup*.py", "text/markup/**/*.py", "text/cite.py", "text/cite/**/*.py",
                 "text/mdrules.py", "text/mathsvg.py", "text/codehl.py")  # parse marks: math and code problems


def found(key: tuple, digest: str | None) -> _Kept | None:
    """The lecture kept under `key` for a file with these bytes (in this process or the user's cache), if still good."""
    kept = _KEPT.get(key)
    if digest is not None and (kept is None or kept.digest != digest):
        kept = _read_kept(key, digest)  # an earlier build's load (and parse) of these bytes
        if kept is not None:
            _remember(key, kept)
    if digest is not None and kept is not None and kept.still(digest):
        return kept
    return None


def _remember(key: tuple, kept: _Kept) -> None:
    _KEPT.pop(key, None)
    while len(_KEPT) >= MAX_KEPT:
        _KEPT.pop(next(iter(_KEPT)))
    _KEPT[key] = kept


def keep(key: tuple, digest: str, lecture: Lecture | None, problems: list[Problem], touched: list) -> None:
    """Remember a lecture just loaded from a file with these bytes, with its problems and the files it names."""
    _remember(key, _Kept(digest, lecture, problems, touched))


def _shaping_files() -> list[str]:
    """Every file `_SHAPING_CODE` names that exists, as sorted paths relative to lectern/."""
    names = {path.relative_to(_PACKAGE).as_posix() for pattern in _SHAPING_CODE for path in _PACKAGE.glob(pattern)}
    return sorted(names)


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """The code that shapes a kept lecture (the model, loading, parsing, markdown-it): a
    lecture kept by other code is never read back, whatever its version number says."""
    import markdown_it
    h = hashlib.blake2b(markdown_it.__version__.encode(), digest_size=16)
    for name in _shaping_files():
        h.update(name.encode())
        try:
            h.update((_PACKAGE / name).read_bytes())
        except OSError:
            pass  # the name alone, then
    return h.hexdigest()


def _kept_path(key: tuple, digest: str) -> Path:
    """A lecture's loaded-and-parsed form in this user's cache folder (never an output folder:
    it is unpickled, so it must come from nowhere anyone else writes), by file and bytes."""
    name = hashlib.blake2b(repr((KEPT_FORMAT, _code_stamp(), key, digest)).encode(), digest_size=16).hexdigest()
    return usercache.folder("lectures") / f"{name}.pkl"


def _read_kept(key: tuple, digest: str) -> _Kept | None:
    try:
        kept = pickle.loads(_kept_path(key, digest).read_bytes())
    except Exception:  # missing, unreadable, or written by another version of the model
        return None
    if not isinstance(kept, _Kept) or kept.digest != digest or kept.lecture is None or kept.lecture.parsed is None:
        return None
    kept.saved = True  # it is in the cache (pickled before it was marked): `keep_parsed` need not write it again
    return kept


def keep_parsed(course: Course) -> None:
    """Write each lecture loaded and parsed in this process to the user's cache, so the next
    build (a new process, after an edit elsewhere) neither reads its YAML nor parses its Markdown."""
    wrote = False
    ours = {id(lecture) for lecture in course.lectures}
    for key, kept in list(_KEPT.items()):
        lecture = kept.lecture
        if kept.saved or lecture is None or lecture.parsed is None or id(lecture) not in ours:
            continue
        try:
            data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, RecursionError):
            return
        if not usercache.keep(_kept_path(key, kept.digest), data):
            return
        kept.saved = True
        wrote = True
    if wrote:
        usercache.prune(usercache.folder("lectures"), "*.pkl", KEPT_FILES)

