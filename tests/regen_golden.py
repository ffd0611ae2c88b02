"""Golden deck and course-page HTML for the hand-built fixture; `python -m tests.regen_golden` rewrites them.

The inlined CSS and JavaScript are replaced by a marker naming their size, so the golden files
show the markup a theme author works with and change only when that markup does.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from deck_fixture import make_deck, make_index  # noqa: E402

from lectern.deck.deck import render_deck  # noqa: E402
from lectern.deck.index import render_index  # noqa: E402
from lectern.theme.templates import make_env  # noqa: E402

GOLDEN = HERE / "golden"
_INLINE = re.compile(r"<(style|script)>\n.*?</\1>", re.S)
_CSP = re.compile(r"script-src 'sha256-[^']+'")


def normalise(page: str) -> str:
    page = _CSP.sub("script-src 'sha256-(runtime)'", page)
    return _INLINE.sub(lambda m: f"<{m.group(1)}>/* inlined {m.group(1)} */</{m.group(1)}>", page)


def golden_outputs() -> dict[str, str]:
    env = make_env()
    return {
        "deck-revolution.html": normalise(render_deck(make_deck(), env, embed_fonts=False)),
        "index.html": normalise(render_index(make_index(), env, embed_fonts=False)),
    }


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, text in golden_outputs().items():
        (GOLDEN / name).write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    main()
