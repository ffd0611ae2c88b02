"""Keeps a footnote on its call's page: WeasyPrint's one layout rule that moves notes away, switched off.

WeasyPrint 70, in `layout.block._linebox_layout`: when a paragraph has one line on a page and
its second line does not fit (`orphans: 2`), it moves the page's last footnote to the next page
to make room for that line. The note then sits a page after its call. Lectern's rule is the
other way round (`footnote-policy: line` in guide.css): a note stays with its call and the text
moves. With the rule switched off, such a paragraph simply starts on the next page.

    notekeep.install()     # once a process, before layout (pdf/engine.py does it at import)
    notekeep.INSTALLED     # False when this WeasyPrint's code did not match: nothing changed

Switched off by rewriting one line of that function's source, and only when the line is found
exactly as WeasyPrint 70 has it. Otherwise WeasyPrint is left alone and the guide's nudging
(print/guide.py `lay_out`, which lays a part out again when a note moved) still brings every
note back to its call's page, at the price of a second layout.
"""
from __future__ import annotations

from weasyprint.layout import block

from .rewrite import rewritten, swapped

RULE = "report = not context.in_column and can_break_now and not could_break_before"
INSTALLED = False
ORIGINAL = block._linebox_layout  # for tests: WeasyPrint's own behaviour


def install() -> bool:
    """Switch the rule off (idempotent); whether it is off."""
    global INSTALLED
    if not INSTALLED:
        changed = rewritten(ORIGINAL, {RULE: "report = False"})
        if changed is None:
            return False
        block._linebox_layout = changed
        INSTALLED = True
    return True


def weasyprint_rule():
    """For tests: lay out with WeasyPrint's own rule for as long as the block runs."""
    return swapped(ORIGINAL, (block, "_linebox_layout"))
