"""Writing outputs: out-folder safety checks, atomic file writes, the manifest, and clean."""
from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

from .problems import OutputError

_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK  # what a plain open() would give: temporary files start as 0600

STATE_DIR = ".lectern"
MANIFEST = "manifest.json"


def check_out_dir(course_root: Path, out_dir: Path) -> None:
    """Refuse an output folder that is, or contains, the course (a build must never touch sources)."""
    course = course_root.resolve()
    out = out_dir.resolve()
    if out == course or out in course.parents:
        raise OutputError(f"--out {out_dir} is or contains the course folder {course_root}: "
                          "choose a separate folder such as output/")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out_dir} is a file, not a folder: choose another path")


def _safe_target(out: Path, rel: str) -> Path:
    target = (out / rel).resolve()
    if out not in target.parents:
        raise OutputError(f"refusing to write {rel}: it would land outside {out}")
    return target


def write_outputs(out_dir: Path, files: dict[str, bytes], manifest_extra: dict | None = None) -> list[str]:
    """Write each file through a temporary file and an atomic rename; the manifest last.

    A failure (full disk, no permission) raises OutputError and leaves every file either as it
    was or wholly new: never half-written.
    """
    out = out_dir.resolve()
    written: list[str] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        manifest = read_manifest(out)
        for rel, data in files.items():
            _atomic_write(_safe_target(out, rel), data)
            written.append(rel)
        manifest["files"] = sorted(set(manifest.get("files", [])) | set(written))
        if manifest_extra:
            manifest.update(manifest_extra)
        state = out / STATE_DIR
        state.mkdir(exist_ok=True)
        _atomic_write(state / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    except OSError as exc:
        raise OutputError(_os_message(exc, out_dir)) from None
    return written


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _os_message(exc: OSError, out_dir: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"the disk holding {out_dir} is full: free some space and build again (previous outputs are unchanged)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write to {out_dir}: permission denied. Choose another --out or fix its permissions"
    return f"cannot write to {out_dir}: {exc.strerror or exc}"


def read_manifest(out: Path) -> dict:
    path = out / STATE_DIR / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def clean(out_dir: Path) -> list[str]:
    """Remove what builds wrote (as the manifest lists it), and nothing else."""
    out = out_dir.resolve()
    manifest = read_manifest(out)
    removed = []
    for rel in manifest.get("files", []):
        try:
            target = _safe_target(out, rel)
        except OutputError:
            continue
        if target.is_file():
            target.unlink()
            removed.append(rel)
    state = out / STATE_DIR
    if state.is_dir():
        for child in state.iterdir():
            if child.is_file():
                child.unlink()
        try:
            state.rmdir()
        except OSError:
            pass
    # remove folders the build made, if nothing else lives in them now
    for folder in sorted({(out / rel).parent for rel in manifest.get("files", [])}, key=lambda p: -len(p.parts)):
        while folder != out and out in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    try:
        out.rmdir()
    except OSError:
        pass
    return removed
