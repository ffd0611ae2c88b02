"""Figures and short key-point boxes float: a page they leave short is filled with the text after them.

    html = number_floats(html)                 # <figure data-f="1">, <aside class="key-points" data-f="2">
    for f in pushed_floats(document):          # after layout: floats that left a page short
        html = defer_to_fill(html, f, document)  # ... moved down past what fills the gap, laid out again

A figure or a short key-points box is never split (guide.css), so when it does not fit at the
foot of a page it starts the next one, and the page it left ends early: a quarter page blank
above a chart. A book lets such a block float to the next page and fills the page with the text
that follows it. WeasyPrint 70 has no page floats, so the guide does it in the HTML: after a
layout, a float that starts a page after a page with more than SHORT_LINES blank lines is
moved after the next paragraph (or closing block) that follows it, and the part is laid out again.
The blocks it passes are measured where the layout put them (after the float, on the next
page): while they would all fit in the gap and leave it more than SHORT_LINES lines short, the
float is moved past the next block too, so that one more layout, not one a paragraph, fills
the page (`defer_to_fill`). print/watch applies it as the layout goes to a chapter's first
two such floats: the layout stops at each, moves it on the pages as they are, and goes on from
the short page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LINE = 21  # px: the reading's line height (guide.css)
SHORT_LINES = 3  # blank lines at most at the foot of a page that a float left
MARGIN_SLACK = 0  # px taken off the gap's estimate (the blocks' margins move it by about a margin either way)
MOST_PASSED = 12  # blocks a float is moved past after one layout
FLOAT_RE = re.compile(r'<(figure|aside)(?=[\s>])(?![^>]*data-f=)')
TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*?)(/?)>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# what a float may be moved after: a block of a reading, or a block closing a section or chapter
CLOSERS = ("questions", "chapter-questions", "further-reading")


def number_floats(html: str) -> str:
    """Give every figure and key-points box a data-f number (the boxes the template marks)."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        tag = match.group(1)
        if tag == "aside" and not re.match(r'<aside[^>]*class="[^"]*key-points', html[match.start():match.start() + 200]):
            return match.group()
        count += 1
        return f'<{tag} data-f="{count}"'

    return FLOAT_RE.sub(number, html)


def _walk(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


@dataclass(frozen=True)
class Pushed:
    """A float that starts a page after leaving the page before short."""

    number: str  # its data-f
    page: int  # 0-based index of the page it starts
    blank: float  # px of blank space it left at the foot of the page before


def pushed_floats(document, short_lines: int = SHORT_LINES) -> list[Pushed]:
    """The floats that start a page after a page left with more than `short_lines` blank lines
    above its notes (or its foot)."""
    found = []
    pages = document.pages
    for index, (page, following) in enumerate(zip(pages, pages[1:])):
        blank = page_blank(page._page_box)
        if blank // LINE <= short_lines:
            continue
        first = first_float(following._page_box)
        if first:
            found.append(Pushed(first, index + 1, blank))
    return found


def page_blank(page_box) -> float:
    """The blank space (px) between a laid-out page's last line of body and its notes (or its foot)."""
    from weasyprint.formatting_structure import boxes
    return _blank(page_box, boxes)


def first_float(page_box) -> str | None:
    """The data-f of the float a laid-out page's body starts with (None when it starts with text)."""
    from weasyprint.formatting_structure import boxes
    return _first_float(page_box, boxes)


def _blank(page_box, boxes) -> float:
    """The blank space (px) between a page's last line of body and its notes (or its foot)."""
    limit = page_box.content_box_y() + page_box.height
    bottom = None
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox):
            if child.children:
                limit = child.position_y + child.margin_top  # the notes' rule
        elif not isinstance(child, boxes.MarginBox):
            for box in _walk(child):
                if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
                    end = box.position_y + box.margin_height()
                elif _painted(box):  # a key-points box: its padding and background end it
                    end = box.position_y + box.margin_height() - box.margin_bottom
                else:
                    continue
                bottom = end if bottom is None else max(bottom, end)
    return 0 if bottom is None else limit - bottom


def _painted(box) -> bool:
    """A block with a background or a border, whose edge the reader sees."""
    style = getattr(box, "style", None)
    if style is None or not hasattr(box, "border_top_width"):
        return False
    return style["background_color"].alpha > 0 or box.border_left_width > 0 or box.border_bottom_width > 0


