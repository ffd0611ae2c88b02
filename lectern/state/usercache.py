"""The user's cache folder: what Lectern keeps between processes (never in an output folder).

    folder("citations")                 # ~/.cache/lectern/citations (or $XDG_CACHE_HOME/lectern/...)
    keep(path, data)                    # best effort: written whole or not at all; False if it could not
    prune(folder("lectures"), "*.pkl", 512)   # only the newest 512 stay

Only this user writes here, so what is read back (HTML, pickles) may be trusted as their own.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def folder(name: str = "") -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lectern"
    return base / name if name else base


def keep(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a temporary file and a rename; False (nothing written) if the
    folder cannot be written, as on a read-only home: the caller just computes it again next time."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def prune(where: Path, pattern: str, newest: int) -> None:
    """Remove all but the `newest` files of `where` matching `pattern`."""
    try:
        files = sorted(where.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in files[newest:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
