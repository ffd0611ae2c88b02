"""Benchmark: what 300 formulas and 60 code blocks add to a build (issue 17, item 6).

    python bench/bench_math.py                  # decks + guide, 3 runs each, medians
    python bench/bench_math.py --repeat 5 --outputs deck,guide,handouts
    python bench/bench_math.py --course L --outputs deck,guide,handouts   # the formulas spread over L

Two synthetic courses with the same lectures, slides and prose: one with 300 formulas (inline
and display, in readings, points and notes) and 60 fenced code blocks (Python and R, on slide
bodies and in readings), the other with the same places holding plain words instead. Each is
built as whole processes (python build.py build): cold (an empty output folder and an empty user
cache, so every formula is typeset) and then with nothing changed. The target: the math course's
cold build at most 10% slower than the plain one, and its no-change build no slower. A third
build empties the output folder but keeps the user cache (the usual "cold" rebuild: formulas and
highlighting come from ~/.cache/lectern).

Two courses carry the 300 formulas and 60 code blocks: `dense` (the default) is 6 short
lectures of 10 slides, five formulas a slide: the worst case, where typesetting is most of the
build. `L` is bench/gen_course.py's L course (20 lectures, 600 slides, readings, notes, charts,
citations) with 15 formulas and 3 code blocks put in each lecture (in its readings and in points
of its first slides): a statistics course's density, a formula every two slides.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMULAS = [r"\bar{x}_{%d} = \frac{1}{n}\sum_{i=1}^{n} x_i", r"\sigma^2_{%d} = \mathrm{E}[(X-\mu)^2]",
            r"\hat{\beta}_{%d} = (X^\top X)^{-1} X^\top y", r"P(A_{%d} \mid B) = \frac{P(B \mid A) P(A)}{P(B)}",
            r"\int_0^{%d} e^{-x^2}\,dx"]
PY = "def mean_{n}(xs):\n    total = sum(xs)\n    return total / len(xs)  # block {n}\n"
R = "fit_{n} <- lm(y ~ x, data = d)\nsummary(fit_{n})  # block {n}\n"


def formula(i: int) -> str:
    return FORMULAS[i % len(FORMULAS)].replace("%d", str(i))


class Filler:
    """The next formula or code block, numbered across the course; or, for the plain course,
    words in its place."""

    def __init__(self, math: bool) -> None:
        self.math, self.formulas, self.blocks = math, 0, 0

    def f(self, display: bool = False) -> str:
        self.formulas += 1
        if not self.math:
            return f"the quantity number {self.formulas}"
        return f"$${formula(self.formulas)}$$" if display else f"${formula(self.formulas)}$"

    def code(self, lang: str = "python") -> str:
        self.blocks += 1
        if not self.math:
            return "Plain words take the place of the code block here, " + "as many as it has. " * 3
        return f"```{lang}\n" + (PY if lang == "python" else R).format(n=self.blocks) + "```"

    def counts(self) -> dict[str, int]:
        return {"formulas": self.formulas if self.math else 0, "code blocks": self.blocks if self.math else 0}


def lecture(k: int, fill: Filler) -> str:
    """One lecture: 5 sections of 2 slides; 30 formulas and 6 code blocks (or words in their place)."""
    f, code = fill.f, fill.code

    out = [f"title: Lecture {k}\nsections:"]
    for s in range(5):
        reading = f"Reading of section {s} with {f()} and {f()} in the prose.\n\n{f(True)}\n\n{code('python')}\n"
        out.append(f"  - title: Section {s}\n    reading: |\n" + _indent(reading, 6) + "    slides:")
        for sl in range(2):
            body = f"Some words on the slide and {f()}.\n\n{code('r' if sl else 'python') if sl == 0 else f(True)}\n"
            out.append(f"      - title: Slide {s}.{sl}\n        points:\n          - 'A point with {f()}'\n"
                       f"          - A second point\n        body: |\n" + _indent(body, 10)
                       + f"        notes: 'Say {f()}'")
    return "\n".join(out) + "\n"


def _indent(text: str, n: int) -> str:
    return "".join(" " * n + line + "\n" if line else "\n" for line in text.split("\n")).rstrip(" ") or "\n"


def write_course(root: Path, math: bool, lectures: int = 6) -> dict[str, int]:
    fill = Filler(math)
    (root / "lectures").mkdir(parents=True)
    names = []
    for k in range(1, lectures + 1):
        (root / "lectures" / f"l{k:02}.yaml").write_text(lecture(k, fill), "utf-8")
        names.append(f"  - lectures/l{k:02}.yaml")
    (root / "course.yaml").write_text("title: Bench course\nauthor: Bench\nlang: en\nlectures:\n"
                                      + "\n".join(names) + "\n", "utf-8")
    return fill.counts()


def write_l_course(root: Path, math: bool) -> dict[str, int]:
    """gen_course's L course with 15 formulas and 3 code blocks a lecture (or words in their places)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_course
    gen_course.generate(root, "L")
    fill = Filler(math)
    f, code = fill.f, fill.code

    for path in gen_course.lecture_files(root):
        text = path.read_text("utf-8")

        def reading(match) -> str:
            extra = f"Here {f()} and {f()} in the prose.\n\n{f(True)}\n\n{code()}\n\n"
            return match.group(0) + _indent(extra, 6)

        text = re.sub(r"    reading: \|\n", reading, text)
        parts = text.split("        points:\n")
        for i in range(1, min(7, len(parts))):
            parts[i] = f"          - 'A point with {f()}'\n" + parts[i]
        path.write_text("        points:\n".join(parts), "utf-8")
    return fill.counts()


def build(course: Path, out: Path, cache: Path, outputs: str) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", str(course), "--out", str(out),
                    "--only", outputs], check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def measure(math: bool, repeat: int, outputs: str, kind: str = "dense") -> tuple[dict, list[float], list[float], list[float]]:
    cold, warm, recold = [], [], []
    counts = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="lectern-bench-math-") as tmp:
            tmp = Path(tmp)
            counts = (write_l_course if kind == "L" else write_course)(tmp / "course", math)
            cold.append(build(tmp / "course", tmp / "out", tmp / "cache", outputs))
            warm.append(build(tmp / "course", tmp / "out", tmp / "cache", outputs))
            shutil.rmtree(tmp / "out")  # a cold output folder, but the user cache keeps the typeset formulas
            recold.append(build(tmp / "course", tmp / "out", tmp / "cache", outputs))
    return counts, cold, warm, recold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--outputs", default="deck,guide")
    ap.add_argument("--course", choices=("dense", "L"), default="dense",
                    help="dense: 6 lectures of 10 slides (the worst case); L: gen_course's L course")
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "lectern")], check=False)
    rows = {}
    for math in (False, True):  # alternate order would be fairer; medians of `repeat` runs instead
        counts, cold, warm, recold = measure(math, args.repeat, args.outputs, args.course)
        rows[math] = (statistics.median(cold), statistics.median(warm), statistics.median(recold))
        label = f"with {counts['formulas']} formulas, {counts['code blocks']} code blocks" if math else "plain"
        print(f"{label:45} cold {rows[math][0]:6.2f} s   no change {rows[math][1]:6.2f} s   "
              f"empty out, kept cache {rows[math][2]:6.2f} s")
    print(f"cold: {(rows[True][0] / rows[False][0] - 1) * 100:+.1f}%   "
          f"empty out, kept cache: {(rows[True][2] / rows[False][2] - 1) * 100:+.1f}%   "
          f"no change: {(rows[True][1] / rows[False][1] - 1) * 100:+.1f}%   (target: cold <= +10%, no change ~0)")


if __name__ == "__main__":
    main()
