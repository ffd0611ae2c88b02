"""A document laid out again from a given page on, the pages before it taken from its last layout.

When a guide's part is laid out again after a repair (print/repairs: a figure moved, a word kept
whole), the pages before the first page the repair touches come out as they did: a page's
layout depends on what comes before it and on itself, never on what follows. WeasyPrint 70 makes
its pages one after the other from a state it keeps per page (`context.page_maker`: where the
page resumes in the box tree, its counters, its side); this lays the new HTML out from page `k`
with the last layout's state at page `k`, and puts the last layout's first `k` pages before it.

    engine.render(html, ..., keep=True)                 # the document keeps its layout state
    engine.render(new_html, ..., resume=Resume(last, k))  # pages [:k] from `last`, the rest new

A layout may also be stopped early: with `stop` set (`begin(resume, stop)`), `stop(pages)` is
asked after each page is made (all the document's pages so far); when it says so, the layout
ends there and the document holds only those pages (`stopped(document)`), ready to be resumed
from after its HTML is mended (print/watch: a float that left a page short).

It applies only where the state carried over is the whole state: the new HTML's boxes up to page
`k` are the same (the caller chooses `k` before anything it changed), no footnote is carried over
the boundary and every footnote called before it is placed before it, nothing floats or is
positioned across it, no page-based counter has to be looked up again, and the page count is
the same when the margins print it. Otherwise it raises
`CannotResume` before laying anything out, and the caller lays the document out whole.

    resume.install()     # once a process (pdf/engine.py does it at import)
    resume.INSTALLED     # False when this WeasyPrint's code is not the one this was made for
"""
from __future__ import annotations

import copy
import threading
from dataclasses import dataclass

from weasyprint import document as wdocument
from weasyprint import layout as wlayout
from weasyprint.formatting_structure import boxes
from weasyprint.layout import background, layout_fixed_boxes, page as wpage
from weasyprint.layout import layout_document as ORIGINAL

INSTALLED = False
_local = threading.local()  # .resume: the Resume of the document being laid out; .context: its context;
# .stop: asked after each page whether to end the layout there; .stopped: whether it did
ORIGINAL_PAGES = wpage.make_all_pages


class CannotResume(Exception):
    """The last layout's state at the page asked for is not one this can carry over."""


@dataclass
class Resume:
    document: object  # the last layout (rendered with keep=True)
    page: int  # 0-based: the first page laid out again


def layout_document(html, root_box, context, max_loops=8):
    """WeasyPrint's `layout_document`, or (while a Resume is set) its pages from the resume page on."""
    _local.context = context
    resume = getattr(_local, "resume", None)
    if resume is None:
        yield from ORIGINAL(html, root_box, context, max_loops)
        return
    yield from _resumed(html, root_box, context, resume)


def make_all_pages(context, root_box, html, pages):
    """WeasyPrint's `make_all_pages`, ended early when the layout's `stop` asks for it."""
    stop = getattr(_local, "stop", None)
    if stop is None:
        yield from ORIGINAL_PAGES(context, root_box, html, pages)
        return
    made = []
    for page in ORIGINAL_PAGES(context, root_box, html, pages):
        made.append(page)
        yield page
        if stop(made):
            _stop_at(context, len(made))
            return


def _stop_at(context, count: int) -> None:
    """End the layout after `count` pages. The state kept to make page `count` asks for it to
    be made (`content_changed`); it never will be from this layout, and the flag would make
    WeasyPrint lay the document out again (or a resumed layout refuse): cleared."""
    context.page_maker = context.page_maker[:count + 1]
    context.page_maker[count][-1]["content_changed"] = False
    _local.stopped = True


def _resumed(html, root_box, context, resume: Resume):
    last = resume.document._lectern_layout
    k = resume.page
    old_pages = [p._page_box for p in resume.document.pages]
    if not 0 < k < len(old_pages) or last.broken_out_of_flow or last.running_elements:
        raise CannotResume
    placed = _footnote_ids(old_pages[:k])
    if len(placed) != len(set(placed)) or None in placed or set(_called(old_pages[:k])) != set(placed):
        raise CannotResume  # a note carried over the boundary, or one placed without its call
    context.page_maker = [copy.deepcopy(entry) for entry in last.page_maker[:k + 1]]  # all WeasyPrint's own start sets
    context.footnotes = [f for f in context.footnotes if f.element.get("id") not in placed]
    if len(context.footnotes) != last.footnote_count - len(placed):
        raise CannotResume  # the new HTML has other footnotes before the page
    for name, pages in last.string_set.items():
        for number, texts in pages.items():
            if number <= k:
                context.string_set[name][number] = list(texts)
    context.rendered_notes = []
    new_pages = []
    stop = getattr(_local, "stop", None)
    i = k
    while True:
        state = context.page_maker[i][-1]
        state.update(content_changed=False, pages_wanted=False, anchors=[], content_lookups=[])
        page, resume_at = wpage.remake_page(i, context, root_box, html)
        new_pages.append(page)
        i += 1
        if resume_at is None and not context.reported_footnotes:
            break
        if stop is not None and stop(old_pages[:k] + new_pages):
            _stop_at(context, i)
            break
    context.page_maker = context.page_maker[:i + 1]
    if any(entry[-1]["content_changed"] or entry[-1]["pages_wanted"] for entry in context.page_maker[k + 1:]):
        raise CannotResume  # a page-based counter to look up again: lay it out whole
    total = k + len(new_pages)
    if total != len(old_pages) and last.shows_total:
        raise CannotResume  # the earlier pages' margins print the old page count
    for _, _, _, page_state, _ in context.page_maker:
        page_state[1]["pages"] = [total]
    _strings(context, new_pages, k)
    yield from old_pages[:k]
    pages = old_pages[:k] + new_pages
    for j, page in enumerate(new_pages):
        i = k + j
        root, footnote_area, note_area = page.children
        root.children = (list(layout_fixed_boxes(context, pages[:i], page)) + list(root.children)
                         + list(layout_fixed_boxes(context, pages[i + 1:], page)))
        context.current_page = i + 1
        state = context.page_maker[context.current_page][3]
        children = [root]
        if footnote_area.children:
            children.append(footnote_area)
        if note_area.children:
            children.append(note_area)
        children.extend(wpage.make_margin_boxes(context, page, state))
        page.children = tuple(children)
        background.layout_backgrounds(page, context.get_image_from_uri)
        yield page


