"""LaTeX math typeset once to SVG by ziamath (STIX Two Math), cached in memory and the user cache.

    formula = typeset(r"\\bar{x}_i", display=False)   # Formula, or raises MathError
    formula.deck_html()   # <span role="math" aria-label="..."><svg ...></span>: the deck inlines it
    formula.print_html()  # <img src="data:image/svg+xml;base64,..." alt="...">: WeasyPrint tags its /Alt
    failed = typeset_all(keys, fan_out)  # a course's formulas at once, shared with the PDF workers

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
from typing import Callable, Protocol
from xml.etree import ElementTree as ET

from markupsafe import escape

from ..state import usercache

SIZE = 20.0  # px per em given to ziamath; every length is divided by it again
VERSION = "3"  # part of the cache key: change it when the SVG we keep changes
KEPT = 4096
BATCH = 10  # formulas handed to a worker at a time (~0.1 s of typesetting)
SHARED_FROM = 30  # fewer formulas to typeset than this: all here (a worker's first one imports ziamath)
_TAG = re.compile(r"\\tag\*?\s*\{([^{}]*)\}")
_GLYPH = r'<path d="[^"]*" fill="([^"]*)" />'
_GLYPH_RUN = re.compile(_GLYPH + r'(?:<path d="[^"]*" fill="\1" />)+')  # glyphs side by side, one colour
_lock = threading.Lock()
_memory: dict[tuple[str, bool], "Formula"] = {}
Key = tuple[str, bool]  # (the LaTeX as written, display)


class Shared(Protocol):
    """A batch handed to another process (`typeset_all`'s fan_out): a Future of `typeset_batch`'s list."""

    def cancel(self) -> bool: ...
    def cancelled(self) -> bool: ...
    def result(self) -> list[tuple[dict | None, str | None]]: ...


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
    formula = _found(key)
    if formula is None:
        formula = _typeset(latex, display)
        _keep(key, formula, True)
    return formula


def typeset_all(keys, fan_out: Callable[[list[Key]], Shared] | None = None) -> dict[Key, str]:
    """Every formula of `keys` typeset and kept, as `typeset` would; the message of each one that
    cannot be. When `fan_out` is given (it hands a batch to another process: the build's PDF
    workers), the formulas neither in memory nor in the user cache are shared out in batches:
    this process typesets batches from the last while the workers take them from the first."""
    misses = [key for key in dict.fromkeys(keys) if _found(key) is None]
    failed: dict[Key, str] = {}
    if fan_out is None or len(misses) < SHARED_FROM:
        for key in misses:
            _here(key, failed)
        return failed
    batches = [misses[i:i + BATCH] for i in range(0, len(misses), BATCH)]
    shared = [fan_out(batch) for batch in batches]
    for batch, job in zip(reversed(batches), reversed(shared)):
        if job.cancel():  # no worker has taken it yet: typeset it here
            for key in batch:
                _here(key, failed)
    for batch, job in zip(batches, shared):
        if job.cancelled():
            continue
        try:
            outcomes = job.result()
        except Exception:  # a worker gone (killed, out of memory): typeset its batch here
            outcomes = None
        if outcomes is None or len(outcomes) != len(batch):
            for key in batch:
                _here(key, failed)
            continue
        for key, (fields, message) in zip(batch, outcomes):
            if message is not None:
                failed[key] = message
            else:
                _keep(key, Formula(**fields), True)
    return failed


def typeset_batch(keys: list[Key]) -> list[tuple[dict | None, str | None]]:
    """In a worker of `typeset_all`: each formula's fields, or why it cannot be typeset (the
    caller keeps them in its memory and the user cache)."""
    out: list[tuple[dict | None, str | None]] = []
    for latex, display in keys:
        try:
            out.append((asdict(_typeset(latex, display)), None))
        except MathError as exc:
            out.append((None, str(exc)))
    return out


def _here(key: Key, failed: dict[Key, str]) -> None:
    try:
        _keep(key, _typeset(*key), True)
    except MathError as exc:
        failed[key] = str(exc)


def _found(key: Key) -> Formula | None:
    """The formula from memory or the user cache, or None."""
    found = _memory.get(key)
    if found is not None:
        return found
    try:
        formula = Formula(**json.loads(_cache_path(key).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    _keep(key, formula, False)
    return formula


def _cache_path(key: Key):
    latex, display = key
    digest = hashlib.sha256(f"{VERSION}\0{int(display)}\0{latex}".encode("utf-8")).hexdigest()[:32]
    return usercache.folder("math") / f"{digest}.json"


def _keep(key: Key, formula: Formula, new: bool) -> None:
    """In memory, and (a formula just typeset) in the user cache."""
    if new and usercache.keep(_cache_path(key), json.dumps(asdict(formula)).encode("utf-8")) \
            and len(_memory) % 256 == 0:
        usercache.prune(usercache.folder("math"), "*.json", KEPT)
    with _lock:
        _memory[key] = formula


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
        root = ET.fromstring(mathml)
    except ET.ParseError as exc:  # latex2mathml can emit broken XML (`\b` becomes a control character)
        raise MathError("the formula cannot be read (it makes no valid MathML); check its commands") from exc
    unknown = _unknown_commands(root)
    if unknown:
        raise MathError(f"the math command {unknown[0]} is not supported; "
                        "write it with the commands listed in docs/format.md (Mathematics)")
    if _small_accents(root):
        mathml = ET.tostring(root, encoding="unicode")  # (as ns0:math: ziamath drops namespaces)
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


_MATHML = "http://www.w3.org/1998/Math/MathML"
_ACCENT_CHARS = {"^": "\u02c6", "~": "\u02dc"}  # MODIFIER LETTER CIRCUMFLEX ACCENT, SMALL TILDE


def _small_accents(root: ET.Element) -> bool:
    """`\\hat` and `\\tilde` as the font's accents, in the MathML tree; whether any was changed.
    latex2mathml writes them as the ASCII ^ and ~, which ziamath sets as characters of text size,
    floating high above the letter; the modifier letters (U+02C6, U+02DC) are set close on it, as
    TeX does. `\\widehat` and `\\widetilde` (no accent="true", no stretchy="false") stay as they are."""
    changed = False
    for mover in root.iter(f"{{{_MATHML}}}mover"):
        kids = list(mover)
        if len(kids) != 2 or kids[1].tag != f"{{{_MATHML}}}mo":
            continue
        mark = (kids[1].text or "").strip()
        if (mark == "^" and mover.get("accent") == "true") or (mark == "~" and kids[1].get("stretchy") == "false"):
            kids[1].text = _ACCENT_CHARS[mark]
            changed = True
    return changed


def _unknown_commands(root: ET.Element) -> list[str]:
    """latex2mathml leaves a command it does not know as text (`<mi>\\foo</mi>`): find those."""
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
