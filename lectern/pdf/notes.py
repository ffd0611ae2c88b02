"""Reads the laid-out pages: where each footnote and its call ended up (and each page's text, for tests)."""
from __future__ import annotations

from dataclasses import dataclass, field

import weasyprint
from weasyprint.formatting_structure import boxes as wboxes


@dataclass
class NotePlace:
    id: str
    call_page: int | None = None  # 1-based page of the call in the body
    note_page: int | None = None  # 1-based page where the note is in the footnote area
    overlaps_body: bool = False  # note painted over body text (longer than the page area)
    call_block: str | None = None  # `block_attr` of the block whose line holds the call
    page_end_block: str | None = None  # `block_attr` of the block that ends the call's page


@dataclass
class FootnoteCheck:
    """Where every expected footnote ended up after layout."""

    places: dict[str, NotePlace] = field(default_factory=dict)

    @property
    def lost(self) -> list[NotePlace]:
        return [p for p in self.places.values() if p.note_page is None]

    @property
    def moved(self) -> list[NotePlace]:
        return [p for p in self.places.values()
                if p.note_page is not None and p.call_page is not None
                and p.note_page != p.call_page]

    @property
    def overlapping(self) -> list[NotePlace]:
        return [p for p in self.places.values() if p.overlaps_body]


def _walk(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


def _bottom(box) -> float:
    return box.position_y + box.margin_height()


def _block_of(line, block_attr: str) -> str | None:
    element = getattr(line, "element", None)
    return element.get(block_attr) if element is not None and block_attr else None


def check_footnotes(document: weasyprint.Document, ids: list[str],
                    block_attr: str = "data-b") -> FootnoteCheck:
    """Find each footnote (by element id) in the footnote areas and each call in the body.

    When the HTML numbers its blocks with `block_attr`, each place also names the block that
    holds the call and the block that ends the call's page (what a retry may adjust).
    """
    check = FootnoteCheck({i: NotePlace(i) for i in ids})
    for number, page in enumerate(document.pages, 1):
        area, body_lines = _find_calls(page._page_box, number, check, block_attr)
        if area is not None:
            _find_notes(area, number, check, body_lines)
    return check


def _find_calls(page_box, number: int, check: FootnoteCheck,
                block_attr: str) -> tuple[object | None, list]:
    """Mark the calls first found on page `number`; the page's footnote area (or None) and the
    lines of its body."""
    area = None
    body_lines = []
    calls = []
    for child in page_box.children:
        if isinstance(child, wboxes.FootnoteAreaBox):
            area = child
        elif not isinstance(child, wboxes.MarginBox):
            line = None
            for box in _walk(child):
                if isinstance(box, wboxes.LineBox):
                    body_lines.append(box)
                    line = box
                note = getattr(box, "footnote", None)
                if note is not None and note.element is not None:
                    place = check.places.get(note.element.get("id"))
                    if place is not None and place.call_page is None:
                        place.call_page = number
                        place.call_block = _block_of(line, block_attr)
                        calls.append(place)
    if body_lines:
        last = max(body_lines, key=_bottom)
        for place in calls:
            place.page_end_block = _block_of(last, block_attr)
    return area, body_lines


def _find_notes(area, number: int, check: FootnoteCheck, body_lines: list) -> None:
    """Mark the notes first found in page `number`'s footnote `area`, and the tallest as
    painted over the body when the area starts above the body's last line."""
    body_bottom = max((_bottom(line) for line in body_lines), default=0)
    notes = []
    for note in area.children:
        element = getattr(note, "element", None)
        place = check.places.get(element.get("id")) if element is not None else None
        if place is None:
            continue
        notes.append((note, place))
        if place.note_page is None:
            place.note_page = number
    if notes and area.position_y < body_bottom - 0.5:
        # the footnote area starts above the last line of body text: it is painted over
        # the body; blame the tallest note (a note longer than the page area)
        tallest = max(notes, key=lambda item: item[0].margin_height())
        tallest[1].overlaps_body = True


def page_texts(document: weasyprint.Document) -> list[str]:
    """The text of each laid-out page (body, footnotes and margin boxes), for tests."""
    texts = []
    for page in document.pages:
        parts = [box.text for box in _walk(page._page_box) if isinstance(box, wboxes.TextBox)]
        texts.append(" ".join(parts))
    return texts
