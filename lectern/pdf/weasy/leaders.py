"""Draws a dot leader (the contents' `leader(". ")`) as one run of text instead of one per dot.

WeasyPrint 70 fills a leader with a copy of its text box per repetition, and painting sets up a
Pango layout again for every box: a guide's contents at 20 lectures has some 7,000 of them, about
a second of painting. Here, once WeasyPrint has placed the copies (`layout.leader.handle_leader`),
they are replaced by one text box holding the repetitions, where the first copy began: its width
is theirs, and each dot falls where its copy was (the copies sat edge to edge).

    leaders.install()     # once a process, before layout (pdf/engine.py does it at import)
    leaders.INSTALLED     # False when this WeasyPrint does not have the function: nothing changed
"""
from __future__ import annotations

from weasyprint.layout import inline
from weasyprint.layout.leader import leader_index
from weasyprint.text.line_break import create_layout

from .rewrite import swapped

INSTALLED = False
ORIGINAL = getattr(inline, "handle_leader", None)  # for tests: WeasyPrint's own


def handle_leader(context, line, containing_block):
    """WeasyPrint's, then the copies merged into one box."""
    ORIGINAL(context, line, containing_block)
    _, leader = leader_index(line)
    copies = leader.children if leader is not None else ()
    if len(copies) < 2 or len({c.text for c in copies}) != 1:
        return
    first = min(copies, key=lambda c: c.position_x)
    merged = first.copy_with_text(first.text * len(copies))
    merged.width = first.width * len(copies)
    merged.pango_layout = create_layout(merged.text, first.style, context, None, 0)
    merged.pango_layout.deactivate()  # as WeasyPrint leaves its boxes: painting sets it up again
    leader.children = (merged,)


def install() -> bool:
    """Use `handle_leader` for layout (idempotent); whether it is in use."""
    global INSTALLED
    if ORIGINAL is None:
        return False
    inline.handle_leader = handle_leader
    INSTALLED = True
    return True


def weasyprint_own():
    """For tests: lay out leaders as WeasyPrint does, for as long as the block runs."""
    return swapped(ORIGINAL, (inline, "handle_leader"))
