"""A guide part laid out again after a repair starts from the page before the first page the
repair touches (pdf/weasy/resume): the result is the part laid out whole, byte for byte."""
from __future__ import annotations

import sys

import pytest

from helpers import ROOT
from lectern import pdf
from lectern.pdf.weasy import resume

pytestmark = pytest.mark.pdf


@pytest.fixture
def resumed(monkeypatch) -> list[tuple[int, int]]:
    """(resume page, pages in the document) of every layout that resumed, as they are made."""
    made = []
    real = resume._resumed

    def counting(html, root_box, context, at):
        pages = list(real(html, root_box, context, at))
        made.append((at.page, len(pages)))
        yield from pages
    monkeypatch.setattr(resume, "_resumed", counting)
    return made


def _course(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from gen_course import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return generate(tmp_path / "course", "S")  # a 20-page guide whose chapter is repaired twice


def _guide(course):
    from lectern.pipeline import check
    from lectern.print.guide import render_guide
    from lectern.text.resolve import resolve
    from lectern.theme.templates import make_env
    checked = check(course)
    resolved = resolve(checked.course, checked.markup, checked.marks)
    return render_guide(resolved.guide, make_env(checked.course.templates), [checked.course.root])


def test_a_repaired_part_laid_out_from_its_first_touched_page_is_the_part_laid_out_whole(tmp_path, monkeypatch, resumed):
    assert resume.INSTALLED
    course = _course(tmp_path)
    laid_out = _guide(course)
    assert resumed and all(0 < k < n for k, n in resumed)  # the repairs were laid out from a page on

    monkeypatch.setattr(resume, "INSTALLED", False)  # every layout whole
    whole = _guide(course)
    assert laid_out.pages == whole.pages == 20
    assert laid_out.pdf == whole.pdf


NOTES = "<style>@page { size: A6; margin: 10mm } .fn { float: footnote }</style>"


def _para(i: int, note: bool) -> str:
    call = f'<span class="fn" id="fn-{i}">Note {i}.</span>' if note else ""
    return f"<p>Paragraph {i} " + "words and more words " * 12 + f"{call}</p>"


def test_a_resume_that_cannot_carry_the_state_over_lays_the_document_out_whole(tmp_path):
    """A footnote added before the resume page (the new HTML's boxes differ there) or a page out
    of range: the layout is made whole, and is the same as a layout never asked to resume."""
    first = NOTES + "".join(_para(i, i % 3 == 0) for i in range(30))
    last = pdf.render(first, tmp_path, [tmp_path], keep=True)
    assert len(last.pages) > 4
    changed = NOTES + _para(99, True) + "".join(_para(i, i % 3 == 0) for i in range(30))
    plain = pdf.page_texts(pdf.render(changed, tmp_path, [tmp_path]))
    for page in (3, 0, len(last.pages) + 2):
        again = pdf.render(changed, tmp_path, [tmp_path], resume=pdf.Resume(last, page))
        assert pdf.page_texts(again) == plain


def test_resuming_the_same_html_from_any_page_gives_the_same_pages(tmp_path, resumed):
    html = NOTES + "".join(_para(i, i % 4 == 1) for i in range(30))
    whole = pdf.render(html, tmp_path, [tmp_path], keep=True)
    texts = pdf.page_texts(whole)
    boxes = [[(round(b.position_x, 3), round(b.position_y, 3)) for b in pdf._walk(p._page_box)] for p in whole.pages]
    for page in range(1, len(whole.pages)):
        again = pdf.render(html, tmp_path, [tmp_path], resume=pdf.Resume(whole, page))
        assert pdf.page_texts(again) == texts
        assert [[(round(b.position_x, 3), round(b.position_y, 3)) for b in pdf._walk(p._page_box)]
                for p in again.pages] == boxes
    boxes_of = [p._page_box for p in whole.pages]
    carried = [k for k in range(1, len(whole.pages))  # a note called before page k, placed on or after it
               if set(resume._called(boxes_of[:k])) != set(resume._footnote_ids(boxes_of[:k]))]
    assert [k for k, _ in resumed] == [k for k in range(1, len(whole.pages)) if k not in carried]
    assert len(resumed) > len(carried)


def test_a_layout_stopped_at_any_page_and_resumed_gives_the_pages_laid_out_whole(tmp_path, resumed):
    """`stop` ends a layout after the page it names (the document holds only the pages so far);
    resumed from any page before that, with a stop further on or none, the pages are those of
    one layout never stopped: texts, box positions and the footnotes at their calls' feet
    (WeasyPrint would otherwise have laid the stopped document out again, or a resume refused)."""
    html = NOTES + "".join(_para(i, i % 4 == 1) for i in range(30))
    whole = pdf.render(html, tmp_path, [tmp_path], keep=True)
    texts = pdf.page_texts(whole)
    boxes = [[(round(b.position_x, 3), round(b.position_y, 3)) for b in pdf._walk(p._page_box)] for p in whole.pages]
    n = len(whole.pages)
    assert n > 6 and not pdf.stopped(whole)
    boxes_of = [p._page_box for p in whole.pages]
    carried = {k for k in range(1, n)  # a note called before page k, placed on or after it: refused
               if set(resume._called(boxes_of[:k])) != set(resume._footnote_ids(boxes_of[:k]))}
    for at in range(2, n - 1):
        stopped = pdf.render(html, tmp_path, [tmp_path], keep=True, stop=lambda pages, at=at: len(pages) == at)
        assert pdf.stopped(stopped) and len(stopped.pages) == at
        assert pdf.page_texts(stopped) == texts[:at]
        for page in range(1, at):
            resumed.clear()
            stop_again = min(at + 2, n - 1)  # stopped once more further on, then resumed to the end
            part = pdf.render(html, tmp_path, [tmp_path], keep=True, resume=pdf.Resume(stopped, page),
                              stop=lambda pages, s=stop_again: len(pages) == s)
            assert bool(resumed) == (page not in carried), (at, page)
            if not resumed:
                continue
            assert pdf.stopped(part) and len(part.pages) == stop_again
            rest = pdf.render(html, tmp_path, [tmp_path], keep=True, resume=pdf.Resume(part, stop_again - 1))
            assert not pdf.stopped(rest)
            assert pdf.page_texts(rest) == texts
            assert [[(round(b.position_x, 3), round(b.position_y, 3)) for b in pdf._walk(p._page_box)]
                    for p in rest.pages] == boxes


@pytest.mark.parametrize("margin", ["counter(page) ' / ' counter(pages)", "counter(page)"])
def test_a_resumed_document_whose_page_count_changes_prints_the_new_count(tmp_path, resumed, margin):
    """Pages taken from the last layout had their margins made then: when they print the page
    count and it changed, the document is laid out whole; a plain folio resumes."""
    css = f"<style>@page {{ size: A6; margin: 15mm; @bottom-center {{ content: {margin} }} }}</style>"
    paras = [f"<p>Paragraph {i} " + "words " * 30 + "</p>" for i in range(26)]
    last = pdf.render(css + "".join(paras[:20]), tmp_path, [tmp_path], keep=True)
    longer = css + "".join(paras)
    whole = pdf.page_texts(pdf.render(longer, tmp_path, [tmp_path]))
    again = pdf.page_texts(pdf.render(longer, tmp_path, [tmp_path], resume=pdf.Resume(last, 3)))
    assert again == whole and len(whole) > len(last.pages)
    assert [k for k, _ in resumed] == ([] if "pages" in margin else [3])
