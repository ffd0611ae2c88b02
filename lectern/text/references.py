"""A lecture's references split into pages that each fit one slide, by the lines they take there.

The line measure (LINE_CHARS, plain, _lines) is the deck's: lectern.deck.deck uses it to weigh
every slide's body (load_of) and imports it from here, so resolve (which splits a lecture's
references into slides) and the deck (which splits any list still too long) measure alike.
"""
from __future__ import annotations

import re

from .plain import plain
from .view import BibEntry

# Characters in a line across the slide at 32 px; a body holds about 13 such lines (see load_of).
LINE_CHARS = 76


def _lines(text: str, width: int) -> float:
    """How many lines a paragraph of `text` takes in a column `width` characters wide."""
    return max(1.0, -(-len(text) // width))


def _reference_cost(entry: BibEntry) -> float:
    """Body lines one bibliography entry takes (entries are set at two thirds of the body size)."""
    return _lines(plain(entry.html), int(LINE_CHARS / 0.66)) * 0.66 + 0.3


def split_references(entries: list[BibEntry], capacity: float = 12.0) -> list[list[BibEntry]]:
    """The references of a lecture in pages that each fit one slide (in order, none empty)."""
    pages: list[list[BibEntry]] = [[]]
    used = 0.0
    for entry in entries:
        cost = _reference_cost(entry)
        if pages[-1] and used + cost > capacity:
            pages.append([])
            used = 0.0
        pages[-1].append(entry)
        used += cost
    return pages
