"""Speed-ups to ziamath 0.13 that leave every SVG it draws byte for byte the same.

ziamath lays out each row twice, once without its stretchy operators to learn how tall the row
is (`Mrow._get_height_nostretch`), then for real; rows nest, so a formula's innermost parts were
laid out 2^depth times (most of the 40 ms a formula took). The first pass is only read by a
stretchy operator (`Moperator` with `stretchy`, or `mfenced`) inside the row: a row with none
skips it. And every node copied its parent's style with `dataclasses.asdict`, a deep copy whose
nested part (`mathvariant`) `parse_style` never reads from it: a shallow copy does. And every
coordinate is written by ziafont's `fmt`, which builds its format spec for each of a formula's
~1,400 numbers: `%`-formatting at the configured three decimals gives the same text in 60% of the
time (any other precision goes to ziafont's own). And a glyph's outline was written one number
at a time (`Glyph.svgpath`, a quarter of a formula's time): each glyph keeps, for each size it is
drawn at, its scaled points and a format string, so placing it formats all its numbers at once
and strips their trailing zeros with one regex (the same numbers, the same text). Every node
read its parent's style through a `ChainMap` (`parse_style`): plain lookups give the same style.
And `Mnode.size_px` built its table of named spaces (fourteen numbers formatted) on every call,
about 50 a formula: the table is built once and each size string parsed once. And a glyph in a
script is looked up in the font's substitutions (`subglyph`) once, not at every use.

`tests/test_math_speed.py` typesets a corpus with and without these and compares the SVGs.
"""
from __future__ import annotations

import dataclasses
import re

_FORMS = ("prefix", "infix", "postfix")
_FMT_USERS = ("ziafont.svgpath", "ziafont.glyph", "ziafont.font", "ziamath.drawable", "ziamath.zmath",
              "ziamath.nodes.mnode", "ziamath.nodes.mrow")  # the modules holding `fmt` by name
_applied = False
_original_fmt = None
_config = None  # ziafont's config, once ziafont is imported
_originals: dict[str, object] = {}  # svgpath, parse_style, size_px, subglyph as ziamath has them
_sizes: dict[str, tuple] = {}  # a size attribute, parsed: ("number", px) or ("unit", value, units) or ("none",)
_EM = ("em", "ex", "mu")
_ZEROS = re.compile(r"\.?0+(?= )")  # "%.3f" numbers, each followed by a space: fmt's trailing zeros


def apply() -> None:
    """Install both speed-ups (once; ziamath must be importable)."""
    global _applied
    if _applied:
        return
    from ziamath import styles
    from ziamath.nodes import mrow
    original = mrow.Mrow._get_height_nostretch

    def get_height_nostretch(self, line, **kwargs):
        if not any(_may_stretch(child) for child in line):
            return 9999.0, -9999.0  # what ziamath returns for a row of nothing; no one reads it
        return original(self, line, **kwargs)

    mrow.Mrow._get_height_nostretch = get_height_nostretch
    mrow.Mrow._lectern_original_height = original
    styles.asdict = _shallow_asdict
    _swap_fmt(_fast_fmt)
    _swap_svgpath(True)
    _swap_styles(True)
    _applied = True


def undo() -> None:
    """Put ziamath back as it was (for the test that compares the two)."""
    global _applied
    if not _applied:
        return
    from ziamath import styles
    from ziamath.nodes import mrow
    mrow.Mrow._get_height_nostretch = mrow.Mrow._lectern_original_height
    styles.asdict = dataclasses.asdict
    _swap_fmt(_original_fmt)
    _swap_svgpath(False)
    _swap_styles(False)
    _applied = False


def _swap_fmt(fmt) -> None:
    """`fmt` in every module of ziafont and ziamath that imported it by name."""
    global _original_fmt, _config
    import importlib
    from ziafont import svgpath
    from ziafont.config import config
    if _original_fmt is None:
        _original_fmt, _config = svgpath.fmt, config
    for name in _FMT_USERS:
        module = importlib.import_module(name)
        if getattr(module, "fmt", None) in (_original_fmt, _fast_fmt):
            module.fmt = fmt


def _swap_svgpath(fast: bool) -> None:
    from ziafont import glyph
    _originals.setdefault("svgpath", glyph.SimpleGlyph.svgpath)
    glyph.SimpleGlyph.svgpath = _fast_svgpath if fast else _originals["svgpath"]


def _fast_svgpath(self, x0: float = 0, y0: float = 0, scale_factor: float = 1):
    """ziafont's `SimpleGlyph.svgpath`: the glyph's outline placed at (x0, y0), as a <path>."""
    if _config.precision != 3:
        return _originals["svgpath"](self, x0, y0, scale_factor)
    scale = self.funits_to_points(1, scale_factor)
    kept = self.__dict__.setdefault("_lectern_paths", {})
    shape = kept.get(scale)
    if shape is None:
        shape = kept[scale] = _shape(self.operators, scale)
    if shape is False:  # an operator ziafont added since: its own way
        return _originals["svgpath"](self, x0, y0, scale_factor)
    form, xs, ys = shape
    if not form:
        return None
    from xml.etree import ElementTree as ET
    numbers = [0.0] * (2 * len(xs))
    numbers[0::2] = [x0 + x for x in xs]
    numbers[1::2] = [y0 - y for y in ys]
    return ET.Element("path", attrib={"d": _ZEROS.sub("", form % tuple(numbers))})


