"""A chapter too long to lay out at once, laid out in pieces (print/chapterpieces.py) and joined.

The thresholds are made small here, so the fixture's short chapters are cut into pieces: every
block printed once and in order, section titles once, the contents pointing at the pages the
sections are on, every footnote on its call's page, and each piece laid out on the side of the
page it lands on (a left-hand page's text block where the book's other left-hand pages have it).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lectern.pipeline import check
from lectern.print import chapterpieces
from lectern.print.guide import render_guide
from lectern.text.plain import plain
from lectern.text.resolve import resolve
from lectern.theme.templates import make_env

pytestmark = pytest.mark.pdf

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini"

if not shutil.which("pdftotext"):
    pytest.skip("poppler-utils (pdftotext) is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def guide():
    checked = check(FIXTURE)
    return resolve(checked.course, checked.markup, checked.marks).guide


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(chapterpieces, "SPLIT_LINES", 5)
    monkeypatch.setattr(chapterpieces, "PIECE_LINES", 12)


def _blocks(chapter) -> list[str]:
    out = []
    for section in chapter.sections:
        out += [plain(p.html) for p in section.key_points] + [f.id for f in section.figures]
        out += [plain(q) for q in section.questions]
    return out


def test_a_chapter_of_ordinary_length_is_one_piece_the_chapter_itself(guide):
    for chapter in guide.chapters:
        assert [p.chapter for p in chapterpieces.pieces_of(chapter)] == [chapter]


def test_a_long_chapter_is_cut_between_blocks_each_printed_once_in_order(guide, small_pieces):
    chapter = guide.chapters[0]
    pieces = chapterpieces.pieces_of(chapter)
    assert len(pieces) >= 3
    assert [p.first for p in pieces] == [True] + [False] * (len(pieces) - 1)
    assert [p.last for p in pieces] == [False] * (len(pieces) - 1) + [True]
    assert [b for p in pieces for b in _blocks(p.chapter)] == _blocks(chapter)
    titled = [s.id for p in pieces for s in p.chapter.sections if not s.continued]
    assert titled == [s.id for s in chapter.sections]  # each section's title once
    readings = [s.reading for p in pieces for s in p.chapter.sections if s.reading]
    assert readings == [s.reading for s in chapter.sections if s.reading]


def _pages(data: bytes, tmp_path: Path) -> list[str]:
    (tmp_path / "g.pdf").write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(tmp_path / "g.pdf"), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def test_a_guide_with_chapters_in_pieces_reads_as_one_book(guide, small_pieces, tmp_path):
    result = render_guide(guide, make_env(None), [FIXTURE])
    assert result.problems == []  # every footnote on its call's page
    pages = _pages(result.pdf, tmp_path)
    text = " ".join(" ".join(p.split()) for p in pages)
    for chapter in guide.chapters:
        for section in chapter.sections:
            assert text.count(f"{section.number} {section.plain_title}") == 2  # the contents, and once in the chapter
            page = result.folios[section.id] + result.front_pages - 1
            assert section.plain_title in " ".join(pages[page].split())
    assert result.pages == len(pages) > 13  # longer than the guide of whole chapters: pieces start pages

    # each piece laid out on its side: a left-hand (even) page's running head is the course's
    # title, a right-hand page's the chapter's (a piece laid out on the wrong side swaps them)
    course = plain(guide.title).upper()
    for index in range(result.front_pages, len(pages)):
        folio = index - result.front_pages + 1
        lines = [line for line in pages[index].splitlines() if line.strip()]
        head = " ".join(lines[0].split()) if lines else ""
        chapter = next((c for c in guide.chapters if head.endswith(c.plain_title) or head.startswith(c.plain_title)), None)
        if folio % 2 == 0 and lines:
            assert course in head.upper() and chapter is None, (folio, head)
        elif course in head.upper():
            pytest.fail(f"page {folio} is a right-hand page with the left-hand running head: {head}")


def test_an_edit_lays_out_again_only_the_pieces_from_the_one_it_changed(guide, small_pieces, tmp_path, monkeypatch):
    """Each piece is kept like a part: a key point of the chapter's last section edited lays out
    that piece again (and none before it); the PDF is the one a fresh build makes."""
    from dataclasses import replace

    from markupsafe import Markup

    from lectern.print import chapters
    from lectern.print import guide as guide_module
    from lectern.text.view import PointView
    roots = [FIXTURE]
    chapters.render_guide_cached(guide, make_env(None), roots, chapters.PartStore(tmp_path / "parts", "t"))
    first = guide.chapters[0]
    last = first.sections[-1]
    edited_section = replace(last, key_points=[PointView(Markup("Real wages, edited"), last.key_points[0].children)]
                             + last.key_points[1:])
    edited = replace(guide, chapters=[replace(first, sections=first.sections[:-1] + [edited_section]),
                                      *guide.chapters[1:]])
    laid_out = []
    real = guide_module.GuideRenderer.lay_out
    monkeypatch.setattr(guide_module.GuideRenderer, "lay_out",
                        lambda self, kind, key, html, *a, **k: laid_out.append((kind, key)) or real(self, kind, key, html, *a, **k))
    result = chapters.render_guide_cached(edited, make_env(None), roots, chapters.PartStore(tmp_path / "parts", "t"))
    pieces = chapterpieces.pieces_of(edited.chapters[0])
    assert laid_out.count(("chapter", first.id)) == 1 < len(pieces)  # the last piece alone
    monkeypatch.setattr(guide_module.GuideRenderer, "lay_out", real)
    fresh = render_guide(edited, make_env(None), roots)
    assert _pages(result.pdf, tmp_path) == _pages(fresh.pdf, tmp_path)
    assert "Real wages, edited" in " ".join(" ".join(_pages(result.pdf, tmp_path)).split())
