"""Writing outputs: out-folder safety checks, atomic file writes, the manifest, and clean."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..problems import OutputError

_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK  # what a plain open() would give: temporary files start as 0600

STATE_DIR = ".lectern"
MANIFEST = "manifest.json"
LOCK = "lock"
PRINTS = "prints"  # under STATE_DIR: each print document's laid-out chunks (print/printparts), a folder an output
LOCK_WAIT = 120.0  # seconds a build waits for another one writing to the same folder
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # what _atomic_write's mkstemp names look like


_held: dict[tuple[Path, int], int] = {}  # (out folder, thread) -> depth: the lock is re-entrant


@contextlib.contextmanager
def locked(out: Path, wait: float | None = None):
    """Hold out/.lectern/lock (flock) so two builds, or a build and clean, never write at once.

    A second build waits up to `wait` seconds (LOCK_WAIT) for the first, then gives up with an
    OutputError. The lock goes with the process, so a killed build never leaves it held. It is
    re-entrant within a thread: a whole build may hold it around its plan-render-write phases
    while write_outputs takes it again.
    """
    out = out.resolve()
    key = (out, threading.get_ident())
    if key in _held:  # this thread holds it already
        with _holding(key):
            yield
        return
    wait = LOCK_WAIT if wait is None else wait
    state = out / STATE_DIR
    made = [d for d in (out, state) if not d.exists()]  # a failed build must leave no trace of its lock
    fd = _take_lock(out, state, wait)
    try:
        with _holding(key):
            yield
    finally:
        _release_lock(fd, state, made)


@contextlib.contextmanager
def _holding(key: tuple[Path, int]):
    """Count one more hold of a folder's lock by this thread, for as long as the block runs."""
    _held[key] = _held.get(key, 0) + 1
    try:
        yield
    finally:
        _held[key] -= 1
        if not _held[key]:
            del _held[key]


def _take_lock(out: Path, state: Path, wait: float) -> int:
    """Open and flock state/lock, waiting up to `wait` seconds; returns the open file."""
    lock = state / LOCK
    deadline = time.monotonic() + wait
    while True:
        fd = _open_lock(out, state)
        try:
            _flock_before(fd, deadline, out, wait)
            same = _still_the_lock_file(lock, fd)
        except BaseException:
            os.close(fd)
            raise
        if same:
            return fd
        os.close(fd)  # the holder before us removed the file we waited on: lock the current one


