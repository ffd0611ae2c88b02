"""A slide's layout keys (issue 18): columns and their widths, picture rows, backgrounds, picture size."""
from __future__ import annotations

import re

from ..model import Background, Image, Md, Slide
from ..shapes import BACKGROUND, COLUMN, COLUMN_KEYS, FITS
from ..yamlnodes import Node
from .reader import Reader

HEX_COLOUR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def slide_layout(r: Reader, keys: dict[str, Node], out: Slide) -> None:
    """`columns`, `widths` and `background` of a slide."""
    if "columns" in keys:
        out.columns = columns(r, keys["columns"], keys, out)
    if "widths" in keys:
        out.widths = widths(r, keys["widths"], len(out.columns) if "columns" in keys else 0)
    if "background" in keys and keys["background"].value is not None:
        out.background = background(r, keys["background"])


def columns(r: Reader, node: Node, keys: dict[str, Node], out: Slide) -> list[Slide]:
    """Two or three columns, each holding what a slide holds; the slide's own content goes in them."""
    items = r.list(node, "columns")
    if not isinstance(node.value, list):
        return []
    if not 2 <= len(items) <= 3:
        r.error(node.pos, f"a slide has two or three columns, not {len(items)}: "
                          + ("split the slide in two" if len(items) > 3 else "add a column, or drop `columns`"))
    beside = [k for k in COLUMN_KEYS if k in keys]
    if beside:
        r.error(keys[beside[0]].pos, f"a slide with columns holds its content in them: move `{beside[0]}` "
                                     "into one of the columns")
    from .slides import content  # slides imports this module
    found = []
    for item in items:
        column_keys = r.mapping(item, set(COLUMN.keys), (), "a column")
        if column_keys is None:
            continue
        column = Slide(title=Md("", item.pos), pos=item.pos, is_column=True)
        content(r, column_keys, column)
        if not column_keys:
            r.warn(item.pos, f"this column is empty: give it one of {', '.join(COLUMN_KEYS)}")
        found.append(column)
    return found


def widths(r: Reader, node: Node, count: int) -> list[float]:
    """`widths: [2, 1]`: one positive number a column, their ratio sets the columns' widths."""
    items = r.list(node, "widths")
    values = [i.value for i in items]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in values):
        r.error(node.pos, "widths are positive numbers, one a column, like `widths: [2, 1]`")
        return []
    if count == 0:
        r.error(node.pos, "`widths` sets the widths of `columns`, and this slide has none: add columns "
                          "or remove widths")
        return []
    if len(values) != count:
        r.error(node.pos, f"`widths` gives {len(values)} widths for {count} columns: give one width a column")
        return []
    return [float(v) for v in values]


def images(r: Reader, node: Node) -> list[Image]:
    """`images: [{src, alt, caption}, ...]`: two to six pictures in a row or grid."""
    from .slides import image
    items = r.list(node, "images")
    if isinstance(node.value, list) and not 2 <= len(items) <= 6:
        r.error(node.pos, f"`images` sets two to six pictures in a row, not {len(items)}: "
                          + ("use `image` for one picture" if len(items) < 2 else "split them over two slides"))
    return [i for i in (image(r, item) for item in items) if i is not None]


def image_size(r: Reader, keys: dict[str, Node], out: Image) -> None:
    """An image's `width` (percent of the content width) and `fit` (contain or cover)."""
    if "width" in keys:
        value = keys["width"].value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 100:
            r.error(keys["width"].pos, f"an image's width is a percentage of the slide's content width, "
                                       f"from 1 to 100, not {value!r}")
        else:
            out.width = int(round(value))
    if "fit" in keys:
        fit = r.text(keys["fit"], "the image's fit")
        if fit not in FITS:
            r.error(keys["fit"].pos, f"an image's fit is contain (the whole picture) or cover (fill the space, "
                                     f"cropping), not {fit!r}")
        else:
            out.fit = fit


def background(r: Reader, node: Node) -> Background | None:
    """`background: "#223344"` (a colour) or `background: {src, alt, dim}` (a picture, dimmed)."""
    if not isinstance(node.value, dict):
        colour = r.text(node, "the background")
        if colour is None or not HEX_COLOUR.match(colour):
            r.error(node.pos, f"a background is a colour like \"#223344\" (quoted) or a picture "
                              f"{{src: images/x.jpg, alt: ...}}, not {colour!r}")
            return None
        return Background(node.pos, color=colour)
    keys = r.mapping(node, BACKGROUND.keys, (), "a background")
    if keys is None:
        return None
    from .slides import image
    picture = image(r, node_without(node, "dim"))
    dim = 0.4
    if "dim" in keys:
        value = keys["dim"].value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            r.error(keys["dim"].pos, f"a background's dim is from 0 (the picture as it is) to 1 (black), "
                                     f"not {value!r}")
        else:
            dim = float(value)
    return Background(node.pos, image=picture, dim=dim) if picture is not None else None


def node_without(node: Node, key: str) -> Node:
    """The mapping node without one key, so the image loader reads a background's picture keys."""
    import copy
    out = copy.copy(node)
    out.value = {k: v for k, v in node.value.items() if k != key}
    return out
