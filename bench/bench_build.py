"""Benchmark of Lectern's author loop against pandoc, on the synthetic courses of gen_course.py.

    python bench/bench_build.py                       # S and L, pandoc when present
    python bench/bench_build.py --scales S --repeat 5 --json /tmp/bench.json
    python bench/bench_build.py --scales L,XL --repeat-l 1    # the issue's XL growth

Measures, as whole processes (python build.py ...), the median wall time, CPU time and the
peak memory of any process of the run (the build and its PDF workers) for: a cold build
(decks + guide, then the default outputs with handouts), a build with nothing changed, a
one-slide edit and a one-lecture edit; and in `serve`, the time from saving a slide to the
deck's reload event. The same content goes through pandoc (reveal.js HTML per lecture and a
WeasyPrint PDF of the book with footnotes at the foot of their pages, as the issue's baseline
and the study guide have them; both with --citeproc) in the same run, and ratios are printed.
The book with endnotes (pandoc's HTML as it comes) is measured too, for comparison.
Lectern's own bytecode is compiled first (`compileall`), as Python does on a first run:
where PYTHONDONTWRITEBYTECODE is set (this project's sandbox sets it), every process would
otherwise compile Lectern's modules from source, about 0.2 s in the build and 0.1 s in each
worker; WeasyPrint, on pandoc's side, comes with its bytecode installed.
reveal.js itself is not available offline, so pandoc's decks are standalone but not
self-contained (they link reveal.js); that makes pandoc's deck time a lower bound.

The fastest peer stack a lecturer could assemble is measured too, when installed:
- the book through pandoc and typst (`--pdf-engine=typst`, footnotes at the page foot natively):
  `pip install typst` (the Python binding; this script writes the `typst compile IN OUT` command
  pandoc calls, over it);
- the decks printed as PDF by marp-cli (Chromium prints one slide a page):
  `npm install --prefix ~/.cache/lectern-bench @marp-team/marp-cli` (or give `--marp PATH`), with
  Debian's chromium (`CHROME_PATH`, default /usr/bin/chromium).
The issue's ratios use them: decks + guide against pandoc's decks + the typst book, the default
build against pandoc's decks + the typst book + marp's PDF.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import gen_course  # noqa: E402

WRAPPER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": r.ru_utime + r.ru_stime, "peak_mb": r.ru_maxrss / 1024,
                  "rc": done.returncode, "err": done.stderr.decode("utf-8", "replace")[-2000:]}))
"""


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float


@dataclass
class Row:
    scale: str
    what: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples) if self.samples else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples) if self.samples else float("nan")

    @property
    def peak(self) -> float:
        return max((s.peak_mb for s in self.samples), default=float("nan"))


def cache_env(cache: Path) -> dict[str, str]:
    """The environment of a build whose user cache folder (pandoc runs, parsed lectures, slide
    fits, font subsets) is `cache`: an empty one makes a cold build truly cold."""
    return {**os.environ, "XDG_CACHE_HOME": str(cache)}


