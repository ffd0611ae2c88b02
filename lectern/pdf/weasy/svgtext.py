"""Sets a chart's SVG label as one run of text, not letter by letter, when nothing asks for more.

WeasyPrint 70 (`svg.text.text`) lays out and paints every character of an SVG <text> apart,
to honour per-letter x/y/dx/dy/rotate lists: a Pango layout and a text object per letter, with
no kerning or ligatures between letters. Lectern's charts (lectern/charts) give each label one
position, so a chart's 15 labels cost about 90 layouts; in the study guide at 20 lectures that
is 60 charts and some seconds. When a <text> has at most one x, y, dx and dy and no rotate,
textLength or letter-spacing, this lays it out and paints it as one run, set as a browser sets
it (kerned, as on the deck's slides); anything else goes to WeasyPrint's own function.

    svgtext.install()     # once a process, before layout (pdf/engine.py does it at import)
    svgtext.INSTALLED     # False when this WeasyPrint's SVG code is not the one this was made for
"""
from __future__ import annotations

import importlib
from math import inf

from .rewrite import swapped

svg_text = importlib.import_module("weasyprint.svg.text")  # the module (the package's `text` is the function)

INSTALLED = False
ORIGINAL = svg_text.text  # WeasyPrint's, for anything but a plain label (and for tests)
TEXT_TAGS = ("a", "text", "textPath", "tspan")  # the tags WeasyPrint draws with `text`


def _one(node, name: str) -> bool:
    """At most one value in the attribute (a list would place letters one by one)."""
    value = node.attrib.get(name)
    return value is None or len(svg_text.normalize(value).strip().split(" ")) <= 1


def plain_label(node) -> bool:
    return (bool(node.text) and all(_one(node, name) for name in ("x", "y", "dx", "dy"))
            and not any(name in node.attrib for name in ("rotate", "textLength", "letter-spacing")))


def text(svg, node, font_size):
    """WeasyPrint's `svg.text.text` for one run of text: the same style, anchor, baseline and
    bounding box, the letters set together.

    A deliberate copy of WeasyPrint 70's function, kept in its order and shape so that it can be
    compared with it block by block when WeasyPrint is upgraded (see README.md): style from the
    node, the run laid out, position (x, y, dx, dy), vertical alignment, bounding box, drawing.
    Its loop over letters is one run here, and what `plain_label` sends to WeasyPrint's own
    (position lists, rotate, textLength, letter-spacing, no text) is left out.
    """
    if not plain_label(node):
        return ORIGINAL(svg, node, font_size)
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.text.line_break import split_first_line

    style = svg_text.Style()  # as WeasyPrint's: font family, style, weight and size from the node
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    weight = node.get("font-weight", 400)
    try:
        style["font_weight"] = {"normal": 400, "bold": 700}.get(weight) or int(weight)
    except ValueError:
        style["font_weight"] = 400

    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)

    def value(name: str, extent: float) -> float | None:
        found = node.attrib.get(name)
        return svg_text.size(svg_text.normalize(found).strip(), font_size, extent) if found else None

    x, y = value("x", svg.inner_width), value("y", svg.inner_height)
    dx, dy = value("dx", svg.inner_width), value("dy", svg.inner_height)
    if x:  # (as WeasyPrint has it: an x or y of 0 keeps the running shift)
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    svg.cursor_d_position[0] += dx or 0
    svg.cursor_d_position[1] += dy or 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y

    ascent, descent = font_size * .8, font_size * .2  # WeasyPrint's vertical alignment, as it is
    y_align = 0
    display_anchor = node.get("display-anchor")
    alignment_baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if display_anchor == "middle":
        y_align = -height / 2
    elif display_anchor == "top":
        pass
    elif display_anchor == "bottom":
        y_align = -height
    elif alignment_baseline in ("central", "middle"):
        y_align = (ascent + descent) / 2 - descent
    elif alignment_baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        y_align = ascent
    elif alignment_baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        y_align = -descent

    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + y_align
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = svg_text.TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_first_line(svg.stream, box, "none", "none", Matrix(d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install() -> bool:
    """Use `text` for SVG text (idempotent); whether it is in use."""
    global INSTALLED
    import weasyprint.svg as svg_package
    if INSTALLED:
        return True
    tags = getattr(svg_package, "TAGS", {})
    if getattr(svg_package, "text", None) is not ORIGINAL or any(tags.get(t) is not ORIGINAL for t in TEXT_TAGS):
        return False
    # the module's `text` too: WeasyPrint finds text nodes by comparing TAGS' entries with it
    svg_package.text = text
    for tag in TEXT_TAGS:
        tags[tag] = text
    INSTALLED = True
    return True


def weasyprint_own():
    """For tests: WeasyPrint's letter-by-letter text, for as long as the block runs."""
    import weasyprint.svg as svg_package
    return swapped(ORIGINAL, (svg_package, "text"), *((svg_package.TAGS, tag) for tag in TEXT_TAGS))
