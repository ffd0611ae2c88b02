"""render/guide.py: the study guide as a book, checked on the laid-out pages and in the PDF."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from guide_fixture import make_guide
from lectern.course.model import Pos
from lectern import pdf
from lectern.print.guide import (NUDGE, GuideRenderer, PartLayout, _problems, number_blocks, render_guide,
    with_nudges)
from lectern.theme.templates import make_env

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    guide = make_guide(chapters=2, seed=3)
    result = render_guide(guide, make_env(None), [root])
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    texts = [page.extract_text() or "" for page in reader.pages]
    return guide, result, reader, texts, root


def physical(result, folio: int) -> int:
    """0-based PDF page index of an arabic folio."""
    return result.front_pages + folio - 1


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def test_the_guide_has_hundreds_of_notes_and_each_sits_on_the_page_of_its_call(built):
    guide, result, reader, texts, _ = built
    notes = [n for c in guide.chapters for n in c.footnotes]
    assert len(notes) > 150
    assert not [p for p in result.problems if "footnote" in p.message], result.problems
    chapters = [p for p in result.parts if p.kind == "chapter"]
    for part in chapters:
        assert not part.check.lost and not part.check.moved and not part.check.overlapping
        for place in part.check.places.values():
            assert place.call_page == place.note_page
    # the same in the PDF: every note's text is on the page where the layout put its call
    by_id = {n.id: n for n in notes}
    for part in chapters:
        for place in part.check.places.values():
            words = re.sub(r"<[^>]+>", "", str(by_id[place.id].html)).split()[:4]
            page_text = " ".join(texts[part.first_index + place.call_page - 1].split())
            assert " ".join(words) in page_text, place


def test_contents_page_numbers_are_the_pages_where_chapters_and_sections_start(built):
    guide, result, reader, texts, _ = built
    contents = texts[2]
    assert first_line(contents) == "Contents"
    checked = 0
    for chapter in guide.chapters:
        entries = [chapter.plain_title] + [s.plain_title for s in chapter.sections]
        ids = [chapter.id] + [s.id for s in chapter.sections]
        for title, anchor in zip(entries, ids):
            m = re.search(re.escape(title[:20]) + r".*?(\d+)\s*$", contents, re.M)
            assert m, title
            folio = int(m.group(1))
            assert folio == result.folios[anchor]
            page = " ".join(texts[physical(result, folio)].split())
            assert " ".join(title.split()) in page
            checked += 1
        opener = texts[physical(result, result.folios[chapter.id])]
        assert first_line(opener) == f"CHAPTER {chapter.number}"
    assert checked == sum(1 + len(c.sections) for c in guide.chapters)
    assert reader.page_labels[2] == "iii"
    assert reader.page_labels[physical(result, 1)] == "1"


def test_chapters_open_on_right_hand_pages_without_running_heads(built):
    guide, result, reader, texts, _ = built
    for key in [c.id for c in guide.chapters] + ["appendix-chronology", "appendix-glossary", "appendix-bibliography"]:
        index = physical(result, result.folios[key])
        assert index % 2 == 0  # 0-based even = page 1, 3, 5: a right-hand page
        assert guide.plain_title.lower() not in texts[index].lower().splitlines()[0]


def margin_texts(page) -> dict[str, str]:
    """The text of each margin box of a laid-out page: {"@top-left": "2", ...}."""
    from weasyprint.formatting_structure import boxes

    found = {}
    for box in page._page_box.children:
        if isinstance(box, boxes.MarginBox):
            text = " ".join(b.text for b in pdf._walk(box) if isinstance(b, boxes.TextBox))
            if text.strip():
                found[box.at_keyword] = text.strip()
    return found


def test_running_heads_course_title_left_chapter_title_right(built):
    guide, result, reader, texts, _ = built
    seen_left = seen_right = 0
    for part in result.parts:
        if part.kind != "chapter":
            continue
        chapter = next(c for c in guide.chapters if c.id == part.key)
        pages = part.document.pages
        # the chapter is laid out with no folio; the book draws the folios laid out at assembly
        folio_pages = result.folio_pages[part.first_folio - 1:]

        def heads_of(offset: int) -> dict[str, str]:
            return {**margin_texts(pages[offset]), **margin_texts(folio_pages[offset])}

        assert not any(key in margin_texts(page) for page in pages
                       for key in ("@top-left", "@top-right", "@bottom-center"))
        # the opener: no running head, the folio at the foot
        assert heads_of(0) == {"@bottom-center": str(result.folios[chapter.id])}
        for offset in range(1, len(pages)):
            index = part.first_index + offset
            folio = str(result.folios[chapter.id] + offset)
            heads = heads_of(offset)
            assert folio in texts[index].split()  # the PDF page shows it
            if index % 2 == 1:  # a left-hand page: folio outside, the course title
                assert heads == {"@top-left": folio, "@top-center": guide.plain_title}
                seen_left += 1
            else:  # a right-hand page: the chapter title, folio outside
                assert heads == {"@top-center": chapter.plain_title, "@top-right": folio}
                seen_right += 1
    assert seen_left > 3 and seen_right > 3
    # the appendices' folios are laid out in a document of their own: they go on counting
    appendices = [p for p in result.parts if p.kind == "appendix"]
    assert appendices
    for part in appendices:
        first = result.folios[part.key]
        assert first % 2 == 1 and margin_texts(result.folio_pages[first - 1]) == {"@bottom-center": str(first)}
        for offset in range(1, part.pages):
            folio, index = first + offset, part.first_index + offset
            side = "@top-left" if index % 2 == 1 else "@top-right"
            assert margin_texts(result.folio_pages[folio - 1]).get(side) == str(folio)
            assert str(folio) in texts[index].split()
    front = next(p for p in result.parts if p.kind == "front")
    assert margin_texts(front.document.pages[0]) == {}  # the title page
    assert margin_texts(front.document.pages[2]) == {"@bottom-center": "iii"}  # contents
    blanks = [p for p in result.parts if p.kind == "blank" and p.first_index >= result.front_pages]
    assert blanks and all(margin_texts(result.folio_pages[p.first_folio - 1]) == {} for p in blanks)


def test_bibliography_prints_exactly_the_cited_works_with_working_links(built):
    guide, result, reader, texts, _ = built
    start = physical(result, result.folios["appendix-bibliography"])
    bib_text = " ".join(" ".join(texts[start:]).split())
    for entry in guide.bibliography:
        assert " ".join(re.sub(r"<[^>]+>", "", str(entry.html)).split()[:4]) in bib_text
    assert "Nobody" not in bib_text  # not cited, not printed
    cited = {m for c in guide.chapters for s in c.sections
             for m in re.findall(r'href="#(ref-[^"]+)"', str(s.reading))}
    assert cited == {e.id for e in guide.bibliography}
    # every citation links to its entry, which sits in the bibliography
    names = reader.named_destinations
    for entry in guide.bibliography:
        assert reader.get_destination_page_number(names[entry.id]) >= start
    linked = set()
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            action = annot.get("/A")
            dest = annot.get("/Dest") or (action.get("/D") if action else None)
            if isinstance(dest, str):
                linked.add(str(dest))
    assert {e.id for e in guide.bibliography} <= linked, linked


def test_each_note_call_links_to_its_note_on_the_same_page(built):
    guide, result, reader, texts, _ = built
    names = reader.named_destinations
    calls = {}
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            action = annot.get("/A")
            dest = annot.get("/Dest") or (action.get("/D") if action else None)
            if isinstance(dest, str) and dest.startswith("fn-"):
                calls[str(dest)] = number
    notes = [n for c in guide.chapters for n in c.footnotes]
    assert set(calls) == {n.id for n in notes}
    for note_id, page in calls.items():
        assert reader.get_destination_page_number(names[note_id]) == page


def test_bookmarks_chapters_sections_and_appendices(built):
    guide, result, reader, texts, _ = built
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    expected = ["Contents"] + [f"{c.number}. {c.plain_title}" for c in guide.chapters] + [
        "Chronology", "Glossary", "Bibliography"]
    assert titles == expected
    first_chapter_children = outline[2]
    assert isinstance(first_chapter_children, list)
    assert [i.title for i in first_chapter_children] == [
        f"{s.number} {s.plain_title}" for s in guide.chapters[0].sections]
    chapter_item = outline[1]
    assert reader.get_destination_page_number(chapter_item) == physical(result, result.folios[guide.chapters[0].id])


def test_the_theme_css_gives_weasyprint_nothing_to_ignore(built):
    guide, result, reader, texts, _ = built
    assert [line for part in result.parts for line in part.log] == []
    assert all(not part.document.url_fetcher.refused for part in result.parts)


def test_metadata_page_size_and_internal_links(built):
    guide, result, reader, texts, _ = built
    assert reader.metadata.title == guide.plain_title
    assert reader.metadata.author == "Ana Rodríguez, Ben Lee"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    links = sum(len(p.get("/Annots", []) or []) for p in reader.pages)
    assert links > 20  # contents entries, citations


def test_figures_are_numbered_and_never_split(built):
    guide, result, reader, texts, _ = built
    all_text = " ".join(" ".join(texts).split())
    figures = [f for c in guide.chapters for s in c.sections for f in s.figures]
    assert len(figures) >= 4
    for figure in figures:
        assert f"Figure {figure.number}" in all_text
    pages_of: dict[str, set[int]] = {}
    for part in result.parts:
        for index, page in enumerate(part.document.pages):
            for box in pdf._walk(page._page_box):
                element = getattr(box, "element", None)
                if element is not None and (element.get("id") or "").startswith("fig-"):
                    pages_of.setdefault(element.get("id"), set()).add(part.first_index + index)
    assert set(pages_of) == {f.id for f in figures}
    assert all(len(pages) == 1 for pages in pages_of.values()), pages_of


def test_two_builds_give_identical_bytes(built):
    guide, result, reader, texts, root = built
    again = render_guide(make_guide(chapters=2, seed=3), make_env(None), [root])
    assert again.pdf == result.pdf


def test_letter_paper_and_another_language(tmp_path: Path):
    guide = make_guide(chapters=1, seed=5, paper="letter", lang="de", sections=1, paragraphs=3)
    result = render_guide(guide, make_env(None), [tmp_path])
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Inhalt" in text and "KAPITEL 1" in text and "Literaturverzeichnis" in text


# ---- problems and nudges (no layout) ------------------------------------------------------------

def _fake_part(guide, places) -> PartLayout:
    check = pdf.FootnoteCheck({p.id: p for p in places})
    return PartLayout("chapter", guide.chapters[0].id, document=None, first_folio=11, check=check)


def test_a_lost_note_is_an_error_naming_the_note_and_its_source_line():
    guide = make_guide(chapters=1, sections=1, paragraphs=3)
    note = guide.chapters[0].footnotes[1]
    problems = _problems(guide, [_fake_part(guide, [pdf.NotePlace(note.id, call_page=2, note_page=None)])], False)
    assert len(problems) == 1
    assert problems[0].severity == "error"
    assert problems[0].pos == note.pos and isinstance(problems[0].pos, Pos)
    assert f"footnote {note.number} of chapter 1" in problems[0].message
    assert "missing" in problems[0].message
    assert str(problems[0]).startswith(f"lectures/lecture-1.yaml:{note.pos.line}:")


def test_a_note_one_page_late_is_a_warning_and_an_error_under_strict():
    guide = make_guide(chapters=1, sections=1, paragraphs=3)
    note = guide.chapters[0].footnotes[0]
    part = _fake_part(guide, [pdf.NotePlace(note.id, call_page=3, note_page=4)])
    [warning] = _problems(guide, [part], False)
    assert warning.severity == "warning" and "page 14, 1 page after its call on page 13" in warning.message
    [error] = _problems(guide, [part], True)
    assert error.severity == "error"
    far = _fake_part(guide, [pdf.NotePlace(note.id, call_page=3, note_page=5)])
    assert _problems(guide, [far], False)[0].severity == "error"


def test_a_note_too_long_for_a_page_is_an_error():
    guide = make_guide(chapters=1, sections=1, paragraphs=3)
    note = guide.chapters[0].footnotes[0]
    part = _fake_part(guide, [pdf.NotePlace(note.id, call_page=3, note_page=3, overlaps_body=True)])
    [problem] = _problems(guide, [part], False)
    assert problem.severity == "error" and "too long" in problem.message


def test_blocks_are_numbered_and_nudges_target_exactly_those_blocks():
    html = ('<html><head><style>x{}</style></head><body><section><p>One</p><p class="x">Three '
            '<span class="footnote" id="fn-1-2" data-n="2">note</span></p><ul><li>a</li></ul>'
            '<link rel="x"><pre>code</pre></section></body></html>')
    numbered = number_blocks(html)
    assert '<p data-b="1">One' in numbered and '<p data-b="2" class="x">' in numbered
    assert '<li data-b="3">' in numbered and "<link rel" in numbered and "<pre>" in numbered
    nudged = with_nudges(numbered, ["2", "3", "2"])
    assert '<style>[data-b="2"], [data-b="3"] { ' + NUDGE + " }</style>" in nudged
    assert with_nudges(numbered, []) == numbered


def test_chapter_questions_are_not_printed_twice():
    guide = make_guide(chapters=1, sections=2, paragraphs=3)
    chapter = guide.chapters[0]
    chapter.questions = [q for s in chapter.sections for q in s.questions]
    html = GuideRenderer(guide, make_env(None), [Path(".")]).html("chapter", 1, chapter)
    for question in chapter.questions:
        assert html.count(str(question)) == 1


def test_a_note_longer_than_a_page_fails_the_guide_naming_it(tmp_path: Path):
    guide = make_guide(chapters=1, seed=2, sections=1, paragraphs=3)
    chapter = guide.chapters[0]
    note = chapter.footnotes[0]
    long_text = " ".join(["An endless note that no page can hold."] * 260)
    section = chapter.sections[0]
    old = f'data-n="1">{note.html}</span>'
    assert old in str(section.reading)
    section.reading = type(section.reading)(str(section.reading).replace(old, f'data-n="1">{long_text}</span>'))
    result = render_guide(guide, make_env(None), [tmp_path])
    errors = [p for p in result.problems if p.severity == "error"]
    assert any("footnote 1 of chapter 1 is too long" in p.message and p.pos == note.pos for p in errors), result.problems


def test_a_course_stylesheet_that_breaks_footnotes_is_caught(tmp_path: Path):
    """A course's own guide.css with fractional @footnote borders (the WeasyPrint bug): the
    build is told which notes left their page instead of printing them silently elsewhere.
    (On a wider page than the default, where this fixture shows the bug.)"""
    theme = tmp_path / "templates" / "guide"
    theme.mkdir(parents=True)
    default = Path(__file__).resolve().parent.parent / "templates" / "guide" / "guide.css"
    theme.joinpath("guide.css").write_text(
        default.read_text() + "\n@page { margin: 22mm 34mm 26mm 26mm; "
        "@footnote { border-top: .5pt solid; margin-top: 8pt; padding-top: 0; } }\n"
        "@page :left { margin-left: 34mm; margin-right: 26mm; }\n")
    guide = make_guide(chapters=1, seed=4, sections=2, paragraphs=5)
    result = render_guide(guide, make_env(tmp_path / "templates"), [tmp_path])
    misplaced = [p for p in result.problems if "footnote" in p.message]
    assert misplaced
    assert all(p.pos.path == "lectures/lecture-1.yaml" for p in misplaced)
    strict = render_guide(guide, make_env(tmp_path / "templates"), [tmp_path], strict=True)
    assert {p.severity for p in strict.problems if "footnote" in p.message} == {"error"}


def test_a_note_called_in_a_chapter_title_stays_out_of_contents_heads_and_bookmarks(tmp_path: Path):
    from markupsafe import Markup

    from lectern.text.view import Footnote

    guide = make_guide(chapters=1, seed=6, sections=1, paragraphs=6)
    chapter = guide.chapters[0]
    chapter.footnotes = [Footnote(0, "fn-1-0", Markup("Title note text."), Pos("lectures/lecture-1.yaml", 1, 8))] + chapter.footnotes
    chapter.title = Markup(f'{chapter.plain_title}<span class="footnote" id="fn-1-0" data-n="*">Title note text.</span>')
    result = render_guide(guide, make_env(None), [tmp_path])
    assert [p for p in result.problems if "footnote" in p.message] == []
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    assert [i.title for i in reader.outline if not isinstance(i, list)][1] == f"1. {chapter.plain_title}"
    assert "Title note text" not in reader.pages[2].extract_text()  # the contents
    part = next(p for p in result.parts if p.kind == "chapter")
    assert part.check.places["fn-1-0"].note_page == 1  # on the opener, with its call
    for page in part.document.pages[1:]:
        assert "Title note" not in " ".join(margin_texts(page).values())


def test_words_are_hyphenated_and_headings_kept_with_what_follows(built):
    from weasyprint.formatting_structure import boxes

    guide, result, reader, texts, _ = built
    lines = [line for text in texts for line in text.splitlines()]
    assert sum(line.rstrip().endswith("\u2010") for line in lines) > 10  # hyphenated by lang "en"
    headings = 0
    for part in result.parts:
        if part.kind != "chapter":
            continue
        for page in part.document.pages:
            body = [b for b in page._page_box.children
                    if not isinstance(b, (boxes.MarginBox, boxes.FootnoteAreaBox))]
            line_tops = [box.position_y for root in body for box in pdf._walk(root)
                         if isinstance(box, boxes.LineBox)]
            for root in body:
                for box in pdf._walk(root):
                    element = getattr(box, "element", None)
                    if (isinstance(box, boxes.BlockBox) and element is not None and element.tag in ("h2", "h3")
                            and box.element_tag in ("h2", "h3")):
                        headings += 1
                        below = [y for y in line_tops if y > box.position_y + box.margin_height() - 1]
                        assert below, f"heading {''.join(element.itertext())!r} ends a page"
    assert headings > 10