def _shape(operators, scale: float):
    """(format, scaled xs, scaled ys) of a glyph's outline, each point as ziafont's operators
    compute it (x0 + x * scale, y0 - y * scale); False for an operator this does not know."""
    from ziafont import svgpath
    letters = {svgpath.Moveto: "M", svgpath.Lineto: "L", svgpath.Quad: "Q", svgpath.Cubic: "C"}
    form, xs, ys = [], [], []
    for op in operators:
        letter = letters.get(type(op))
        if letter is None:
            return False
        points = [op.p] if letter in "ML" else [op.p1, op.p2] if letter == "Q" else [op.p1, op.p2, op.p3]
        if letter == "M" and form:
            form.append("Z ")  # ziafont closes a contour before the next one starts
        form.append(letter + " %.3f %.3f" * len(points) + " ")
        for point in points:
            xs.append(point.x * scale)
            ys.append(point.y * scale)
    if form:
        form.append("Z ")
    return "".join(form), xs, ys


def _swap_styles(fast: bool) -> None:
    """`parse_style` and `subglyph` in every module that imported them by name, and `Mnode.size_px`."""
    from ziamath import styles, zmath
    from ziamath.nodes import mfrac, mnode
    _originals.setdefault("parse_style", styles.parse_style)
    _originals.setdefault("size_px", mnode.Mnode.size_px)
    parse = _fast_parse_style if fast else _originals["parse_style"]
    for module in (styles, zmath, mfrac, mnode):
        module.parse_style = parse
    mnode.Mnode.size_px = _fast_size_px if fast else _originals["size_px"]
    from ziamath.nodes import mnumber, moperator, nodetools
    _originals.setdefault("subglyph", nodetools.subglyph)
    for module in (mnumber, moperator):
        module.subglyph = _kept_subglyph if fast else _originals["subglyph"]


def _kept_subglyph(glyph, font):
    """ziamath's `subglyph` (a glyph's form for scripts, from the font's GSUB), kept per font."""
    if not font.gsub:
        return glyph
    kept = font.__dict__.setdefault("_lectern_subglyphs", {})
    key = (glyph.index, tuple(font.features.items()))
    index = kept.get(key)
    if index is None:
        index = kept[key] = font.gsub.sub([glyph.index], font.features)[0]
    return glyph if index == glyph.index else font.glyph_fromid(index)


def _fast_parse_style(element, parent_style=None):
    """ziamath's `parse_style`: a node's attributes, else its parent's style (the ChainMap's order)."""
    from ziamath.config import config
    from ziamath.styles import MathStyle, parse_variant
    if not parent_style:
        return _originals["parse_style"](element, parent_style)
    attrib = element.attrib
    get = attrib.get
    style = MathStyle(
        mathvariant=parse_variant(get("mathvariant", config.math.variant), parent_style.mathvariant),
        displaystyle=get("displaystyle", parent_style.displaystyle) in ["true", True],
        mathcolor=get("mathcolor", parent_style.mathcolor),
        mathbackground=get("mathbackground", parent_style.mathbackground),
        mathsize=get("mathsize", parent_style.mathsize),
        scriptlevel=int(get("scriptlevel", parent_style.scriptlevel)))
    css = get("style", "")
    if css:
        for cssparam in css.split(";"):
            if not cssparam:
                continue
            key, val = cssparam.split(":")
            key, val = key.strip(), val.strip()
            if key.lower() == "background":
                style.mathbackground = val
            elif key.lower() == "color":
                style.mathcolor = val
    return style


def _fast_size_px(self, size, fontsize=None):
    """ziamath's `Mnode.size_px`: a size attribute ("0.2em", "thinmathspace", "3px") in points."""
    parsed = _sizes.get(size) if isinstance(size, str) else None
    if parsed is None:
        if not isinstance(size, str):
            return _originals["size_px"](self, size, fontsize)
        parsed = _sizes[size] = _parse_size(size)
    if parsed[0] == "number":
        return parsed[1]
    if parsed[0] == "none":
        return 0
    _, value, units = parsed
    pxsize = value * _UNITS_TO_PT.get(units, 0) * 1.333
    if units in _EM:
        pxsize *= (self.glyphsize if fontsize is None else fontsize) / 10
    return pxsize


_UNITS_TO_PT = {"pt": 1, "mm": 2.84526, "cm": 28.45274, "ex": 4.30554, "em": 10.00002, "bp": 1.00374,
                "dd": 1.07, "pc": 12, "in": 72.27, "mu": 0.5555}  # as ziamath's size_px has them
_NAMED_SPACES = {name: f"{sign * n / 18}em" for n, base in enumerate(
    ("veryverythin", "verythin", "thin", "medium", "thick", "verythick", "veryverythick"), 1)
    for sign, name in ((1, f"{base}mathspace"), (-1, f"negative{base}mathspace"))}


def _parse_size(size: str) -> tuple:
    numsize = _NAMED_SPACES.get(size, size)
    try:
        return ("number", float(numsize.rstrip("px")))
    except ValueError:
        pass
    try:
        return ("unit", float(numsize[:-2]), numsize[-2:])
    except ValueError:
        return ("none",)


def _fast_fmt(f) -> str:
    """ziafont's `fmt`: a number with `config.precision` decimals, trailing zeros stripped."""
    if _config.precision != 3:
        return _original_fmt(f)
    return ("%.3f" % f).rstrip("0").rstrip(".")


def _shallow_asdict(obj) -> dict:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def _may_stretch(element) -> bool:
    """Whether anything in this MathML subtree could stretch to its row's height (conservative:
    an operator stretchy in any of its forms counts)."""
    from ziamath import operators
    for el in element.iter():
        if el.tag == "mfenced":
            return True
        if el.tag != "mo":
            continue
        stretchy = el.get("stretchy")
        if stretchy is not None:  # ziamath: anything but "false" stretches
            if stretchy != "false":
                return True
            continue
        text = (el.text or "").strip()
        if any(operators.operators.get((text, form), {}).get("stretchy", "false") != "false" for form in _FORMS):
            return True
    return False
