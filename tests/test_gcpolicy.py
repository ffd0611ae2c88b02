"""The collector's policy for layout: garbage put off during a job is still freed, and a build
leaves the process's collector as it found it (serve's process lives on between builds)."""
from __future__ import annotations

import gc
import weakref

from helpers import copy_fixture

from lectern.state import gcpolicy
from lectern.pipeline import BuildOptions, build


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_a_jobs_garbage_is_freed_when_the_next_job_starts():
    before = gc.get_threshold()
    with gcpolicy.job():
        assert gc.get_threshold() == gcpolicy.JOB_THRESHOLDS
        garbage = [weakref.ref(Node()) for _ in range(1000)]
    assert gc.get_threshold() == before
    with gcpolicy.job():
        assert all(ref() is None for ref in garbage)


def test_young_garbage_is_freed_during_a_long_job():
    with gcpolicy.job(collect_first=False):
        refs = [weakref.ref(Node()) for _ in range(3 * gcpolicy.JOB_THRESHOLDS[0])]
        assert sum(ref() is None for ref in refs) > gcpolicy.JOB_THRESHOLDS[0]  # not held to the job's end


def test_a_build_restores_the_collectors_thresholds(tmp_path):
    course = copy_fixture("mini", tmp_path)
    gc.set_threshold(700, 10, 10)
    build(course, tmp_path / "out", BuildOptions(only=["deck"]))
    assert gc.get_threshold() == (700, 10, 10)
    assert (tmp_path / "out" / "slides" / "intro.html").is_file()
