"""Pure results (a drawn chart, a highlighted code block) kept in the user's cache folder between processes.

A result follows from its key and from the code that makes it, so each memo is one file per
version of that code. A process reads the file once, makes what it lacks, and writes the file
again once, after resolving (`write_all`), when it made anything:

    CHARTS = KeptMemo("charts", stamp=lambda: code_stamp(files), most=4096)
    svg = CHARTS.get(key, lambda: draw(...))
    write_all()
"""
from __future__ import annotations

import hashlib
import pickle
import threading
from pathlib import Path
from typing import Callable, Iterable

from . import usercache

_MEMOS: list["KeptMemo"] = []


class KeptMemo:
    """key -> text, remembered for the process and kept between processes (the `most` recently used)."""

    def __init__(self, name: str, stamp: Callable[[], str], most: int) -> None:
        self.name, self.most = name, most
        self._stamp, self._stamped = stamp, ""  # the version of the code that makes the texts, found once
        self._lock = threading.Lock()
        self._kept: dict[str, str] = {}  # most recently used last
        self._loaded = False
        self._new = False
        _MEMOS.append(self)

    def get(self, key: str, make: Callable[[], str]) -> str:
        """The text kept under `key`, or `make()`'s (then kept)."""
        with self._lock:
            self._load()
            text = self._kept.pop(key, None)
            if text is not None:
                self._kept[key] = text
                return text
        text = make()
        with self._lock:
            self._kept[key] = str(text)
            self._new = True
        return text

    def write(self) -> None:
        """Write the kept texts (the newest `most`) if this process made any."""
        with self._lock:
            if not self._new:
                return
            while len(self._kept) > self.most:
                self._kept.pop(next(iter(self._kept)))
            data = pickle.dumps(dict(self._kept), protocol=pickle.HIGHEST_PROTOCOL)
            if usercache.keep(self._file(), data):
                self._new = False
                usercache.prune(self._file().parent, f"{self.name}-*.pkl", 1)  # those of other versions of the code

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            kept = pickle.loads(self._file().read_bytes())  # this user's own file (state/usercache)
        except Exception:  # none yet, or unreadable: made again and kept anew
            return
        if isinstance(kept, dict):
            for key, text in kept.items():
                if isinstance(key, str) and isinstance(text, str):
                    self._kept.setdefault(key, text)

    def _file(self) -> Path:
        self._stamped = self._stamped or self._stamp()
        return usercache.folder() / f"{self.name}-{self._stamped}.pkl"


def code_stamp(files: Iterable[Path], *versions: str) -> str:
    """A digest of the code that makes a memo's texts: these files (names and bytes) and the
    versions of the libraries it uses; a change to any makes every text again."""
    h = hashlib.blake2b(digest_size=10)
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for version in versions:
        h.update(b"\0" + version.encode())
    return h.hexdigest()


def write_all() -> None:
    """Every memo's file, for the next build's process (called once resolving is done)."""
    for memo in _MEMOS:
        memo.write()
