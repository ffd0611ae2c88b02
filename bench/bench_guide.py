"""Benchmark the study guide: seconds per page and peak memory, S (30 slides) and L (600 slides).

    python bench/bench_guide.py                 # both scales, Lectern and (if present) pandoc
    python bench/bench_guide.py --scales S --no-pandoc
    python bench/bench_guide.py --scales L --no-pandoc --edit   # and a one-slide edit, parts kept

Each measurement runs in a fresh child process, so its peak resident memory (ru_maxrss) is its
own. Lectern's figure is render_guide() alone (the course is loaded and resolved first, untimed
but reported); pandoc's is `pandoc book.md --citeproc --pdf-engine=weasyprint` on the same
content (bench/gen_course.py writes it), with pandoc's and WeasyPrint's memory together.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def _pages(data: bytes) -> int:
    try:
        import pypdf
        return len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except ImportError:  # pypdf is a test extra
        return data.count(b"/Type /Page\n") or data.count(b"/Type/Page")


def one_lectern(scale: str) -> dict:
    """In the child: generate, load, resolve, then time render_guide."""
    from gen_course import generate

    from lectern.pipeline import check
    from lectern import pdf  # noqa: F401  (import WeasyPrint before timing)
    from lectern.print.guide import render_guide
    from lectern.theme.templates import make_env
    from lectern.text.resolve import resolve

    with tempfile.TemporaryDirectory() as tmp:
        course_dir = generate(Path(tmp) / "course", scale)
        t0 = time.perf_counter()
        checked = check(course_dir)
        resolved = resolve(checked.course, checked.markup, checked.marks)
        prepare = time.perf_counter() - t0
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        result = render_guide(resolved.guide, make_env(checked.course.templates), [checked.course.root])
        seconds = time.perf_counter() - t0
        retries = sum(p.attempts - 1 for p in result.parts)
        notes = sum(len(c.footnotes) for c in resolved.guide.chapters)
        return {"tool": "lectern", "scale": scale, "seconds": seconds, "prepare_seconds": prepare,
                "pages": result.pages, "notes": notes, "relayouts": retries,
                "problems": len(result.problems), "rss_before_mb": rss_before / 1024,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def one_edit(scale: str) -> dict:
    """In the child: the guide from scratch with its parts kept, then again after a one-slide
    edit (what `build` does between two saves), in wall and CPU seconds."""
    from gen_course import edit_slide, generate, lecture_files

    from lectern.pipeline import check
    from lectern import pdf  # noqa: F401  (import WeasyPrint before timing)
    from lectern.print.chapters import PartStore, render_guide_cached
    from lectern.theme.templates import make_env
    from lectern.text.resolve import resolve

    def guide(course_dir: Path, store: Path) -> tuple[float, float, object, PartStore]:
        checked = check(course_dir)
        resolved = resolve(checked.course, checked.markup, checked.marks)
        parts = PartStore(store, "bench")
        wall, cpu = time.perf_counter(), time.process_time()
        result = render_guide_cached(resolved.guide, make_env(checked.course.templates), [checked.course.root],
                                     parts)
        return time.perf_counter() - wall, time.process_time() - cpu, result, parts

    with tempfile.TemporaryDirectory() as tmp:
        course_dir = generate(Path(tmp) / "course", scale)
        cold_wall, cold_cpu, result, _ = guide(course_dir, Path(tmp) / "parts")
        edit_slide(course_dir, lecture=min(10, len(lecture_files(course_dir)) - 1))
        edit_wall, edit_cpu, edited, parts = guide(course_dir, Path(tmp) / "parts")
        return {"tool": "lectern-edit", "scale": scale, "pages": result.pages, "cold_seconds": cold_wall,
                "cold_cpu": cold_cpu, "edit_seconds": edit_wall, "edit_cpu": edit_cpu, "kept": parts.hits,
                "laid_out": parts.misses, "bytes": len(edited.pdf)}


def one_pandoc(scale: str) -> dict | None:
    """In the child: pandoc with WeasyPrint as its PDF engine, on the same content."""
    from gen_course import pandoc_sources

    pandoc = shutil.which("pandoc")
    if pandoc is None:
        try:
            import pypandoc
            pandoc = pypandoc.get_pandoc_path()
        except (ImportError, OSError):
            return None
    weasy = shutil.which("weasyprint") or str(Path(sys.executable).parent / "weasyprint")
    if not Path(weasy).exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        sources = pandoc_sources(Path(tmp) / "md", scale)
        book = sources["guide"][0]
        out = Path(tmp) / "book.pdf"
        env = {**os.environ, "PATH": f"{Path(weasy).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        t0 = time.perf_counter()
        run = subprocess.run([pandoc, book.name, "--citeproc", "--pdf-engine=weasyprint", "-o", str(out)],
                             cwd=book.parent, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if run.returncode != 0:
            return {"tool": "pandoc", "scale": scale, "error": run.stderr.strip()[-400:]}
        return {"tool": "pandoc", "scale": scale, "seconds": seconds, "pages": _pages(out.read_bytes()),
                "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def measure(tool: str, scale: str) -> dict | None:
    run = subprocess.run([sys.executable, __file__, "--child", tool, scale], capture_output=True, text=True)
    if run.returncode != 0:
        return {"tool": tool, "scale": scale, "error": run.stderr.strip()[-600:]}
    line = run.stdout.strip().splitlines()[-1]
    return json.loads(line) if line != "null" else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="S,L", help="comma-separated: S (30 slides), L (600 slides)")
    ap.add_argument("--no-pandoc", action="store_true")
    ap.add_argument("--edit", action="store_true", help="also time a one-slide edit with the parts kept")
    ap.add_argument("--json", action="store_true", help="print the raw measurements as JSON")
    ap.add_argument("--child", nargs=2, metavar=("TOOL", "SCALE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        tool, scale = args.child
        run = {"lectern": one_lectern, "lectern-edit": one_edit, "pandoc": one_pandoc}[tool]
        print(json.dumps(run(scale)))
        return
    rows = []
    for scale in args.scales.split(","):
        for tool in ["lectern"] + (["lectern-edit"] if args.edit else []) + ([] if args.no_pandoc else ["pandoc"]):
            found = measure(tool, scale)
            if found is None:
                print(f"{tool:8} {scale}: not available (no pandoc or no weasyprint command)")
                continue
            rows.append(found)
            if "error" in found:
                print(f"{tool:8} {scale}: failed: {found['error']}")
                continue
            if tool == "lectern-edit":
                print(f"{tool:8} {scale}: {found['pages']:4d} pages from scratch {found['cold_seconds']:.1f} s "
                      f"({found['cold_cpu']:.1f} CPU s); after a one-slide edit {found['edit_seconds']:.1f} s "
                      f"({found['edit_cpu']:.1f} CPU s), {found['kept']} parts kept, {found['laid_out']} laid out, "
                      f"{found['bytes'] / 1e6:.2f} MB", flush=True)
                continue
            per_page = found["seconds"] / max(found["pages"], 1)
            extra = ""
            if tool == "lectern":
                extra = (f"  ({found['notes']} footnotes, {found['relayouts']} re-layouts, "
                         f"{found['problems']} problems; load+resolve {found['prepare_seconds']:.1f} s)")
            print(f"{tool:8} {scale}: {found['pages']:4d} pages in {found['seconds']:7.1f} s = "
                  f"{per_page:.3f} s/page, peak {found['peak_mb']:.0f} MB{extra}", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
