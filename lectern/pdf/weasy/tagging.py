"""PDF tags WeasyPrint 70 leaves out: a footnote tagged Note, a formula Formula, an SVG's alternative text whole.

WeasyPrint 70 (`pdf.tags._build_box_tree`) tags a footnote as the element it is made from (a
Span), and gives an inline SVG the text of its <title> alone as /Alt: a chart's title, without
the values its <desc> gives, and nothing for an SVG picture labelled only by `aria-label`.
Here, once WeasyPrint has tagged a box:
- a footnote (a box of the footnote area) becomes a Note, with its element's id as /ID
  (PDF/UA asks a Note for one);
- a typeset formula (an <img class="math-img">, tagged /Figure with its LaTeX as /Alt) becomes
  a Formula, keeping that /Alt; so does a slide's formula in a handout (an inline <svg> whose
  `data-latex` gives its /Alt);
- an SVG's /Alt is its title and its description ("Title. Description"), or its `aria-label`
  when it has neither.

    tagging.install()     # once a process, before PDFs are written (pdf/engine.py does it at import)
    tagging.INSTALLED     # False when this WeasyPrint does not have the function: nothing changed
"""
from __future__ import annotations

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags

from .rewrite import swapped

INSTALLED = False
ORIGINAL = getattr(tags, "_build_box_tree", None)  # for tests: WeasyPrint's own
SVG = "{http://www.w3.org/2000/svg}"
FORMULA = "math-img"  # the class text/mathsvg.py gives a formula's printed <img>


def _build_box_tree(box, parent, pdf, page_number, nums, annotations, marked):
    """WeasyPrint's, with the box's own element amended (its children's are, by the recursion)."""
    if isinstance(box, boxes.FootnoteAreaBox):
        for note in box.children:  # laid out, a note no longer floats: remember what it is
            note.lectern_note = True
    for element in ORIGINAL(box, parent, pdf, page_number, nums, annotations, marked):
        if box.element is not None and box.element_tag not in ("html", "body"):
            _amend(box, element)
        yield element


def _amend(box, element) -> None:
    if getattr(box, "lectern_note", False) and element.get("S") in ("/Span", "/Div", "/NonStruct", "/P"):
        element["S"] = "/Note"
        if box.element.get("id"):
            element["ID"] = pydyf.String(box.element.get("id"))
    elif element.get("S") == "/Figure" and FORMULA in (box.element.get("class") or "").split():
        element["S"] = "/Formula"  # a typeset formula (ISO 32000-1, 14.8.4.5); its /Alt, the LaTeX, stays
    elif element.get("S") == "/Figure" and box.element.get("data-latex"):  # a slide's formula, drawn inline
        element["S"] = "/Formula"
        element["Alt"] = pydyf.String(box.element.get("data-latex"))
    elif element.get("S") == "/Figure" and box.element.tag == SVG + "svg":
        text = _svg_alt(box.element)
        if text:
            element["Alt"] = pydyf.String(text)


def _svg_alt(svg) -> str:
    """An SVG's title and description, or its aria-label."""
    parts = []
    for name in ("title", "desc"):
        found = svg.find(SVG + name)
        text = " ".join("".join(found.itertext()).split()) if found is not None else ""
        if text:
            parts.append(text)
    if not parts:
        return " ".join((svg.get("aria-label") or "").split())
    if len(parts) == 1 or parts[0] in parts[1]:
        return parts[-1]  # one of them, or a description that names the title
    return f"{parts[0].rstrip('.')}. {parts[1]}"


def install() -> bool:
    """Use `_build_box_tree` when tagging (idempotent); whether it is in use."""
    global INSTALLED
    if ORIGINAL is None:
        return False
    tags._build_box_tree = _build_box_tree
    INSTALLED = True
    return True


def weasyprint_own():
    """For tests: tag boxes as WeasyPrint does, for as long as the block runs."""
    return swapped(ORIGINAL, (tags, "_build_box_tree"))