def _open_lock(out: Path, state: Path) -> int:
    try:
        state.mkdir(parents=True, exist_ok=True)
        return os.open(state / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # --out under a file, read-only, no permission: one clear line
        raise OutputError(_os_message(exc, out)) from None


def _flock_before(fd: int, deadline: float, out: Path, wait: float) -> None:
    """Take the lock on `fd`, polling until `deadline`; then another build holds it: OutputError."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OutputError(f"another Lectern build is writing to {out} and did not finish within "
                                  f"{wait:g} s: wait for it, or choose another --out") from None
            time.sleep(0.05)


def _still_the_lock_file(lock: Path, fd: int) -> bool:
    """Whether the file locked is still the one at `lock` (its holder may have removed it meanwhile)."""
    try:
        return os.stat(lock).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _release_lock(fd: int, state: Path, made: list[Path]) -> None:
    """Let go of the lock; when nothing was written, take away the lock file and the folders made for it."""
    if made and not (state / MANIFEST).exists():
        with contextlib.suppress(OSError):
            (state / LOCK).unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
    os.close(fd)  # closing releases the lock


def _remove_leftovers(folders: set[Path]) -> None:
    """Temporary files of a build that was killed mid-write (only ever removed under the lock)."""
    for folder in folders:
        try:
            children = list(folder.iterdir())
        except OSError:
            continue
        for child in children:
            if _TEMP.match(child.name) and child.is_file() and not child.is_symlink():
                with contextlib.suppress(OSError):
                    child.unlink()


def check_out_dir(course_root: Path, out_dir: Path) -> None:
    """Refuse an output folder that is, contains or lies inside the course (a build never touches sources)."""
    course = course_root.resolve()
    out = out_dir.resolve()
    if out == course or out in course.parents:
        raise OutputError(f"--out {out_dir} is or contains the course folder {course_root}: "
                          "choose a separate folder such as output/")
    if course in out.parents:  # Lectern never writes into a course: its outputs are no sources
        raise OutputError(f"--out {out_dir} is inside the course folder {course_root}, and Lectern never "
                          f"writes there: choose a folder beside it, such as {course.parent / 'output'}")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out_dir} is a file, not a folder: choose another path")


def _safe_target(out: Path, rel: str) -> Path:
    target = (out / rel).resolve()
    if out not in target.parents:
        raise OutputError(f"refusing to write {rel}: it would land outside {out}")
    return target


def write_outputs(out_dir: Path, files: dict[str, bytes], manifest_extra: dict | None = None,
                  remove: list[str] = ()) -> list[str]:
    """Write every file, then the manifest, so that a failure changes nothing; then delete `remove`.

    Each file (and the manifest) is first written in full to a temporary file beside its target
    and flushed; only when all of them are on disk are they renamed into place, the manifest last.
    A full disk or a permission error therefore raises OutputError with the previous outputs
    exactly as they were; a kill between two renames leaves each file old or wholly new. Builds
    writing to the same folder take turns (see `locked`).
    """
    out = out_dir.resolve()
    written: list[str] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        with locked(out):
            manifest = read_manifest(out)
            before = manifest.get("files")
            before = [f for f in before if isinstance(f, str)] if isinstance(before, list) else []
            manifest["files"] = sorted((set(before) | set(files)) - set(remove))
            if manifest_extra:
                manifest.update(manifest_extra)
            targets = {rel: _safe_target(out, rel) for rel in files}
            targets[STATE_DIR + "/" + MANIFEST] = out / STATE_DIR / MANIFEST  # staged with the rest, renamed last
            contents = dict(files)
            contents[STATE_DIR + "/" + MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True).encode()
            _remove_leftovers({out, out / STATE_DIR} | {t.parent for t in targets.values() if t.parent.is_dir()})
            staged: dict[str, str] = {}
            try:
                for rel, data in contents.items():
                    staged[rel] = _stage(targets[rel], data)
                for rel in contents:
                    os.replace(staged[rel], targets[rel])
                    del staged[rel]
                    if rel in files:
                        written.append(rel)
            finally:
                for tmp in staged.values():
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
            for rel in remove:  # outputs no build makes any more: only after the manifest forgot them
                target = _safe_target(out, rel)
                if target.is_file() and not target.is_symlink():
                    target.unlink()
                _remove_kept_parts(prints_folder(out / STATE_DIR, rel))
    except OSError as exc:
        raise OutputError(_os_message(exc, out_dir)) from None
    return written


@dataclass(frozen=True)
class Copy:
    """An output that is a course file as it is (a video beside the decks): copied at write time,
    never read into memory. Its len() is its size, as a rendered output's is."""

    source: Path
    size: int

    @classmethod
    def of(cls, source: Path) -> Copy:
        return cls(source, source.stat().st_size)

    def __len__(self) -> int:
        return self.size


def _atomic_write(target: Path, data: bytes) -> None:
    tmp = _stage(target, data)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _stage(target: Path, data: bytes | Copy) -> str:
    """Write data (or a Copy's file) to a temporary file beside target, flushed to disk; returns its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, Copy):
                with open(data.source, "rb") as src:
                    shutil.copyfileobj(src, fh, 1 << 20)
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _os_message(exc: OSError, out_dir: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"the disk holding {out_dir} is full: free some space and build again (previous outputs are unchanged)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write to {out_dir}: permission denied. Choose another --out or fix its permissions"
    return f"cannot write to {out_dir}: {exc.strerror or exc}"


def prints_folder(state: Path, rel: str) -> Path:
    """Where the print document `rel` (handouts/x.pdf) keeps its laid-out chunks, in the state folder."""
    return state / PRINTS / rel.replace("/", "--")


def _remove_kept_parts(folder: Path) -> None:
    """A folder of kept parts (the guide's, a print document's): its parts, then itself if empty."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for child in folder.iterdir():
        if child.is_file() and child.suffix in (".pkl", ".tmp"):
            child.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def read_manifest(out: Path) -> dict:
    path = out / STATE_DIR / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


CLEANABLE = {".html", ".pdf", ".css", ".js", ".json", ".svg", ".png", ".jpg", ".woff2",
             ".mp4", ".webm", ".ogg", ".ogv"}  # never sources (videos: the copies under slides/media/)


def clean(out_dir: Path) -> list[str]:
    """Remove what builds wrote (as the manifest lists it), and nothing else.

    A listed file is kept when it is not something a build writes (a .yaml, say: a manifest
    copied along with a course must not delete sources) or when its size differs from what the
    build recorded (someone put their own file there since).
    """
    out = out_dir.resolve()
    if not (out / STATE_DIR).is_dir():
        return []
    try:
        with locked(out, wait=10):
            return _clean_locked(out)
    except OSError as exc:
        raise OutputError(_os_message(exc, out_dir)) from None


def _clean_locked(out: Path) -> list[str]:
    manifest = read_manifest(out)
    files = [rel for rel in manifest.get("files", []) if isinstance(rel, str)] \
        if isinstance(manifest.get("files"), list) else []
    records = (manifest.get("lectern") or {}).get("outputs") if isinstance(manifest.get("lectern"), dict) else None
    records = records if isinstance(records, dict) else {}
    removed = []
    for rel in files:
        try:
            target = _safe_target(out, rel)
        except OutputError:
            continue
        if not target.is_file() or target.suffix.lower() not in CLEANABLE:
            continue
        size = records.get(rel, {}).get("size") if isinstance(records.get(rel), dict) else None
        if isinstance(size, int) and target.stat().st_size != size:
            continue
        target.unlink()
        removed.append(rel)
    _remove_leftovers({out} | {(out / rel).parent for rel in files if (out / rel).parent.is_dir()})
    state = out / STATE_DIR
    _remove_kept_parts(state / "parts")  # the study guide's laid-out chapters (pipeline.PARTS_DIR)
    prints = state / PRINTS
    if prints.is_dir() and not prints.is_symlink():
        for folder in prints.iterdir():
            _remove_kept_parts(folder)
        with contextlib.suppress(OSError):
            prints.rmdir()
    for child in state.iterdir():
        if child.is_file() and (child.name in (MANIFEST, LOCK) or _TEMP.match(child.name)):
            child.unlink()
    with contextlib.suppress(OSError):
        state.rmdir()
    # remove folders the build made, if nothing else lives in them now
    for folder in sorted({(out / rel).parent for rel in files}, key=lambda p: -len(p.parts)):
        while folder != out and out in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    with contextlib.suppress(OSError):
        out.rmdir()
    return removed
