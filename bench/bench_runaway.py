"""Benchmark: time grows with the length of a long run of emphasis, not with its square (issue 22, class 2).

    python bench/bench_runaway.py                 # runs of 5, 10 and 20 thousand emphasised letters
    python bench/bench_runaway.py --sizes 10000,40000

`*a*a*a…` is one unbroken word made of thousands of <em>s. WeasyPrint's line breaking once laid
such a run out again and again (a 10 kB run in a slide point took a handout 415 s; 40 kB in a
reading took the guide 590 s); pdf/longruns.py now gives it break points first. Each size is
built twice as whole processes (python build.py build, cold: empty output folder), once with the
run in a slide point (the handout) and once in a reading (the guide); the figures printed are
seconds and seconds per thousand letters, which stay about flat when growth is linear.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def course(tmp: Path, letters: int, where: str) -> Path:
    root = tmp / f"course-{where}-{letters}"
    shutil.copytree(MINI, root)
    run = "*a" * letters
    if where == "point":
        lecture = root / "lectures" / "intro.yaml"
        old, new = "- The guerrilla story^[Told by the victors.]", f"- 'The guerrilla story {run}'"
    else:
        lecture = root / "lectures" / "second.yaml"
        old, new = "reading: A short reading.^[With one note.]", f"reading: 'A short reading. {run}'"
    text = lecture.read_text("utf-8")
    assert old in text
    lecture.write_text(text.replace(old, new), "utf-8")
    return root


def build(root: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", str(root), "--out", str(out)],
                   check=True, capture_output=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="5000,10000,20000", help="emphasised letters per run, comma-separated")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="lectern-bench-runaway-") as tmp:
        tmp = Path(tmp)
        base = build(MINI, tmp / "out-base")
        print(f"the fixture course without a run: {base:.1f} s")
        for where in ("point", "reading"):
            for letters in sizes:
                seconds = build(course(tmp, letters, where), tmp / f"out-{where}-{letters}")
                extra = seconds - base
                print(f"run of {letters:>6} letters in a {where:<7}: {seconds:6.1f} s "
                      f"({extra / letters * 1000:.2f} s more per thousand letters)")


if __name__ == "__main__":
    main()