def fresh_cache(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def measure(cmd: list[str], cache: Path, cwd: Path = REPO) -> Sample:
    """Run a command as a child of a small wrapper: wall, CPU and peak RSS of its whole tree."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], cwd=cwd, capture_output=True, text=True, check=True,
                         env=cache_env(cache))
    data = json.loads(out.stdout.strip().splitlines()[-1])
    if data["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({data['rc']}):\n{data['err']}")
    return Sample(data["wall"], data["cpu"], data["peak_mb"])


def lectern(course: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "build", str(course), "--out", str(out), "-q", *extra]


def pandoc_binary() -> str | None:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except Exception:
        return shutil.which("pandoc")


def bench_scale(scale: str, repeat: int, work: Path, with_pandoc: bool) -> list[Row]:
    rows: list[Row] = []
    course = gen_course.generate(work / f"course-{scale}", scale)
    n_lectures = len(gen_course.lecture_files(course))

    # cold builds, each into an empty folder
    cold_dg = Row(scale, "cold build, decks + guide")
    cold_all = Row(scale, "cold build, default outputs (decks, guide, handouts)")
    # cold builds, each into an empty folder with an empty user cache
    for i in range(repeat):
        out = work / f"out-{scale}-dg-{i}"
        cold_dg.samples.append(measure(lectern(course, out, "--only", "deck,guide"),
                                       fresh_cache(work / f"cache-{scale}-dg")))
        shutil.rmtree(out, ignore_errors=True)
        out = work / f"out-{scale}-all-{i}"
        cache = fresh_cache(work / f"cache-{scale}-all")
        cold_all.samples.append(measure(lectern(course, out), cache))
        if i < repeat - 1:
            shutil.rmtree(out, ignore_errors=True)
    out = work / f"out-{scale}-all-{repeat - 1}"
    rows += [cold_dg, cold_all]

    # the author's loop goes on from the last cold build: its output folder and its user cache
    nothing = Row(scale, "no-change build")
    for _ in range(max(3, repeat)):
        nothing.samples.append(measure(lectern(course, out), cache))
    rows.append(nothing)

    slide = Row(scale, "one-slide edit (deck, handout, guide chapter)")
    for i in range(max(3, repeat)):  # the median of three at least: one run moves by a tenth
        gen_course.edit_slide(course, lecture=n_lectures // 2, counter=100 + i)
        slide.samples.append(measure(lectern(course, out), cache))
    rows.append(slide)

    lecture = Row(scale, "one-lecture edit (every slide title and a reading)")
    for i in range(repeat):
        gen_course.edit_lecture(course, lecture=n_lectures // 2, counter=200 + i)
        lecture.samples.append(measure(lectern(course, out), cache))
    rows.append(lecture)

    rows.append(serve_reload(scale, course, out, repeat, n_lectures, cache))

    pages = guide_pages(out / "study-guide.pdf")
    cold_all.note = f"guide {pages} pages" if pages else ""
    if with_pandoc and pandoc_binary():
        rows += pandoc_rows(scale, work, repeat)
    return rows


def guide_pages(path: Path) -> int | None:
    try:
        import pypdf
        return len(pypdf.PdfReader(str(path)).pages)
    except Exception:
        return None


def serve_reload(scale: str, course: Path, out: Path, repeat: int, n_lectures: int, cache: Path) -> Row:
    """Save one slide, time until the deck's page receives its reload event (serve already running)."""
    row = Row(scale, "serve: save one slide -> deck reload event")
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", str(course), "--out", str(out),
                             "--port", "0"], cwd=REPO, stderr=subprocess.PIPE, text=True, env=cache_env(cache))
    try:
        match = re.search(r"at (http://\S+)", proc.stderr.readline())
        parts = urlsplit(match.group(1))
        lecture_id = gen_course.lecture_files(course)[n_lectures // 2].stem
        page = f"slides/{lecture_id}.html"
        _wait_ok(parts, "/" + page)
        _wait_idle(parts)  # the start-up build (nothing changed) and its warm-up of the caches
        for i in range(max(3, repeat)):
            _wait_ok(parts, "/" + page)
            body = _get(parts, "/" + page)[1]
            since = int(re.search(rb"since=(\d+)", body).group(1))
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
            conn.request("GET", f"/__lectern/events?since={since}&page={page}")
            resp = conn.getresponse()
            saved = time.perf_counter()
            gen_course.edit_slide(course, lecture=n_lectures // 2, counter=300 + i)
            while True:
                line = resp.fp.readline().decode()
                if line.startswith("event: reload"):
                    break
                if not line:
                    raise RuntimeError("event stream closed")
            row.samples.append(Sample(time.perf_counter() - saved, float("nan"), float("nan")))
            conn.close()
            _wait_idle(parts)  # the PDFs of this save
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    row.note = "reload sent once the deck is written; PDFs continue after"
    return row


def _get(parts, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _wait_ok(parts, path: str, timeout: float = 1200) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _get(parts, path)[0] == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{path} never became available")


def _wait_idle(parts, timeout: float = 1200) -> None:
    """Wait until the server reports no build running (its /__lectern/status)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = json.loads(_get(parts, "/__lectern/status")[1])
        if not status["building"]:
            return
        time.sleep(0.1)
    raise RuntimeError("the server was still building after the timeout")


PD_DECKS = "pandoc: reveal.js decks (standalone, --citeproc)"
PD_TYPST = "pandoc + typst: book PDF, footnotes at page foot (--citeproc)"
MARP_PDF = "marp-cli: the decks as PDF (Chromium)"
TYPST_SHIM = """#!{python}
\"\"\"`typst compile IN OUT` over the typst Python binding, as pandoc --pdf-engine=typst calls it.\"\"\"
import sys
import typst
args = [a for a in sys.argv[1:] if not a.startswith("-")]
args = args[1:] if args[:1] == ["compile"] else args
typst.compile(args[0], output=args[1] if len(args) > 1 else args[0].rsplit(".", 1)[0] + ".pdf")
"""


def marp_binary(given: str | None) -> str | None:
    """marp-cli: --marp, $MARP_CLI, `marp` on PATH, or the install the docstring suggests."""
    for candidate in (given, os.environ.get("MARP_CLI"), shutil.which("marp"),
                      str(Path.home() / ".cache" / "lectern-bench" / "node_modules" / ".bin" / "marp")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def has_typst() -> bool:
    try:
        import typst  # noqa: F401
        return True
    except ImportError:
        return False
PD_BOOK = "pandoc + WeasyPrint: book PDF, footnotes at page foot (--citeproc)"
PD_BOOK_ENDNOTES = "pandoc + WeasyPrint: book PDF, endnotes (--citeproc)"
# The baseline is a PDF "with footnotes at page foot", as the study guide has them.
# pandoc's HTML gathers notes at the end; this filter leaves each where it is called, and the
# CSS floats it to the foot of its page (WeasyPrint's footnotes, as the guide uses them).
NOTES_LUA = """-- each note inline at its call, for WeasyPrint to float to the foot of the page
function Note(note)
  return pandoc.Span(pandoc.utils.blocks_to_inlines(note.content), {class = "footnote"})
end
"""
NOTES_CSS = ".footnote { float: footnote; font-size: 0.8em; }\n"


def pandoc_rows(scale: str, work: Path, repeat: int) -> list[Row]:
    pandoc = pandoc_binary()
    src = gen_course.pandoc_sources(work / f"pandoc-{scale}", scale)
    folder = src["guide"][0].parent
    (folder / "notes.lua").write_text(NOTES_LUA, "utf-8")
    (folder / "notes.css").write_text(NOTES_CSS, "utf-8")
    decks = Row(scale, PD_DECKS)
    book = Row(scale, PD_BOOK)
    endnotes = Row(scale, PD_BOOK_ENDNOTES)
    script = work / f"pandoc-{scale}.sh"
    deck_cmds = [f"{pandoc} -t revealjs -s --citeproc --bibliography references.yaml {d.name} -o {d.stem}.html"
                 for d in src["decks"]]
    script.write_text("set -e\ncd " + str(folder) + "\n" + "\n".join(deck_cmds) + "\n", "utf-8")
    weasy = shutil.which("weasyprint") or "weasyprint"
    book_script = work / f"pandoc-book-{scale}.sh"
    book_script.write_text(
        f"set -e\ncd {folder}\n{pandoc} -s --citeproc --lua-filter notes.lua --bibliography references.yaml "
        f"book.md -o book.html\n{weasy} -s notes.css book.html book.pdf\n", "utf-8")
    endnote_script = work / f"pandoc-endnotes-{scale}.sh"
    endnote_script.write_text(
        f"set -e\ncd {folder}\n{pandoc} -s --citeproc --bibliography references.yaml book.md -o endnotes.html\n"
        f"{weasy} endnotes.html endnotes.pdf\n", "utf-8")
    for _ in range(repeat):
        decks.samples.append(measure(["sh", str(script)], fresh_cache(work / f"cache-pandoc-{scale}")))
        book.samples.append(measure(["sh", str(book_script)], fresh_cache(work / f"cache-pandoc-{scale}")))
        endnotes.samples.append(measure(["sh", str(endnote_script)], fresh_cache(work / f"cache-pandoc-{scale}")))
    for row, name in ((book, "book.pdf"), (endnotes, "endnotes.pdf")):
        pages = guide_pages(folder / name)
        row.note = f"{pages} pages" if pages else ""
    endnotes.note += "; not the baseline (notes at the end of the book)"
    rows = [decks, book, endnotes]
    if has_typst():
        rows.append(typst_row(scale, work, repeat, pandoc, folder))
    if MARP[0]:
        rows.append(marp_row(scale, work, repeat, MARP[0]))
    return rows


MARP: list[str | None] = [None]  # marp-cli's path, set by main()


def typst_row(scale: str, work: Path, repeat: int, pandoc: str, folder: Path) -> Row:
    """The book through pandoc and typst, footnotes at the page foot."""
    shims = work / "typst-shim"
    shims.mkdir(exist_ok=True)
    (shims / "typst").write_text(TYPST_SHIM.format(python=sys.executable), "utf-8")
    (shims / "typst").chmod(0o755)
    script = work / f"pandoc-typst-{scale}.sh"
    script.write_text(f"set -e\ncd {folder}\nexport PATH={shims}:$PATH\n{pandoc} -s --citeproc "
                      f"--bibliography references.yaml book.md --pdf-engine=typst -o typst-book.pdf\n", "utf-8")
    row = Row(scale, PD_TYPST)
    for _ in range(repeat):
        row.samples.append(measure(["sh", str(script)], fresh_cache(work / f"cache-pandoc-{scale}")))
    pages = guide_pages(folder / "typst-book.pdf")
    row.note = f"{pages} pages" if pages else ""
    return row


def marp_row(scale: str, work: Path, repeat: int, marp: str) -> Row:
    """marp-cli printing every deck to PDF (one Chromium, every file of the folder)."""
    folder = work / f"marp-{scale}"
    files = gen_course.marp_sources(folder / "src", scale)
    env = f"export CHROME_PATH={os.environ.get('CHROME_PATH', '/usr/bin/chromium')}\n"
    script = work / f"marp-{scale}.sh"
    script.write_text(f"set -e\n{env}{marp} --pdf --no-stdin --allow-local-files -I {folder / 'src'} "
                      f"-o {folder / 'pdf'}\n", "utf-8")
    row = Row(scale, MARP_PDF)
    for _ in range(repeat):
        shutil.rmtree(folder / "pdf", ignore_errors=True)
        row.samples.append(measure(["sh", str(script)], fresh_cache(work / f"cache-marp-{scale}")))
    pages = sum(guide_pages(p) or 0 for p in (folder / "pdf").glob("*.pdf"))
    row.note = f"{len(files)} decks, {pages} pages"
    return row


def ratios(rows: list[Row]) -> list[str]:
    """The issue's targets, as lines: value, target, and whether it is met."""
    lines = []
    for scale in sorted({r.scale for r in rows}):
        get = {r.what: r for r in rows if r.scale == scale}
        pd_decks = get.get(PD_DECKS)
        pd_pdf = get.get(PD_BOOK)
        cold_dg = get["cold build, decks + guide"]
        cold_all = get["cold build, default outputs (decks, guide, handouts)"]
        if pd_decks and pd_pdf:
            base = pd_decks.wall + pd_pdf.wall
            lines.append(f"{scale}: cold decks+guide / pandoc decks + WeasyPrint book = {cold_dg.wall / base:.2f}x")
        typst, marp = get.get(PD_TYPST), get.get(MARP_PDF)
        if pd_decks and typst:
            base = pd_decks.wall + typst.wall
            lines.append(f"{scale}: cold decks+guide / pandoc decks + typst book = {cold_dg.wall / base:.2f}x "
                         "(target <= 0.6 at L)")
            if marp:
                base += marp.wall
                lines.append(f"{scale}: cold default outputs / pandoc decks + typst book + marp PDF = "
                             f"{cold_all.wall / base:.2f}x (target <= 1.0 at L)")
        lines.append(f"{scale}: no-change build = {get['no-change build'].wall:.2f} s (target < 0.3)")
        slide = get["one-slide edit (deck, handout, guide chapter)"]
        lines.append(f"{scale}: one-slide edit / cold default = {slide.wall / cold_all.wall:.3f}x (target <= 0.05 at L)")
        reload = get.get("serve: save one slide -> deck reload event")
        if reload and reload.samples:
            lines.append(f"{scale}: serve reload after a save = {reload.wall:.2f} s (target <= 0.3)")
        peak = max(r.peak for r in rows if r.scale == scale and not r.what.startswith(("pandoc", "serve", "marp")))
        lines.append(f"{scale}: peak memory of any Lectern process = {peak:.0f} MB (target < 1000)")
    scales = {r.scale: r for r in rows if r.what == "cold build, default outputs (decks, guide, handouts)"}
    if "L" in scales and "XL" in scales:
        lines.append(f"XL / L, cold default outputs = {scales['XL'].wall / scales['L'].wall:.2f}x "
                     "(5x the slides; target <= 5.5)")
    return lines


def table(rows: list[Row]) -> str:
    out = ["| scale | measurement | median wall (s) | CPU (s) | peak RSS (MB) | runs | note |",
           "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        cpu = "" if r.cpu != r.cpu else f"{r.cpu:.2f}"
        peak = "" if r.peak != r.peak else f"{r.peak:.0f}"
        out.append(f"| {r.scale} | {r.what} | {r.wall:.2f} | {cpu} | {peak} | {len(r.samples)} | {r.note} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="S,L")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement at S")
    parser.add_argument("--repeat-l", type=int, default=1, help="runs per measurement at L")
    parser.add_argument("--no-pandoc", action="store_true")
    parser.add_argument("--marp", help="marp-cli's path (default: $MARP_CLI, marp on PATH, ~/.cache/lectern-bench)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    args = parser.parse_args()
    MARP[0] = marp_binary(args.marp)
    import compileall
    compileall.compile_dir(str(REPO / "lectern"), quiet=1)  # see the module's docstring
    work = args.keep or Path(tempfile.mkdtemp(prefix="lectern-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    load = os.getloadavg()[0]
    rows: list[Row] = []
    try:
        for scale in args.scales.split(","):
            rows += bench_scale(scale, args.repeat if scale == "S" else args.repeat_l, work, not args.no_pandoc)
            print(table([r for r in rows if r.scale == scale]), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"{os.cpu_count()} cores; load average at start {load:.1f}; {time.time() - started:.0f} s in all")
    print(table(rows))
    print()
    print("\n".join(ratios(rows)))
    if args.json:
        args.json.write_text(json.dumps([{"scale": r.scale, "what": r.what, "wall": r.wall, "cpu": r.cpu,
                                          "peak_mb": r.peak, "runs": len(r.samples), "note": r.note}
                                         for r in rows], indent=1), "utf-8")


if __name__ == "__main__":
    main()
