"""Helper processes die with their parent: Linux's parent-death signal, plus a watcher thread elsewhere.

`bind_to_parent()` is called first thing in every PDF worker (pool._init_worker) and, by importing
this module as a preload, in serve's forkserver. A build killed with kill -9 or by `timeout` then
leaves no worker behind, and a killed `serve` takes its forkserver, workers and (once their pipe
closes) the resource tracker with it.

Linux sends the parent-death signal when the *thread* that forked the child exits, not the process:
children made from a short-lived thread would be killed early. The pool starts its workers from the
thread that made the pool (a build's main thread, serve's forkserver main thread), which lives as
long as the pool does; the watcher thread (the portable fallback) checks the parent process only.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0
_bound_to: int | None = None


def _set_parent_death_signal(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    stop = threading.Event()
    while not stop.wait(POLL_SECONDS):
        if os.getppid() != parent:  # re-parented to init or a subreaper: our parent is gone
            os._exit(1)


def bind_to_parent() -> None:
    """Make this process die when its parent dies (idempotent within one process)."""
    global _bound_to
    parent = os.getppid()
    if _bound_to == os.getpid():
        return
    _bound_to = os.getpid()
    _set_parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="lectern-lifeline", daemon=True).start()
