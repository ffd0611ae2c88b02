"""Benchmark: handout time per slide on the synthetic courses, beside Marp's Chromium PDF export.

Run: `python bench/bench_handout.py [--scales S,L] [--max-lectures 3] [--no-marp] [--json out.json]`.
Measures, per synthetic course of bench/gen_course.py (S: one lecture of 30 slides; L: 20 lectures):
  1. Lectern's three PDFs per lecture (render_handout, render_notes, render_slides_pdf), split
     into WeasyPrint layout and PDF writing; wall and CPU seconds per slide. L is sampled (its
     first --max-lectures lectures): every lecture has the same shape, so per slide is the measure.
  2. Marp (`@marp-team/marp-cli --pdf`, Chromium) on the same slides written as Marp Markdown,
     one invocation a lecture, when marp-cli is found: $MARP_CLI, `marp` on PATH, or npx
     (`--npx-install` lets npx fetch it). Marp needs CHROME_PATH; /usr/bin/chromium is used.
     Marp's PDF is one slide a page: it compares with Lectern's slides PDF; Marp makes no handout.
CPU seconds count this process and its finished children (node, Chromium), fair on a busy machine.

`--by-layout` adds what one more slide of each layout (text, split, quote, ...) costs a handout:
for each layout, the handouts of the measured lectures with only that layout's slides, less the
same handouts with no slide at all (running heads, fonts, the document's own cost), laid out
and written, in CPU milliseconds a slide. That is the floor a handout costs with WeasyPrint
drawing every slide, whatever happens around it. A layout with only a few slides measured is
within the noise (it may even come out below zero): measure L, several lectures.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen_course import Lecture, generate, make_lectures  # noqa: E402

from lectern.state import gcpolicy  # noqa: E402
from lectern.pipeline import check  # noqa: E402
from lectern.print import handout
from lectern import pdf  # noqa: E402
from lectern.deck.deck import prepare  # noqa: E402
from lectern.theme.templates import make_env, theme_dirs  # noqa: E402
from lectern.text.resolve import resolve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class Timing:
    what: str
    slides: int = 0
    pages: int = 0
    layout: float = 0.0  # wall seconds in WeasyPrint's layout
    write: float = 0.0  # wall seconds writing the PDF
    cpu: float = 0.0
    bytes: int = 0

    @property
    def wall(self) -> float:
        return self.layout + self.write

    def line(self) -> str:
        per = 1000 / max(1, self.slides)
        split = f"({self.layout:6.2f} layout + {self.write:5.2f} write)" if self.write else f"{'(one process a lecture)':<32}"
        return (f"  {self.what:<12} {self.slides:4d} slides {self.pages:4d} pages  {self.wall:7.2f} s wall {split}  "
                f"{self.wall * per:6.0f} ms/slide wall  {self.cpu * per:6.0f} ms/slide CPU  "
                f"{self.bytes / 1024:7.0f} KiB")


@dataclass
class Scale:
    scale: str
    lectures: int
    lectures_measured: int
    lectern: list[Timing] = field(default_factory=list)
    marp: Timing | None = None
    marp_note: str = ""


@dataclass
class Decks:
    """A course's resolved decks, with the Jinja environment and file roots to print them."""

    all: list
    env: object
    roots: list[Path]


def load_decks(course_dir: Path) -> Decks:
    checked = check(course_dir)
    resolved = resolve(checked.course, checked.markup, checked.marks)
    return Decks(list(resolved.decks.values()), make_env(checked.course.templates),
                 [checked.course.root, *theme_dirs(checked.course.templates)])


