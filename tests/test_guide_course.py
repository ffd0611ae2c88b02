"""The bundled course's study guide, through load → resolve → render_guide, and via the CLI."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from lectern.pipeline import check
from lectern.print.guide import render_guide
from lectern.theme.templates import make_env
from lectern.text.resolve import resolve

pytestmark = pytest.mark.pdf

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"


@pytest.fixture(scope="module")
def bundled():
    checked = check(CONTENT)
    resolved = resolve(checked.course, checked.markup, checked.marks)
    guide = resolved.guide
    result = render_guide(guide, make_env(checked.course.templates), [checked.course.root])
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    return checked.course, guide, result, reader


def test_the_bundled_guide_lays_out_without_problems(bundled):
    course, guide, result, reader = bundled
    assert result.problems == []
    notes = [n for c in guide.chapters for n in c.footnotes]
    assert notes, "the bundled course has footnotes"
    for part in result.parts:
        if part.kind == "chapter":
            assert all(p.call_page == p.note_page for p in part.check.places.values())
    assert len(reader.pages) == result.pages


def test_the_bibliography_is_the_set_of_works_cited(bundled):
    course, guide, result, reader = bundled
    cited = set()
    for chapter in guide.chapters:
        fields = [chapter.summary, *chapter.objectives, *[n.html for n in chapter.footnotes]]
        for section in chapter.sections:
            fields += [section.reading, *section.questions, *[p.html for p in section.key_points]]
            fields += [f.caption for f in section.figures] + [f.source for f in section.figures]
        cited |= {m for f in fields if f for m in re.findall(r'href="#(ref-[^"]+)"', str(f))}
        cited |= {e.id for e in chapter.further_reading}
    assert cited == {e.id for e in guide.bibliography}
    names = reader.named_destinations
    start = result.front_pages + result.folios["appendix-bibliography"] - 1
    for entry in guide.bibliography:
        assert reader.get_destination_page_number(names[entry.id]) >= start


def test_the_bundled_guide_metadata_and_outline(bundled):
    course, guide, result, reader = bundled
    assert reader.metadata.title == guide.plain_title
    assert reader.metadata.author == course.author
    assert reader.trailer["/Root"]["/Lang"] == course.lang
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[1:1 + len(guide.chapters)] == [f"{c.number}. {c.plain_title}" for c in guide.chapters]
    size = reader.pages[0].mediabox
    expected = (612, 792) if course.paper.lower() == "letter" else (595, 842)
    assert (round(float(size.width)), round(float(size.height))) == expected


def test_build_twice_gives_identical_guides(tmp_path: Path):
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        run = subprocess.run([sys.executable, "build.py", "build", str(CONTENT), "--out", str(out),
                              "--only", "guide"], cwd=REPO, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        outs.append((out / "study-guide.pdf").read_bytes())
    assert outs[0] == outs[1]
