"""Regenerate tests/data/source-{12,10,8}grams.txt: truncated sha256 hashes of every 12-, 10- and 8-word run of the course source.

The bundled course must not copy the essay it is based on, but the repository must not hold the
essay either, so the originality test compares hashes. Run from the repository:

    python tests/data/make_source_hashes.py [SOURCES_DIR]

SOURCES_DIR defaults to /work/shared/sources, else ../shared/sources next to the repository;
every *.txt file in it is hashed. The test imports `normalise`, `ngram_hashes` and `N` from here
so that both sides fold text the same way.
"""
from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from pathlib import Path

N = 12  # words in a run (tests/test_bundled_course.py)
SIZES = (12, 10, 8)  # 10 and 8: tests/test_source_words.py (a copy, and the runs kept few)
HASH_CHARS = 16  # hex digits kept of each sha256

HERE = Path(__file__).resolve().parent
OUT = HERE / "source-12grams.txt"


def out_path(n: int) -> Path:
    return HERE / f"source-{n}grams.txt"
REPO = HERE.parent.parent

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})


def normalise(text: str) -> list[str]:
    """Words of `text`: quotes folded, accents dropped, lowercase, apostrophes joined, other punctuation a gap."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"(?<=\w)'(?=\w)", "", text)  # cuba's -> cubas, don't -> dont
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def digest(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:HASH_CHARS]


def ngram_hashes(words: list[str], n: int = N) -> set[str]:
    return {digest(words[i:i + n]) for i in range(len(words) - n + 1)}


def default_sources() -> Path | None:
    for candidate in (Path("/work/shared/sources"), REPO.parent / "shared" / "sources"):
        if candidate.is_dir():
            return candidate
    return None


def main(argv: list[str]) -> int:
    sources = Path(argv[1]) if len(argv) > 1 else default_sources()
    if sources is None or not sources.is_dir():
        sys.stderr.write("no sources folder found; pass its path\n")
        return 2
    texts = [normalise(path.read_text(encoding="utf-8")) for path in sorted(sources.glob("*.txt"))]
    for n in SIZES:
        hashes: set[str] = set()
        for words in texts:
            hashes |= ngram_hashes(words, n)
        out_path(n).write_text("".join(h + "\n" for h in sorted(hashes)), encoding="utf-8")
        sys.stdout.write(f"{len(hashes)} hashes written to {out_path(n)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
