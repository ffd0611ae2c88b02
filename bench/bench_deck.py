"""Benchmark: deck size and build time for a 30-slide and a 600-slide course, beside Pandoc's reveal.js.

Run: `python bench/bench_deck.py [--repeat 3] [--json bench/out/deck.json]`. Measures
  1. render_deck alone on hand-made DeckViews of 30 and 600 slides (tests/deck_fixture.py), with
     and without pictures, font subsets cold (fresh cache) and warm;
  2. `python build.py build --only deck --force` on bench/gen_course.py's S (one lecture of 30
     slides) and L (20 lectures, 600 slides) courses: wall time and deck sizes;
  3. pandoc -t revealjs -s on the same content (bench/gen_course.py writes the Markdown), when
     pandoc is there. Pandoc's deck links reveal.js from a CDN: embedding it needs the network,
     so its size is the HTML alone and it does not work offline; it is reported for time.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from deck_fixture import make_synthetic_deck  # noqa: E402

from lectern.deck.deck import render_deck  # noqa: E402
from lectern.theme.templates import make_env  # noqa: E402

BUDGET = 150_000  # bytes, the 30-slide deck without pictures
FIGURE_BODY = re.compile(r'<div class="figure-body[^"]*"[^>]*>.*?</div>', re.S)  # the phone's copy of a chart too


def without_figures(html: str) -> int:
    """Bytes of a deck with the bodies of its figures (pictures, chart SVG) left out."""
    return len(FIGURE_BODY.sub("", html).encode())


def kb(n: int) -> str:
    return f"{n / 1000:.1f} kB"


def time_render(n_slides: int, images: bool, repeat: int) -> dict:
    deck = make_synthetic_deck(n_slides, images=images)
    env = make_env()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        html = render_deck(deck, env)
        times.append(time.perf_counter() - t)
    return {"slides": len(deck.slides), "images": images, "bytes": len(html.encode()), "best_s": min(times)}


def cold_fonts(n_slides: int) -> float:
    """render_deck in a fresh process with an empty font cache: the first build on a machine."""
    with tempfile.TemporaryDirectory() as cache:
        code = ("import sys,time; sys.path[:0]=['tests','.']; from deck_fixture import make_synthetic_deck;"
                "from lectern.deck.deck import render_deck; from lectern.theme.templates import make_env;"
                f"d=make_synthetic_deck({n_slides}); t=time.perf_counter(); render_deck(d, make_env());"
                "print(time.perf_counter()-t)")
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "XDG_CACHE_HOME": cache}, check=True)
        return float(out.stdout.strip())


def build_course(scale: str, work: Path) -> dict | None:
    try:
        from gen_course import generate, pandoc_sources
    except ImportError:
        return None
    course = generate(work / f"course-{scale}", scale)
    out = work / f"out-{scale}"
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "build.py", "build", str(course), "--out", str(out), "--only", "deck",
                           "--force"], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        return {"scale": scale, "error": (proc.stdout + proc.stderr)[-500:]}
    decks = sorted((out / "slides").glob("*.html"))
    sizes = [d.stat().st_size for d in decks]
    bare = [without_figures(d.read_text("utf-8")) for d in decks]
    result = {"scale": scale, "decks": len(decks), "build_s": wall, "largest_deck_bytes": max(sizes),
              "largest_deck_without_figures_bytes": max(bare), "all_decks_bytes": sum(sizes)}
    pandoc = shutil.which("pandoc")
    if not pandoc:
        try:
            import pypandoc

            pandoc = pypandoc.get_pandoc_path()
        except (ImportError, OSError):
            pandoc = None
    if pandoc:
        md = pandoc_sources(work / f"pandoc-{scale}", scale)
        t = time.perf_counter()
        psizes = []
        for src in md["decks"]:
            dest = src.with_suffix(".html")
            subprocess.run([pandoc, "-t", "revealjs", "-s", "--citeproc", "-o", str(dest), str(src)],
                           cwd=src.parent, check=True, capture_output=True)
            psizes.append(dest.stat().st_size)
        result["pandoc_revealjs_s"] = time.perf_counter() - t
        result["pandoc_largest_html_bytes"] = max(psizes)
        result["pandoc_note"] = "reveal.js itself linked from a CDN (not embeddable offline)"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-course", action="store_true", help="skip the full builds and pandoc")
    args = parser.parse_args()

    results: dict = {"render": [], "courses": []}
    print("render_deck (DeckView → HTML, fonts warm; 'pictures' are small data-URI images, else SVG charts):")
    for n in (30, 600):
        for images in (False, True):
            r = time_render(n, images, args.repeat)
            results["render"].append(r)
            print(f"  {r['slides']:4d} slides {'with' if images else 'no  '} pictures: "
                  f"{kb(r['bytes']):>10}  {r['best_s'] * 1000:7.0f} ms")
    small = results["render"][0]["bytes"]
    results["budget_ok"] = small < BUDGET
    print(f"  30-slide deck without pictures: {kb(small)} (budget {kb(BUDGET)}: "
          f"{'within' if small < BUDGET else 'OVER'})")
    results["cold_fonts_30_s"] = cold_fonts(30)
    print(f"  first build on a machine (font subsets made, not cached): {results['cold_fonts_30_s']:.2f} s")

    if not args.no_course:
        with tempfile.TemporaryDirectory() as tmp:
            for scale in ("S", "L"):
                r = build_course(scale, Path(tmp))
                if r is None:
                    print("bench/gen_course.py missing: no course builds")
                    break
                results["courses"].append(r)
                if "error" in r:
                    print(f"  course {scale}: build failed: {r['error']}")
                    continue
                line = (f"course {scale}: {r['decks']} deck(s), build --only deck {r['build_s']:.2f} s, "
                        f"largest deck {kb(r['largest_deck_bytes'])} "
                        f"({kb(r['largest_deck_without_figures_bytes'])} without figures), "
                        f"all {kb(r['all_decks_bytes'])}")
                if "pandoc_revealjs_s" in r:
                    line += (f"; pandoc revealjs {r['pandoc_revealjs_s']:.2f} s, "
                             f"largest {kb(r['pandoc_largest_html_bytes'])} + reveal.js from a CDN")
                print("  " + line)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