def bench_lectern(course_dir: Path, max_lectures: int) -> tuple[list[Timing], int]:
    course = load_decks(course_dir)
    env, roots, decks = course.env, course.roots, course.all[:max_lectures]
    # warm up: fonts, templates and WeasyPrint's caches, on a small deck, not timed
    handout.handout_document("handout", decks[0], env, roots, "A4")
    timings = []
    for kind in ("handout", "notes", "slides"):
        t = Timing(kind)
        for deck in decks:
            c0, w0 = _cpu(), time.perf_counter()
            with gcpolicy.job():  # as a build's worker runs it
                document = handout.handout_document(kind, deck, env, roots, "A4")
                w1 = time.perf_counter()
                data = pdf.write_pdf(document, pdf.PdfMeta(deck.plain_title, [deck.author], deck.lang))
            w2 = time.perf_counter()
            t.layout += w1 - w0
            t.write += w2 - w1
            t.cpu += _cpu() - c0
            t.slides += len(prepare(deck))
            t.pages += len(document.pages)
            t.bytes += len(data)
        timings.append(t)
    return timings, len(course.all)


def bench_layouts(course_dir: Path, max_lectures: int) -> list[tuple[str, int, float]]:
    """(layout, slides measured, CPU ms a slide) for each slide layout of the course's handouts."""
    course = load_decks(course_dir)
    env, roots, decks = course.env, course.roots, course.all[:max_lectures]

    def cost(only: dict[int, set[int]]) -> float:
        c0 = _cpu()
        for i, deck in enumerate(decks):
            with gcpolicy.job():  # as a build's worker runs a handout
                document = _only_handout(deck, env, roots, only[i])
                pdf.write_pdf(document, pdf.PdfMeta(deck.plain_title, [deck.author], deck.lang))
        return _cpu() - c0

    for deck in decks:  # every slide's fit found once, so each measurement lays out fitted slides
        handout.handout_document("handout", deck, env, roots, "A4")
    empty = cost({i: set() for i in range(len(decks))})
    layouts: dict[str, dict[int, set[int]]] = {}
    for i, deck in enumerate(decks):
        for r in prepare(deck):
            layouts.setdefault(r.layout, {j: set() for j in range(len(decks))})[i].add(r.number)
    rows = []
    for layout, only in sorted(layouts.items()):
        n = sum(len(v) for v in only.values())
        rows.append((layout, n, 1000 * (cost(only) - empty) / n))
    return rows


def _only_handout(deck, env, roots, only: set[int]):
    """The handout of just the slides `only`, each with the fit the whole handout found for it."""
    known = handout.known_fits(handout.slide_keys(deck, env, roots))
    fits = {n: fit for n, fit in known.items() if fit < 1}
    return handout._layout(handout.print_html("handout", deck, env, roots, "A4", fits, only=only), roots)


# --- Marp ---------------------------------------------------------------------------------------

def marp_markdown(lec: Lecture) -> str:
    """The lecture's slides as Marp Markdown: title, section openers, content slides, questions."""
    out = ["---", "marp: true", "paginate: true", "---", "", f"# {lec.title}", "", lec.summary, ""]
    questions = []
    for sec in lec.sections:
        out += ["---", "", f"# {sec.title}", ""]
        for slide in sec.slides:
            out += ["---", "", f"## {slide.title}", ""]
            out += [f"- {p}" for p in slide.points]
            if slide.quote:
                out += ["", f"> {slide.quote[0]}", ">", f"> — {slide.quote[1]}"]
            if slide.chart:
                out += ["", "| year | wages | pensions |", "|---|---|---|"]
                out += [f"| {1950 + 5 * i} | {40 + (i * 7) % 30} | {20 + (i * 11) % 25} |" for i in range(8)]
            out += ["", f"<!-- {slide.notes} -->", ""]
        questions += sec.questions
    out += ["---", "", "## Questions for discussion", ""] + [f"1. {q}" for q in questions] + [""]
    return "\n".join(out)


def find_marp(npx_install: bool) -> tuple[list[str] | None, str]:
    """The command that runs marp-cli, and what was found (or why not)."""
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    candidates = []
    if os.environ.get("MARP_CLI"):
        candidates.append([os.environ["MARP_CLI"]])
    if shutil.which("marp"):
        candidates.append([shutil.which("marp")])
    if shutil.which("npx"):
        candidates.append(["npx", "--yes" if npx_install else "--no-install", "@marp-team/marp-cli"])
    for command in candidates:
        try:
            done = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=240, env=env)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return command, done.stdout.strip().splitlines()[0]
    return None, "marp-cli not found (set MARP_CLI, put marp on PATH, or pass --npx-install)"


