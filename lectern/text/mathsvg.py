"""LaTeX math typeset once to SVG by ziamath (STIX Two Math), cached in memory and the user cache.

    formula = typeset(r"\\bar{x}_i", display=False)   # Formula, or raises MathError
    formula.deck_html()   # <span role="math" aria-label="..."><svg ...></span>: the deck inlines it
    formula.print_html()  # <img src="data:image/svg+xml;base64,..." alt="...">: WeasyPrint tags its /Alt

Sizes are in `em`, so a formula follows the size of the text around it; `depth` (how far the
formula reaches below the baseline) becomes its `vertical-align`, so it sits on the baseline.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import warnings
from dataclasses import asdict, dataclass
from xml.etree import ElementTree as ET

from markupsafe import escape

from ..state import usercache

SIZE = 20.0  # px per em given to ziamath; every length is divided by it again
VERSION = "2"  # part of the cache key: change it when the SVG we keep changes
KEPT = 4096
_TAG = re.compile(r"\\tag\*?\s*\{([^{}]*)\}")
_GLYPH = r'<path d="[^"]*" fill="([^"]*)" />'
_GLYPH_RUN = re.compile(_GLYPH + r'(?:<path d="[^"]*" fill="\1" />)+')  # glyphs side by side, one colour
_lock = threading.Lock()
_memory: dict[tuple[str, bool], "Formula"] = {}


class MathError(ValueError):
    """A formula the engine cannot typeset; the message names the command."""


@dataclass
class Formula:
    latex: str  # as written, for screen readers and the PDF's alt text
    display: bool
    svg: str  # no width or height: set by the html in em
    width: float  # em
    height: float  # em
    depth: float  # em below the baseline
    tag: str = ""  # the \tag{...} of a display formula, printed at the right margin

    def _style(self) -> str:
        return f"width:{self.width:.3f}em;height:{self.height:.3f}em;vertical-align:{-self.depth:.3f}em"

    def deck_html(self) -> str:
        svg = self.svg.replace("<svg ", f'<svg aria-hidden="true" focusable="false" data-latex="{escape(self.latex)}" '
                               f'style="{self._style()}" ', 1)  # data-latex: the /Alt of a printed slide's formula
        return self._wrap(f'<span class="math-body" role="math" aria-label="{escape(self.latex)}">{svg}</span>')

    def print_html(self) -> str:
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        img = (f'<img class="math-img" src="data:image/svg+xml;base64,{data}" alt="{escape(self.latex)}" '
               f'style="{self._style()}">')
        return self._wrap(img)

    def _wrap(self, body: str) -> str:
        if not self.display:
            return f'<span class="math math-inline">{body}</span>'
        tag = f'<span class="math-tag">({escape(self.tag)})</span>' if self.tag else ""
        return f'<span class="math math-display">{body}{tag}</span>'


def typeset(latex: str, display: bool) -> Formula:
    """The formula for this LaTeX, from memory, the user cache, or ziamath (in that order)."""
    key = (latex, display)
    found = _memory.get(key)
    if found is not None:
        return found
    digest = hashlib.sha256(f"{VERSION}\0{int(display)}\0{latex}".encode("utf-8")).hexdigest()[:32]
    path = usercache.folder("math") / f"{digest}.json"
    try:
        formula = Formula(**json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        formula = _typeset(latex, display)
        if usercache.keep(path, json.dumps(asdict(formula)).encode("utf-8")) and len(_memory) % 256 == 0:
            usercache.prune(usercache.folder("math"), "*.json", KEPT)
    with _lock:
        _memory[key] = formula
    return formula


def _typeset(latex: str, display: bool) -> Formula:
    import latex2mathml.converter
    import ziafont
    with warnings.catch_warnings():  # ziamath 0.13 finds its font with importlib's deprecated path()
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath
    from . import ziaspeed
    ziaspeed.apply()
    _quiet_logging()

    tag = ""
    body = latex
    m = _TAG.search(latex)
    if m:
        tag, body = m.group(1).strip(), latex[:m.start()] + latex[m.end():]
    try:
        mathml = latex2mathml.converter.convert(body, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises its own classes (and IndexError) on broken input
        raise MathError(f"the formula cannot be read ({type(exc).__name__}: {exc}); "
                        "check its braces and commands") from exc
    try:
        unknown = _unknown_commands(mathml)
    except ET.ParseError as exc:  # latex2mathml can emit broken XML (`\b` becomes a control character)
        raise MathError("the formula cannot be read (it makes no valid MathML); check its commands") from exc
    if unknown:
        raise MathError(f"the math command {unknown[0]} is not supported; "
                        "write it with the commands listed in docs/format.md (Mathematics)")
    try:
        with _lock:  # ziafont's config is global
            ziafont.config.svg2 = False  # plain paths: no <symbol> ids to clash between formulas in one page
            svg = ziamath.Math(mathml, size=SIZE, margin=0).svg()
        return _measure(latex, display, svg, tag)
    except MathError:
        raise
    except Exception as exc:  # the typesetter on input latex2mathml let through: the formula's problem, not a crash
        raise MathError(f"the formula cannot be typeset ({type(exc).__name__}); check its commands") from exc


def _quiet_logging() -> None:
    """ziafont and ziamath log through the `logging` module's own functions (`logging.debug` for
    every glyph placed), which give the root logger a handler printing to stderr when it has none:
    from then on every library's warning in this process (fontTools', WeasyPrint's) was printed.
    They log to a logger of their own instead, which says only errors."""
    import importlib
    import logging
    own = logging.getLogger("ziamath")
    own.setLevel(logging.ERROR)
    for name in ("ziafont.gpos", "ziafont.gsub", "ziamath.nodes.mnode"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if getattr(module, "logging", None) is logging:
            module.logging = own


def _unknown_commands(mathml: str) -> list[str]:
    """latex2mathml leaves a command it does not know as text (`<mi>\\foo</mi>`): find those."""
    root = ET.fromstring(mathml)
    out = []
    for el in root.iter():
        text = (el.text or "").strip()
        if el.tag.rsplit("}", 1)[-1] in ("mi", "mo", "mn") and re.match(r"\\[A-Za-z]+", text):
            out.append(text)
    return out


def _one_path(run: re.Match) -> str:
    """Glyphs painted one after the other in one colour as one path: the same ink (a font's
    outlines all turn one way, so overlapping glyphs stay filled under the nonzero rule), a
    tenth of the elements for WeasyPrint to draw and the browser to keep."""
    outlines = " ".join(re.findall(r'd="([^"]*)"', run.group(0)))
    return f'<path d="{outlines}" fill="{run.group(1)}" />'


def _measure(latex: str, display: bool, svg: str, tag: str) -> Formula:
    root = ET.fromstring(svg)
    x0, y0, w, h = (float(v) for v in root.get("viewBox", "0 0 1 1").split())
    svg = re.sub(r'\s(width|height)="[^"]*"', "", svg, count=2)
    svg = svg.replace("\"black\"", "\"currentColor\"")  # the text colour: dark themes too
    svg = _GLYPH_RUN.sub(_one_path, svg)
    depth = max(h + y0, 0.0)  # the viewBox's y runs from -ascent to +depth around the baseline at 0
    return Formula(latex, display, svg, round(w / SIZE, 3), round(h / SIZE, 3), round(depth / SIZE, 3), tag)