def _first_float(page_box, boxes) -> str | None:
    """The data-f of the float the page's body starts with (None when it starts with text)."""
    for child in page_box.children:
        if isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            continue
        for box in _walk(child):
            element = getattr(box, "element", None)
            if element is None or isinstance(box, boxes.LineBox):
                continue
            if element.get("data-f"):
                return element.get("data-f")
            if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) or element.get("data-b"):
                return None  # text (or a block of text) comes first
    return None


def defer(html: str, number: str) -> str:
    """`html` with float `number` moved after the next block of a reading (or the next block
    closing its section or chapter) that follows it; unchanged when none follows."""
    return _deferred(html, number)[0]


def _deferred(html: str, number: str) -> tuple[str, str]:
    """`defer`'s HTML, and the HTML the float was moved past ("" when it was not moved)."""
    start = html.find(f'data-f="{number}"')
    if start < 0:
        return html, ""
    start = html.rfind("<", 0, start)
    end = _element_end(html, start)
    target = _next_block_end(html, end) if end else None
    if target is None:
        return html, ""
    return html[:start] + html[end:target] + html[start:end] + html[target:], html[end:target]


def defer_to_fill(html: str, pushed: Pushed, document, short_lines: int = SHORT_LINES) -> str:
    """`html` with the pushed float moved down past the next block (`defer`), and past the one
    after while the blocks passed, as `document` laid them out after the float, would leave the
    gap above it more than `short_lines` lines short. A block run on to the page after (or not
    found) is taken to fill the gap: the next layout shows whether it did."""
    from weasyprint.formatting_structure import boxes

    pages = document.pages
    here = pages[pushed.page]._page_box
    after = pages[pushed.page + 1]._page_box if pushed.page + 1 < len(pages) else None
    float_end = _bottom_of(here, {("f", pushed.number)}, boxes)
    passed: set[tuple[str, str]] = set()
    for _ in range(MOST_PASSED):
        moved, over = _deferred(html, pushed.number)
        if not over:
            return html
        html = moved
        passed |= set(re.findall(r'data-(b|f)="(\d+)"', over))
        end = _bottom_of(here, passed, boxes)
        if float_end is None or end is None or (after is not None and _bottom_of(after, passed, boxes) is not None):
            return html  # on the next page too (or not found): the gap is taken to be filled
        if (pushed.blank - (end - float_end) - MARGIN_SLACK) // LINE <= short_lines:
            return html
    return html


def _bottom_of(page_box, wanted: set[tuple[str, str]], boxes) -> float | None:
    """The lowest margin edge on a page of the boxes of these (data-b or data-f) elements, or None."""
    keys = {(f"data-{kind}", value) for kind, value in wanted}
    bottom = None
    for box in _walk(page_box):
        element = getattr(box, "element", None)
        if element is None or isinstance(box, (boxes.LineBox, boxes.TextBox)) or not hasattr(box, "margin_height"):
            continue
        if any(element.get(attr) == value for attr, value in keys):
            end = box.position_y + box.margin_height()
            bottom = end if bottom is None else max(bottom, end)
    return bottom


def _element_end(html: str, start: int) -> int | None:
    """The index just after the element starting at `start` (its matching end tag)."""
    depth = 0
    for tag in TAG_RE.finditer(html, start):
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(4)
        if name in VOID or self_closing:
            continue
        depth += -1 if closing else 1
        if depth == 0:
            return tag.end()
    return None


def _opening_tags(html: str, stack: list[str], start: int = 0, end: int | None = None):
    """The opening tags from `start` (to `end`) as (match, attributes, classes), keeping `stack`
    (the elements open, "reading" for a reading) up to date; each is pushed once yielded."""
    for tag in TAG_RE.finditer(html, start, len(html) if end is None else end):
        closing, name, attrs, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3), tag.group(4)
        if name in VOID or self_closing:
            continue
        if closing:
            if stack:
                stack.pop()
            continue
        found = re.search(r'class="([^"]*)"', attrs)
        classes = found.group(1).split() if found else []
        yield tag, attrs, classes
        stack.append("reading" if "reading" in classes else name)


def _next_block_end(html: str, pos: int) -> int | None:
    """The end of the first element after `pos` that is a child of a reading or a closing block
    (a float already moved into a reading passes the paragraph after it, not the reading's rest)."""
    stack: list[str] = []
    for _ in _opening_tags(html, stack, 0, pos):
        pass  # the elements open at pos
    for tag, attrs, classes in _opening_tags(html, stack, pos):
        parent = stack[-1] if stack else ""
        if "data-f=" not in attrs and (parent == "reading" or set(classes) & set(CLOSERS)):
            return _element_end(html, tag.start())
    return None