def bench_marp(command: list[str], lectures: list[Lecture], work: Path) -> tuple[Timing | None, str]:
    if not Path(CHROMIUM).exists():
        return None, f"{CHROMIUM} is missing: Marp has no browser to print with"
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    t = Timing("marp --pdf")
    sources = []
    for lec in lectures:
        src = work / f"{lec.id}.md"
        src.write_text(marp_markdown(lec), "utf-8")
        sources.append(src)
    # warm-up run (node's module cache, Chromium's first start), not timed
    subprocess.run([*command, "--pdf", str(sources[0]), "-o", str(work / "warm.pdf")],
                   capture_output=True, text=True, timeout=600, env=env)
    for src in sources:
        target = src.with_suffix(".pdf")
        c0, w0 = _cpu(), time.perf_counter()
        done = subprocess.run([*command, "--pdf", str(src), "-o", str(target)],
                              capture_output=True, text=True, timeout=600, env=env)
        t.layout += time.perf_counter() - w0
        t.cpu += _cpu() - c0
        if done.returncode != 0 or not target.exists():
            return None, "marp failed: " + (done.stderr.strip().splitlines() or ["no output"])[-1]
        t.bytes += target.stat().st_size
        pages = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
        t.pages += int(next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "0"))
    t.slides = t.pages  # one slide a page
    return t, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="S,L", help="comma-separated: S, L")
    parser.add_argument("--max-lectures", type=int, default=3, help="lectures measured per course (L is sampled)")
    parser.add_argument("--no-marp", action="store_true")
    parser.add_argument("--npx-install", action="store_true", help="let npx fetch @marp-team/marp-cli")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--by-layout", action="store_true", help="also: a handout's CPU ms a slide, by slide layout")
    args = parser.parse_args()

    marp_cmd, marp_found = (None, "skipped (--no-marp)") if args.no_marp else find_marp(args.npx_install)
    print(f"WeasyPrint-based Lectern PDFs vs Marp ({marp_found})")
    results = []
    for scale in [s.strip() for s in args.scales.split(",") if s.strip()]:
        with tempfile.TemporaryDirectory(prefix=f"lectern-bench-{scale}-") as tmp:
            course = generate(Path(tmp) / "course", scale)
            timings, n_lectures = bench_lectern(course, args.max_lectures)
            measured = min(n_lectures, args.max_lectures)
            result = Scale(scale, n_lectures, measured, timings)
            print(f"\ncourse {scale}: {n_lectures} lecture(s), {measured} measured")
            for t in timings:
                print(t.line())
            if args.by_layout:
                print("  one more slide on a handout, laid out and written (CPU ms a slide):")
                for layout, n, ms in bench_layouts(course, args.max_lectures):
                    print(f"    {layout:<12} {n:4d} slides  {ms:6.1f} ms")
            if marp_cmd:
                work = Path(tmp) / "marp"
                work.mkdir()
                result.marp, result.marp_note = bench_marp(marp_cmd, make_lectures(scale)[:measured], work)
            else:
                result.marp_note = marp_found
            if result.marp:
                print(result.marp.line())
                slides_pdf = next(t for t in timings if t.what == "slides")
                print(f"  Lectern slides PDF / Marp PDF, per slide: "
                      f"{(slides_pdf.wall / slides_pdf.slides) / (result.marp.wall / result.marp.slides):.2f}x wall, "
                      f"{(slides_pdf.cpu / slides_pdf.slides) / (result.marp.cpu / result.marp.slides):.2f}x CPU")
            else:
                print(f"  marp: {result.marp_note}")
            results.append(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), "utf-8")


if __name__ == "__main__":
    main()
