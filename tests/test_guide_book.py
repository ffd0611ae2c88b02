"""render/pdf.py write_part/write_book: a book joined from painted parts is the book written whole."""
from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from guide_fixture import make_guide
from pdf_helpers import outline
from lectern.print import chapters
from lectern import pdf
from lectern.print.guide import plain_text, render_guide
from lectern.text.labels import labels_for
from lectern.theme.templates import make_env

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The guide as Lectern joins it, and the same laid-out pages written by WeasyPrint in one go."""
    root = tmp_path_factory.mktemp("course")
    guide = make_guide(chapters=2, seed=5)
    result = render_guide(guide, make_env(None), [root])
    documents = [p.document for p in result.parts]
    whole = documents[0].copy([page for d in documents for page in d.pages])
    meta = pdf.PdfMeta(title=plain_text(guide.title), authors=[guide.author], lang=guide.lang,
                       date=guide.date, subject=labels_for(guide.lang)["study_guide"])
    labels = [pdf.PageLabel(0, "r", 1), pdf.PageLabel(result.front_pages, "D", 1)]
    written_whole = pdf.write_pdf(whole, meta, page_labels=labels)
    return guide, root, result, pypdf.PdfReader(io.BytesIO(result.pdf)), pypdf.PdfReader(io.BytesIO(written_whole))


def _links(reader) -> list[tuple[int, str, int | None]]:
    """Each internal link: its page, its target name, the page that name leads to."""
    dests = reader.named_destinations
    found = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                name = str(annot["/Dest"])
                target = dests.get(name)
                found.append((index, name, reader.get_destination_page_number(target) if target else None))
    return found


def _tags(reader) -> list[tuple[int, str, int | None]]:
    """The tag tree in reading order: depth, role, page of each element (None when on no page)."""
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    found = []

    def walk(element, depth):
        element = element.get_object()
        if not isinstance(element, pypdf.generic.DictionaryObject) or "/S" not in element:
            return
        page = element.get("/Pg")
        found.append((depth, str(element["/S"]), pages.get(page.idnum) if page is not None else None))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids] if kids is not None else []:
            walk(kid, depth + 1)

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    for kid in root["/K"]:
        walk(kid, 0)
    return found


def _body_folios(result) -> list[str]:
    """The folio printed on each page of the book: none on the front matter's (it prints its
    own, laid out with it) and on blank pages, else the page's number from chapter 1 on."""
    found = []
    for part in result.parts:
        for index in range(part.pages):
            printed = part.kind in ("chapter", "appendix")
            found.append(str(part.first_folio + index) if printed else "")
    return found


def test_the_joined_book_reads_as_the_book_written_whole(books):
    _, _, result, joined, whole = books
    assert len(joined.pages) == len(whole.pages) == result.pages
    # the parts were laid out with no folio; the book draws each page's folio after its text
    expected = [text + ("\n" + folio if folio else "")
                for text, folio in zip([p.extract_text() for p in whole.pages], _body_folios(result))]
    assert [p.extract_text() for p in joined.pages] == expected
    assert joined.page_labels == whole.page_labels
    assert joined.metadata == whole.metadata
    assert joined.trailer["/Root"]["/Lang"] == "en"


def test_bookmarks_and_links_across_parts_lead_where_they_did(books):
    _, _, result, joined, whole = books
    assert outline(joined) == outline(whole)
    assert len(outline(joined)) >= 6  # contents, chapters, sections, appendices
    links = _links(joined)
    assert links == _links(whole)
    assert all(target is not None for _, _, target in links)
    # the contents (front matter) and citations (chapters) lead into other parts
    assert any(page < result.front_pages <= target for page, _, target in links)
    bibliography = result.front_pages + result.folios["appendix-bibliography"] - 1
    assert any(page < bibliography and target >= bibliography for page, _, target in links)


