"""Python's garbage collector, set for PDF layout jobs: no full collection during a job, one before the next.

WeasyPrint makes about 100,000 objects in reference cycles for every dozen pages it lays out
(boxes, styles and layout contexts that point back at each other). With Python's default
thresholds the collector runs a full collection every few hundred thousand allocations, and
each one walks every live object: the half-laid-out document, WeasyPrint's caches, the fonts.
That was 15 to 20 % of a handout's CPU time, and about 5 % of the decks' and the guide's. A
PDF worker (lectern/pool.py) now

    gcpolicy.settle()          # after its imports: what is loaded for good is never walked again
    with gcpolicy.job():       # around each job: the last job's garbage collected in one go, then
        ...                    # only young objects are collected, now and then
        gcpolicy.piece_done(i) # a job laid out in pieces: their garbage collected every few pieces

Young collections still run during a job (every 100,000 new objects), so a long job's garbage
does not pile up; only the full walks of everything alive are put off, to the start of the next
job (a worker's last job leaves its garbage to the process's end, and pays nothing for it).
`pipeline.build` runs as a job too, without the first collection (a build with nothing to do
stays instant); serve's process gets its usual collector back between builds.
"""
from __future__ import annotations

import contextlib
import gc

JOB_THRESHOLDS = (100_000, 1_000, 1_000)  # young every 100,000 allocations; older ones in effect never
PIECES_A_COLLECTION = 8  # a job laid out in pieces: their garbage collected every 8 pieces (about 100 slides)


def settle() -> None:
    """Collect once, hide every object alive now from the collector for good, and put off collections."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*JOB_THRESHOLDS)


@contextlib.contextmanager
def job(collect_first: bool = True):
    """The block runs with collections put off, after (unless told not to) the garbage of the job
    before it is collected."""
    before = gc.get_threshold()
    if collect_first:
        gc.collect()
    gc.set_threshold(*JOB_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def piece_done(index: int, every: int = PIECES_A_COLLECTION) -> None:
    """In a job laid out in pieces (print/printparts: a handout a dozen slides at a time; a long
    guide chapter fifteen pages at a time, `every` 1), after piece `index` (0-based): every
    `every` pieces, the finished pieces' garbage is collected, so a job of any length holds a
    few pieces' garbage at most (a 2,000-slide handout piled up 1.1 GB without it). Nothing is
    half laid out then: the walk is short."""
    if index % every == every - 1:
        gc.collect()
