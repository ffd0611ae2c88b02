"""Crowded slides, found on WeasyPrint's layout: content past its box, a slide broken over pages.

Measured as deck/js/scale.js measures a slide in the browser (see `overflowing`); the boxes are
those of a document laid out by `slidepages._layout`.
"""
from __future__ import annotations

INLINE_BOXES = ("TextBox", "InlineBox")


def _walk(box, out_of_flow: bool = False):
    """Boxes under `box` with whether they are absolutely positioned (or inside such a box)."""
    yield box, out_of_flow
    for child in getattr(box, "children", ()) or ():
        placed = getattr(child, "_box", None)  # WeasyPrint's placeholder of an absolutely positioned box
        if placed is not None:
            yield from _walk(placed, True)
        else:
            yield from _walk(child, out_of_flow)


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None and getattr(box, "element_tag", "") else []


def _slides(document):
    """(slide number, box) of every slide laid out in a document."""
    for page in document.pages:
        for box, _ in _walk(page._page_box):
            if getattr(box, "element_tag", None) == "section" and "slide" in _classes(box):
                yield int(box.element.get("data-n")), box


def _slide_pages(document) -> dict[int, set[int]]:
    """Slide number -> indices of the pages that show it."""
    pages: dict[int, set[int]] = {}
    for index, page in enumerate(document.pages):
        for box, _ in _walk(page._page_box):
            if getattr(box, "element_tag", None) == "section" and "slide" in _classes(box):
                pages.setdefault(int(box.element.get("data-n")), set()).add(index)
    return pages


def _overflows(container) -> bool:
    """Does anything in the normal flow of `container` reach past its padding box (by over 1 px)?"""
    bottom = container.padding_box_y() + container.padding_height() + 1
    right = container.padding_box_x() + container.padding_width() + 1
    for box, out_of_flow in _walk(container):
        if box is container or out_of_flow or not hasattr(box, "border_height"):
            continue
        if type(box).__name__ in INLINE_BOXES:
            continue  # glyphs may overhang a tight line height; the line box is what counts
        if box.border_box_y() + box.border_height() > bottom or box.border_box_x() + box.border_width() > right:
            return True
    return False


def overflowing(document) -> set[int]:
    """Numbers of the slides whose content does not fit them.

    As deck/js/scale.js measures it: content past the slide, its body, the body's children or
    the footnotes. And, on paper: a slide broken over two pages (its content ran past the
    page), or body text reaching into the footnotes or the foot of the slide (a text slide is
    laid out as blocks in print, so its body does not shrink to show the overflow).
    """
    crowded = set()
    seen: dict[int, int] = {}
    for number, slide in _slides(document):
        seen[number] = seen.get(number, 0) + 1
        parts, body, notes = [slide], None, None
        for box, out_of_flow in _walk(slide):
            classes = _classes(box)
            if "slide-body" in classes and not out_of_flow and body is None:
                body = box
                parts += [box] + [c for c in box.children if hasattr(c, "border_height")]
            elif "footnotes" in classes and notes is None:
                notes = box
                parts.append(box)
        if any(_overflows(part) for part in parts) or (body is not None and _runs_into_foot(slide, body, notes)):
            crowded.add(number)
    return crowded | {n for n, count in seen.items() if count > 1}


def _runs_into_foot(slide, body, notes) -> bool:
    """Does the body's text reach below the top of the footnotes, or below the slide's content box?"""
    limit = slide.content_box_y() + slide.height + 1
    if notes is not None:
        limit = min(limit, notes.position_y + 1)  # the footnotes' margin box: their gap above
    for box, out_of_flow in _walk(body):
        if box is body or out_of_flow or not hasattr(box, "border_height") or type(box).__name__ in INLINE_BOXES:
            continue
        if box.border_box_y() + box.border_height() > limit:
            return True
    return False