def test_the_tags_of_every_part_hang_under_one_document(books):
    _, _, result, joined, whole = books
    tags = _tags(joined)
    assert tags == _tags(whole)
    assert [role for depth, role, _ in tags if depth == 0] == ["/Document"]
    # every page's marked content maps to elements through the parent tree
    tree = joined.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    keys = [int(k) for k in tree[::2]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    owners = [int(p["/StructParents"]) for p in joined.pages]
    owners += [int(a.get_object()["/StructParent"]) for p in joined.pages for a in p.get("/Annots") or []]
    assert len(set(owners)) == len(owners) == len(keys) and set(owners) == set(keys)


def test_a_kept_part_is_not_painted_again_and_the_bytes_do_not_change(books, tmp_path, monkeypatch):
    guide, root, result, _, _ = books
    store = chapters.PartStore(tmp_path / "parts", "test")
    first = chapters.render_guide_cached(guide, make_env(None), [root], store)
    assert first.pdf == result.pdf  # a fresh book and a book from the store are the same bytes
    painted = []
    real = pdf.write_part
    monkeypatch.setattr(pdf, "write_part", lambda *args: painted.append(1) or real(*args))
    again = chapters.render_guide_cached(guide, make_env(None), [root], chapters.PartStore(tmp_path / "parts", "test"))
    assert again.pdf == result.pdf
    assert len(painted) <= 1  # at most the blank verso (made once per guide); no chapter or appendix


def _embedded_fonts(reader) -> list[str]:
    found = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            found[ref.idnum] = str(ref.get_object()["/BaseFont"]).split("+", 1)[1]
    return sorted(found.values())


def test_each_theme_font_is_embedded_once_for_the_whole_book(books):
    _, _, result, joined, whole = books
    fonts = _embedded_fonts(joined)
    theme = [name for name in fonts if name.startswith("Lectern")]
    assert len(theme) == len(set(theme)) >= 3  # serif, italic, sans: once each, not once per part
    assert set(fonts) == set(_embedded_fonts(whole))
    assert len(result.pdf) < 1.2 * len(whole.stream.getvalue())


def test_a_part_keeps_its_links_to_anchors_in_other_parts(tmp_path: Path):
    html = ('<html lang="en"><body><p id="here">A <a href="#elsewhere">link</a> and '
            '<a href="#here">one back</a>.</p></body></html>')
    part = pdf.write_part(pdf.render(html, tmp_path, [tmp_path]))
    assert [name for name, _, _ in part.dests] == ["here"]  # its own anchors only
    assert any(b"(elsewhere)" in piece for obj in part.objects for piece in obj
               if isinstance(piece, bytes))  # the link still names its target
    assert len(part.pages) == 1 and part.keys >= 1


def test_a_book_of_parts_with_fonts_outside_the_theme_embeds_them_per_part(tmp_path: Path):
    def part(text: str) -> pdf.PartPdf:
        html = f'<html lang="en"><body><h1>{text}</h1><p id="{text}">Text of {text}.</p></body></html>'
        return pdf.write_part(pdf.render(html, tmp_path, [tmp_path]))  # no theme fonts: each its own

    data = pdf.write_book([part("one"), part("two")], pdf.PdfMeta("T", ["A"], "en"),
                          page_labels=[pdf.PageLabel(0, "D", 1)])
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert ["Text of one." in p.extract_text() for p in reader.pages] == [True, False]
    assert "Text of two." in reader.pages[1].extract_text()
    assert [title for _, title, _ in outline(reader)] == ["one", "two"]
    assert data == pdf.write_book([part("one"), part("two")], pdf.PdfMeta("T", ["A"], "en"),
                                  page_labels=[pdf.PageLabel(0, "D", 1)])


def test_a_longer_chapter_1_moves_chapter_2_without_laying_it_out_again(tmp_path: Path):
    import copy

    from markupsafe import Markup

    root = tmp_path / "course"
    root.mkdir()
    guide = make_guide(chapters=2, seed=7)
    store = chapters.PartStore(tmp_path / "parts", "test")
    before = chapters.render_guide_cached(guide, make_env(None), [root], store)
    assert store.misses >= 3 and store.hits == 0

    longer = copy.deepcopy(guide)
    section = longer.chapters[0].sections[0]
    section.reading = Markup(str(section.reading) + "<p>" + "A paragraph added to chapter one. " * 400 + "</p>")
    store = chapters.PartStore(tmp_path / "parts", "test")
    after = chapters.render_guide_cached(longer, make_env(None), [root], store)
    second = longer.chapters[1].id
    assert after.folios[second] > before.folios[second]  # chapter 2 now starts later
    laid_out = [p.key for p in after.parts if p.kind in ("chapter", "appendix") and p.document is not None]
    assert laid_out == [longer.chapters[0].id]  # chapter 2 and the appendices came from the store

    reader = pypdf.PdfReader(io.BytesIO(after.pdf))
    opener = after.front_pages + after.folios[second] - 1
    lines = reader.pages[opener].extract_text().splitlines()
    assert lines[-1] == str(after.folios[second])  # the opener's folio, at its foot
    following = reader.pages[opener + 1].extract_text()
    assert following.splitlines()[-1] == str(after.folios[second] + 1)
    assert reader.page_labels[opener] == str(after.folios[second])
    # and the book from kept parts is the book laid out fresh
    assert after.pdf == render_guide(longer, make_env(None), [root]).pdf


def test_a_chapter_is_kept_the_same_whatever_page_it_was_guessed_to_start_on(tmp_path: Path):
    root = tmp_path / "course"
    root.mkdir()
    guide = make_guide(chapters=2, seed=7)
    store = chapters.PartStore(tmp_path / "parts", "test")
    chapter = guide.chapters[1].id
    pages = chapters.speculate_chapter(guide, make_env(None), [root], store, chapter, 99)
    assert store.misses == 1
    assert chapters.speculate_chapter(guide, make_env(None), [root], store, chapter, 7) == pages
    assert store.hits == 1 and store.misses == 1
