"""Benchmark: one lecture of thousands of slides, built whole: time and the peak memory of any process.

    python bench/bench_biglecture.py                      # 500 and 2,000 slides
    python bench/bench_biglecture.py --sizes 2000,5000 --outputs deck,guide,handouts,notes,slides-pdf

Issue 21's target: a single lecture of 2,000 slides builds in bounded memory. The course is
gen_course's S course (one lecture of three sections) with each section's slides repeated
until the lecture has the size asked for. For each size: a cold build of the outputs asked for
(the default ones unless --outputs), then a build after one slide's point is edited; wall time,
CPU time and the peak RSS of any process of the run (the build and its PDF workers), as
bench_build measures them. Memory bounded means the peak stays about the same as the lecture
grows: a handout is laid out a dozen slides at a time (print/printparts.py).
"""
from __future__ import annotations

import argparse
import copy
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_course  # noqa: E402
from bench_build import REPO, lectern, measure  # noqa: E402


def _rewrite(path: Path, change) -> None:
    target = gen_course.lecture_files(path)[0]
    lecture = yaml.safe_load(target.read_text("utf-8"))
    change(lecture)
    target.write_text(yaml.safe_dump(lecture, allow_unicode=True, sort_keys=False, width=200), "utf-8")


def edit_point(path: Path) -> None:
    """The 'fix a typo' edit: the first point of the lecture's middle slide changed."""
    def change(lecture: dict) -> None:
        slides = [s for section in lecture["sections"] for s in section["slides"] if s.get("points")]
        slide = slides[len(slides) // 2]
        slide["points"][0] = "Edited " + str(slide["points"][0])
    _rewrite(path, change)


def big_course(path: Path, slides: int) -> Path:
    """gen_course's S course with its one lecture grown to `slides` slides (titles numbered)."""
    gen_course.generate(path, "S")
    _rewrite(path, lambda lecture: _grow(lecture, slides))
    return path


def _grow(lecture: dict, slides: int) -> None:
    sections = lecture["sections"]
    per = -(-slides // len(sections))
    for section in sections:
        base, grown = section["slides"], []
        while len(grown) < per:
            for slide in base:
                grown.append({**copy.deepcopy(slide), "title": f"{slide['title']} {len(grown) + 1}"})
        section["slides"] = grown[:per]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="500,2000", help="slides in the lecture, comma-separated")
    parser.add_argument("--outputs", default="", help="what to build (build.py --only); default: the course's")
    args = parser.parse_args()
    import compileall
    compileall.compile_dir(str(REPO / "lectern"), quiet=1)  # as bench_build: bytecode as on a first run
    only = ["--only", args.outputs] if args.outputs else []
    print("| slides | build | wall (s) | CPU (s) | peak RSS of any process (MB) |")
    print("|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="lectern-big-") as tmp:
        for size in [int(s) for s in args.sizes.split(",")]:
            base = Path(tmp) / f"n{size}"
            course, out, cache = base / "course", base / "out", base / "cache"
            big_course(course, size)
            cold = measure(lectern(course, out, *only), cache)
            print(f"| {size:,} | cold | {cold.wall:.1f} | {cold.cpu:.1f} | {cold.peak_mb:.0f} |", flush=True)
            edit_point(course)
            edit = measure(lectern(course, out, *only), cache)
            print(f"| {size:,} | one-slide edit | {edit.wall:.1f} | {edit.cpu:.1f} | {edit.peak_mb:.0f} |", flush=True)
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
