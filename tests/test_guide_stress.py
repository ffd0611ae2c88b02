"""Footnote placement under stress: many seeded guides, hundreds of notes each (slow: --run-slow).

Each guide's notes fall at random places, many of them in the last lines of pages; WeasyPrint 70
alone loses or moves a few in every few hundred. After render_guide's retries, none may be lost
or moved.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guide_fixture import make_guide
from lectern.print.guide import render_guide
from lectern.theme.templates import make_env

pytestmark = [pytest.mark.pdf, pytest.mark.slow]


@pytest.mark.parametrize("seed", range(10, 16))
def test_no_note_lost_or_moved(seed: int, tmp_path: Path):
    guide = make_guide(chapters=2, seed=seed, note_rate=0.7)
    result = render_guide(guide, make_env(None), [tmp_path])
    assert sum(len(c.footnotes) for c in guide.chapters) > 150
    assert [p for p in result.problems if "footnote" in p.message] == []
    for part in result.parts:
        if part.kind == "chapter":
            assert all(p.note_page == p.call_page for p in part.check.places.values())
