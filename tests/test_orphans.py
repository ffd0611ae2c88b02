"""A killed build or server leaves no process behind: PDF workers, forkserver, resource tracker (Linux /proc)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "content"  # the bundled course: several seconds of PDF layout

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def _stat(pid: int) -> tuple[str, int] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])  # state, parent pid


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat:
                children.setdefault(stat[1], []).append(int(entry))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    return {p for p in pids if (s := _stat(p)) is not None and s[0] not in ("Z", "X")}


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _wait_for_children(proc: subprocess.Popen, at_least: int, timeout: float = 120) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = alive(descendants(proc.pid))
        if len(kids) >= at_least:
            return kids
        assert proc.poll() is None, "the process ended before its workers started"
        time.sleep(0.1)
    raise AssertionError(f"fewer than {at_least} child processes after {timeout} s")


def _assert_all_die(pids: set[int], within: float = 3) -> None:
    deadline = time.monotonic() + within
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = alive(pids)
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes outlived their parent: {left}"


def _build(out: Path, prefix: list[str] = ()) -> subprocess.Popen:
    return subprocess.Popen([*prefix, sys.executable, str(REPO / "build.py"), "build", str(COURSE),
                             "--out", str(out), "--force"], env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def test_build_killed_with_sigkill_takes_its_pdf_workers_along(tmp_path):
    proc = _build(tmp_path / "out")
    try:
        workers = _wait_for_children(proc, 1)
        time.sleep(2)  # well into the layout
        workers |= alive(descendants(proc.pid))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        _assert_all_die(workers)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_build_stopped_by_timeout_leaves_no_worker(tmp_path):
    proc = _build(tmp_path / "out", prefix=["timeout", "6"])  # SIGTERM to the build after 6 s
    try:
        tree = _wait_for_children(proc, 2)  # timeout's child, the build, and its workers
        deadline = time.monotonic() + 6
        while proc.poll() is None and time.monotonic() < deadline:
            tree |= alive(descendants(proc.pid))
            time.sleep(0.1)
        proc.wait(timeout=60)
        _assert_all_die(tree)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serve_killed_with_sigkill_takes_forkserver_tracker_and_workers(tmp_path):
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", str(COURSE), "--out",
                             str(tmp_path / "out"), "--port", "0"], env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        tree = _wait_for_children(proc, 3)  # resource tracker, forkserver, at least one worker
        time.sleep(3)  # the first build is laying out
        tree |= alive(descendants(proc.pid))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        _assert_all_die(tree)
    finally:
        if proc.poll() is None:
            proc.kill()
