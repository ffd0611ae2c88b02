"""Three speed-ups to ziamath 0.13 that leave every SVG it draws byte for byte the same.

ziamath lays out each row twice, once without its stretchy operators to learn how tall the row
is (`Mrow._get_height_nostretch`), then for real; rows nest, so a formula's innermost parts were
laid out 2^depth times (most of the 40 ms a formula took). The first pass is only read by a
stretchy operator (`Moperator` with `stretchy`, or `mfenced`) inside the row: a row with none
skips it. And every node copied its parent's style with `dataclasses.asdict`, a deep copy whose
nested part (`mathvariant`) `parse_style` never reads from it: a shallow copy does. And every
coordinate is written by ziafont's `fmt`, which builds its format spec for each of a formula's
~1,400 numbers: `%`-formatting at the configured three decimals gives the same text in 60% of the
time (any other precision goes to ziafont's own).

`tests/test_math_speed.py` typesets a corpus with and without these and compares the SVGs.
"""
from __future__ import annotations

import dataclasses

_FORMS = ("prefix", "infix", "postfix")
_FMT_USERS = ("ziafont.svgpath", "ziafont.glyph", "ziafont.font", "ziamath.drawable", "ziamath.zmath",
              "ziamath.nodes.mnode", "ziamath.nodes.mrow")  # the modules holding `fmt` by name
_applied = False
_original_fmt = None
_config = None  # ziafont's config, once ziafont is imported


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
