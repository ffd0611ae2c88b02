"""Print documents laid out a chunk of slides at a time (print/printparts.py): the same PDF as laid
out whole, page numbers of the whole in every chunk, an edit laying out one chunk again.

Chunks are made three slides long here (`CHUNK_SLIDES`, twelve in a build), so the fixture's
short lectures are several chunks.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from markupsafe import Markup
from pypdf import PdfReader

from lectern import pdf
from lectern.pipeline import check
from lectern.print import handout, printparts
from lectern.print.chapters import PartStore
from lectern.text.resolve import resolve
from lectern.theme.templates import make_env, theme_dirs

from pdf_helpers import outline

pytestmark = pytest.mark.pdf

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini"

if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
    pytest.skip("poppler-utils (pdftotext, pdftoppm) is not installed", allow_module_level=True)


class Course:
    def __init__(self, templates: Path | None = None):
        checked = check(FIXTURE)
        self.decks = resolve(checked.course, checked.markup, checked.marks).decks
        self.env = make_env(templates)
        self.roots = [checked.course.root, *theme_dirs(templates)]

    def request(self, kind: str, deck=None) -> printparts.PrintRequest:
        return handout.print_request(kind, deck or self.decks["intro"], self.env, self.roots, "A4")


@pytest.fixture(scope="module")
def course() -> Course:
    return Course()


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(printparts, "CHUNK_SLIDES", 3)


def _whole(request: printparts.PrintRequest) -> bytes:
    return pdf.write_pdf(handout.handout_document(request.kind, request.deck, request.env, request.roots,
                                                  request.paper), request.meta)


def _texts(data: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return [" ".join(page.split()) for page in out.decode("utf-8").split("\f")[:-1]]


def _pictures(data: bytes, folder: Path, name: str) -> list[Path]:
    (folder / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(folder / f"{name}.pdf"), str(folder / name)], check=True)
    return sorted(folder.glob(f"{name}-*.png"))


def _folios(texts: list[str]) -> list[str]:
    """The page number and count at the foot of each page ("3 / 12"), "" where there is none."""
    return [f"{m[1]} / {m[2]}" if (m := re.search(r"\b(\d+) ?/ ?(\d+)$", text)) else "" for text in texts]


@pytest.mark.parametrize("kind", handout.KINDS)
def test_a_document_laid_out_in_chunks_is_the_one_laid_out_whole(course, kind, tmp_path):
    from PIL import Image, ImageChops
    request = course.request(kind)
    chunked = printparts.print_pdf(request)
    assert len(request.layouts) >= 3, request.layouts  # it was laid out in chunks
    whole = _whole(request)
    assert _texts(chunked) == _texts(whole)
    assert outline(PdfReader(io.BytesIO(chunked))) == outline(PdfReader(io.BytesIO(whole)))
    pages = list(zip(_pictures(chunked, tmp_path, "chunked"), _pictures(whole, tmp_path, "whole"), strict=True))
    for a, b in pages:
        assert ImageChops.difference(Image.open(a).convert("RGB"), Image.open(b).convert("RGB")).getbbox() is None, a
    if kind != "slides":  # the slide PDF's pages have no margins
        count = len(pages)
        assert _folios(_texts(chunked)) == [f"{k} / {count}" for k in range(1, count + 1)]


def test_notes_that_run_on_to_a_second_page_number_every_later_page_of_the_whole(course):
    """A chunk that takes a page more than expected moves every later page number on, and the count."""
    intro = course.decks["intro"]
    long = Markup(" ".join(["The notes of this slide run on for a while, as a careful lecturer's do."] * 110))
    deck = replace(intro, slides=[replace(s, notes=long) if s.number == 2 else s for s in intro.slides])
    request = course.request("notes", deck)
    texts = _texts(printparts.print_pdf(request))
    count = len(deck.slides) + 1
    assert len(texts) == count
    assert _folios(texts) == [f"{k} / {count}" for k in range(1, count + 1)]
    assert texts == _texts(_whole(request))


def test_an_edit_lays_out_again_only_the_chunk_holding_the_slide(course, tmp_path):
    store = PartStore(tmp_path / "prints", "theme")
    first = course.request("handout")
    printparts.print_pdf(first, store)
    assert len(first.layouts) >= 3
    intro = course.decks["intro"]
    deck = replace(intro, slides=[replace(s, title=Markup("Why the harvest failed")) if s.number == 5 else s
                                  for s in intro.slides])
    edited = course.request("handout", deck)
    data = printparts.print_pdf(edited, PartStore(tmp_path / "prints", "theme"))
    assert edited.layouts == ["4-6"]  # three slides a page, three a chunk: slide 5 is in the second
    texts = _texts(data)
    assert "Why the harvest failed" in texts[1]
    assert texts == _texts(printparts.print_pdf(course.request("handout", deck)))


def test_print_css_that_carries_state_between_pages_has_the_document_laid_out_whole(tmp_path):
    """A first page styled apart (`@page :first`) is the document's first page, not each chunk's."""
    (tmp_path / "templates" / "handout").mkdir(parents=True)
    (tmp_path / "templates" / "handout" / "custom.css").write_text(
        "@page :first { @bottom-center { content: none; } }\n", "utf-8")
    course = Course(tmp_path / "templates")
    request = course.request("handout")
    texts = _texts(printparts.print_pdf(request))
    assert request.layouts == []  # laid out whole
    count = len(texts)
    assert count >= 3
    assert _folios(texts) == [""] + [f"{k} / {count}" for k in range(2, count + 1)]


def test_a_chunk_whose_crowded_slide_was_fitted_is_kept_for_the_next_build(course, tmp_path, monkeypatch):
    """The next build knows the fit (in the user's cache) and asks the store for the chunk's HTML
    with it: nothing is laid out again."""
    from lectern.print import knownfits
    from lectern.text.view import PointView
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(knownfits, "_FITS", {})
    monkeypatch.setattr(knownfits, "_KEPT_LOADED", [])
    intro = course.decks["intro"]
    text = "A long point about the sugar harvest and the unions of Havana, one of many: number {}"
    deck = replace(intro, slides=[replace(s, points=[PointView(Markup(text.format(k))) for k in range(24)])
                                  if s.number == 5 else s for s in intro.slides])
    first = course.request("handout", deck)
    data = printparts.print_pdf(first, PartStore(tmp_path / "prints", "theme"))
    assert len(first.layouts) >= 3 and knownfits.known_fits(handout.slide_keys(deck, course.env, course.roots))[5] < 1
    monkeypatch.setattr(knownfits, "_FITS", {})  # as in a new process
    monkeypatch.setattr(knownfits, "_KEPT_LOADED", [])
    again = course.request("handout", deck)
    assert printparts.print_pdf(again, PartStore(tmp_path / "prints", "theme")) == data
    assert again.layouts == []


@pytest.mark.parametrize("kind", ["handout", "notes"])
def test_a_crowded_slide_is_fitted_on_its_own_page_of_the_chunk(course, kind, tmp_path, monkeypatch):
    """Refitting a crowded slide lays out again only the page holding it (as a chunk of its own,
    numbered as that page of the whole), and the PDF is the one laid out whole."""
    from PIL import Image, ImageChops
    from lectern.print import knownfits, slidepages
    from lectern.text.view import PointView
    monkeypatch.setattr(printparts, "CHUNK_SLIDES", 6)  # handout: slides 4-9 on two pages, 8 on the second
    intro = course.decks["intro"]
    text = "A long point about the sugar harvest and the unions of Havana, one of many: number {}"
    deck = replace(intro, slides=[replace(s, points=[PointView(Markup(text.format(k))) for k in range(24)])
                                  if s.number == 8 else s for s in intro.slides])

    def fresh_fits(name):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / name))
        monkeypatch.setattr(knownfits, "_FITS", {})
        monkeypatch.setattr(knownfits, "_KEPT_LOADED", [])

    laid_out = []
    layout = slidepages._layout
    monkeypatch.setattr(slidepages, "_layout", lambda html, *a, **k: laid_out.append(layout(html, *a, **k)) or laid_out[-1])
    fresh_fits("chunked")
    request = course.request(kind, deck)
    chunked = printparts.print_pdf(request)
    assert knownfits.known_fits(handout.slide_keys(deck, course.env, course.roots))[8] < 1
    refits = laid_out[len(printparts.plan_chunks(request)):]
    assert refits and all(len(document.pages) == 1 for document in refits)
    fresh_fits("whole")
    whole = _whole(request)
    assert _texts(chunked) == _texts(whole)
    for a, b in zip(_pictures(chunked, tmp_path, "chunked"), _pictures(whole, tmp_path, "whole"), strict=True):
        assert ImageChops.difference(Image.open(a).convert("RGB"), Image.open(b).convert("RGB")).getbbox() is None, a
    count = len(_texts(chunked))
    assert _folios(_texts(chunked)) == [f"{k} / {count}" for k in range(1, count + 1)]
