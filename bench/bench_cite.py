"""Benchmark: format N citations (default 500) and their bibliography with lectern.text.cite.

Run: `python bench/bench_cite.py [--citations 500] [--works 100] [--style chicago-author-date]
[--repeat 3] [--no-citeproc-py]`. Prints seconds for Lectern's engine (one pandoc run per build)
and, when citeproc-py is installed, for citeproc-py on the same citations, as a ratio.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lectern.text.cite import CiteItem, Cluster, format_citations, style_path  # noqa: E402
from lectern.course.model import Pos  # noqa: E402

FAMILIES = ["Cushion", "Gonzalez", "Kapcia", "Pérez", "Domínguez", "Fagen", "Franklin", "Guevara", "Chomsky", "Yaffe"]
GIVEN = ["Steve", "Mike", "Antoni", "Louis A.", "Jorge I.", "Richard R.", "Jane", "Ernesto", "Aviva", "Helen"]


def works(n: int) -> list[dict]:
    """n CSL-JSON works: books and articles, several by one author in one year (so 2016a/2016b)."""
    out = []
    for i in range(n):
        a = i % len(FAMILIES)
        work = {
            "id": f"w{i}",
            "author": [{"family": FAMILIES[a], "given": GIVEN[a]}],
            "title": f"Study {i} of Work & Power <in> Cuba",
            "issued": {"date-parts": [[2010 + i % 7]]},
        }
        if i % 2:
            work |= {"type": "article-journal", "container-title": "Cuban Studies", "volume": str(i), "page": f"{100 + i}-{130 + i}"}
        else:
            work |= {"type": "book", "publisher": "Monthly Review Press"}
        out.append(work)
    return out


def clusters(n: int, n_works: int) -> list[Cluster]:
    at = Pos("bench.yaml", 1, 1)
    out = []
    for i in range(n):
        key = f"w{(i * 7) % n_works}"
        if i % 5 == 0:
            items = [CiteItem(key, at, prefix="see", suffix=f"p. {i + 1}"), CiteItem(f"w{(i * 3) % n_works}", at)]
        else:
            items = [CiteItem(key, at, suffix=f"p. {i + 1}" if i % 2 else "", suppress_author=i % 7 == 0)]
        out.append(Cluster(f"c{i}", items, in_text=i % 11 == 0))
    return out


def _cpu() -> float:
    """CPU seconds of this process and its finished children (pandoc): fair on a busy machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bench_lectern(bib: Path, style: Path, cls: list[Cluster], repeat: int):
    """(first wall, best wall, best CPU, result) over `repeat` full runs of format_citations."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        t, c = time.perf_counter(), _cpu()
        result = format_citations([bib], style, "en", cls)
        walls.append(time.perf_counter() - t)
        cpus.append(_cpu() - c)
    return walls[0], min(walls), min(cpus), result


def bench_citeproc_py(refs: list[dict], style: Path, cls: list[Cluster]) -> float | None:
    try:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
        from citeproc.source.json import CiteProcJSON
    except ImportError:
        return None
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON(refs)
        csl = CitationStylesStyle(str(style), validate=False)
        bibliography = CitationStylesBibliography(csl, source, formatter.html)
        citations = []
        for cl in cls:
            items = []
            for item in cl.items:
                locator = item.suffix.removeprefix("p. ") if item.suffix else None
                items.append(CitationItem(item.key, locator=Locator("page", locator)) if locator else CitationItem(item.key))
            citation = Citation(items)
            bibliography.register(citation)
            citations.append(citation)
        for citation in citations:
            bibliography.cite(citation, lambda item: None)
        bibliography.bibliography()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--citations", type=int, default=500)
    ap.add_argument("--works", type=int, default=100)
    ap.add_argument("--style", default="chicago-author-date")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-citeproc-py", action="store_true", help="skip the (slow) citeproc-py comparison")
    args = ap.parse_args()

    style = style_path(args.style, Path.cwd())
    if style is None:
        sys.exit(f"unknown style {args.style}")
    refs = works(args.works)
    cls = clusters(args.citations, args.works)
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "refs.json"
        bib.write_text(json.dumps(refs), encoding="utf-8")
        first, best, cpu, result = bench_lectern(bib, style, cls, args.repeat)
    print(f"lectern.text.cite ({args.style}): {args.citations} citations of {args.works} works: "
          f"{first:.3f} s first run, {best:.3f} s best of {args.repeat} (wall clock); "
          f"{cpu:.3f} s CPU (Python + pandoc)")
    print(f"  e.g. {result.clusters['c1']}  |  {len(result.bibliography)} bibliography entries")
    if args.no_citeproc_py:
        return
    c = _cpu()
    other = bench_citeproc_py(refs, style, cls)
    other_cpu = _cpu() - c
    if other is None:
        print("citeproc-py is not installed: no comparison")
    else:
        print(f"citeproc-py ({args.style}): {other:.3f} s wall clock, {other_cpu:.3f} s CPU: "
              f"{other / best:.0f}× (wall) and {other_cpu / cpu:.0f}× (CPU) slower than lectern.text.cite")


if __name__ == "__main__":
    main()