def _strings(context, new_pages, k: int) -> None:
    """WeasyPrint's bookmark and string-set pass, for the new pages (page numbers from k + 1)."""
    watch = {"": [], "::before": [], "::after": []}
    for j, page in enumerate(new_pages):
        for child in page.descendants():
            if child.bookmark_label:
                kind = "::before" if child.element_tag.endswith("::before") else (
                    "::after" if child.element_tag.endswith("::after") else "")
                if child.element in watch[kind]:
                    child.bookmark_label = ""
                else:
                    watch[kind].append(child.element)
            if child.missing_link:
                raise CannotResume  # a target counter: WeasyPrint's own pass resolves it
            string_sets = child.string_set
            if string_sets and string_sets != "none":
                for string_name, text in string_sets:
                    context.string_set[string_name][k + j + 1].append(text)


def _called(pages) -> list:
    """The ids of the footnotes called on these pages."""
    out = []
    for page in pages:
        for box in page.descendants():
            note = getattr(box, "footnote", None)
            if note is not None:
                out.append(note.element.get("id") if note.element is not None else None)
    return out


def _footnote_ids(pages) -> list:
    out = []
    for page in pages:
        for child in page.children:
            if isinstance(child, boxes.FootnoteAreaBox):
                for note in child.children:
                    out.append(note.element.get("id") if note.element is not None else None)
    return out


class _Layout:
    """What a laid-out document keeps of its layout for a later Resume."""

    def __init__(self, context, pages):
        self.page_maker = context.page_maker
        self.string_set = {name: dict(pages_) for name, pages_ in context.string_set.items()}
        self.running_elements = {name: p for name, p in context.running_elements.items() if any(p.values())}
        self.broken_out_of_flow = dict(context.broken_out_of_flow)
        # notes placed, still to come, and (in a layout stopped early) put off to the next page
        self.footnote_count = len(_footnote_ids(pages)) + len(context.footnotes) + len(context.reported_footnotes)
        self.shows_total = _shows_total(context)


def _shows_total(context) -> bool:
    """Whether a page's margin boxes may print the page count (`counter(pages)`): conservative,
    any page style whose content names `pages`."""
    for key, style in getattr(context.style_for, "_computed_styles", {}).items():
        if isinstance(key[0], wpage.PageType) and style is not None and "pages" in repr(style.get("content")):
            return True
    return False



def begin(resume: Resume | None, stop=None) -> None:
    """Lay the next document of this thread out from `resume` (None: whole), asking `stop`
    (when given) after each page whether to end the layout there."""
    _local.resume = resume
    _local.context = None
    _local.stop = stop
    _local.stopped = False


def keep(document) -> None:
    """Keep on `document` what a later Resume needs of the layout just made, and whether its
    layout was stopped early (`stopped`)."""
    context = getattr(_local, "context", None)
    if context is not None:
        document._lectern_layout = _Layout(context, [p._page_box for p in document.pages])
    document._lectern_stopped = bool(getattr(_local, "stopped", False))
    _local.resume = None
    _local.context = None
    _local.stop = None
    _local.stopped = False


def stopped(document) -> bool:
    """Whether the document's layout was ended early by its `stop` (it holds only the pages so far)."""
    return getattr(document, "_lectern_stopped", False)


def install() -> bool:
    """Use `layout_document` in WeasyPrint's Document (idempotent); whether it is in use."""
    global INSTALLED
    if INSTALLED:
        return True
    if getattr(wdocument, "layout_document", None) is not ORIGINAL or wlayout.make_all_pages is not ORIGINAL_PAGES:
        return False
    wdocument.layout_document = layout_document
    wlayout.make_all_pages = make_all_pages
    INSTALLED = True
    return True
