"""Draws an SVG path of plain absolute M, L, Q, C and Z commands in one pass over its numbers.

WeasyPrint 70 (`svg.path.path`) reads a path's `d` with a regular expression per point, splitting
and re-joining the rest of the string as it goes, and sizes every coordinate as a CSS length.
A typeset formula is a few hundred points of glyph outlines (text/mathsvg: ziamath draws each
glyph as an absolute path of M, L, Q and Z), so a guide with 300 formulas spent some seconds
there. When a path is nothing but those commands (and C) with plain numbers, this reads them all
at once and writes exactly the bytes WeasyPrint's function has pydyf write, as one item of the
stream, remembered by `d` (a formula is drawn again in a handout, its notes and its slide PDF);
the vertices (the markers' angles) only when the node has markers. Anything else goes to
WeasyPrint's own.

    svgpath.install()     # once a process, before layout (pdf/engine.py does it at import)
    svgpath.INSTALLED     # False when this WeasyPrint's SVG code is not the one this was made for
"""
from __future__ import annotations

import importlib
import re
from math import atan2, pi

from .rewrite import swapped

svg_path = importlib.import_module("weasyprint.svg.path")

INSTALLED = False
ORIGINAL = svg_path.path  # WeasyPrint's, for any other path (and for tests)
_PLAIN = re.compile(r"\s*(?:[MLQCZ](?:\s+-?\d+(?:\.\d+)?)*\s*)*")  # absolute commands, plain numbers
_COMMAND = re.compile(r"([MLQCZ])([^MLQCZ]*)")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}


def path(svg, node, font_size):
    """WeasyPrint's `svg.path.path` for a path of plain absolute commands: the same bytes in the
    stream and, when the node has markers to place, the same `node.vertices` in the same order."""
    d = node.get("d", "")
    drawn = _drawn.get(d)
    if drawn is None:
        if not _PLAIN.fullmatch(d):
            return ORIGINAL(svg, node, font_size)
        commands = _commands(d)
        if commands is None:
            return ORIGINAL(svg, node, font_size)
        drawn = _drawn[d] = _Drawn(commands)
        if len(_drawn) > KEPT:
            _drawn.clear()
    svg.stream.stream.append(drawn.operators)  # one item holding the lines pydyf would have appended
    if any(node.get(name) for name in _MARKERS):
        node.vertices.extend(drawn.vertices())


KEPT = 4096  # paths remembered per process: a formula drawn in a handout, its notes and its slide PDF
_MARKERS = ("marker", "marker-start", "marker-mid", "marker-end")


class _Drawn:
    """A path's PDF operators, made once; its marker vertices, made when a node asks for them."""

    __slots__ = ("commands", "operators", "_vertices")

    def __init__(self, commands):
        self.commands = commands
        self._vertices = None
        self.operators = _operators(commands)

    def vertices(self) -> list:
        if self._vertices is None:
            self._vertices = []
            _draw(_NoStream, self._vertices, self.commands)
        return self._vertices


_drawn: dict[str, _Drawn] = {}


def _commands(d: str):
    """(letter, numbers) for each command, implicit repeats spelt out; None when the counts are off."""
    commands = []
    for letter, args in _COMMAND.findall(d):
        numbers = [float(n) for n in args.split()]
        arity = _ARITY[letter]
        if arity == 0:
            if numbers:
                return None
            commands.append((letter, numbers))
            continue
        if not numbers or len(numbers) % arity:
            return None
        for i in range(0, len(numbers), arity):  # implicit repeats: after M they are L
            commands.append((letter if i == 0 or letter != "M" else "L", numbers[i:i + arity]))
    return commands


def _num(v: float) -> str:
    """A number as pydyf writes a float (`pydyf._to_bytes`)."""
    return str(int(v)) if v.is_integer() else f"{v:f}".rstrip("0")


def _operators(commands) -> bytes:
    """The content-stream lines WeasyPrint's `path` makes pydyf write, joined as pydyf joins them.

    `_draw`'s loop without the vertices and with the numbers formatted in place: `_draw` writing
    to a recording stream gives the same bytes but made the math bench's guide 15 % slower
    (3.5 s against 3.0 s), the angles of every segment computed for paths that have no markers.
    The test compares both with WeasyPrint's own on the same paths."""
    out = ["0 0 m"]  # WeasyPrint starts every path at the origin
    last = None
    first = None
    current = (0.0, 0.0)
    for letter, n in commands:
        if last in (None, "M", "Z"):
            first = None
        if letter not in ("M", "Z") and first is None:
            first = current
        if letter == "L" or letter == "M":
            out.append(f"{_num(n[0])} {_num(n[1])} {'l' if letter == 'L' else 'm'}")
            current = n[0], n[1]
        elif letter == "Q":
            x1, y1 = current
            x2, y2, x3, y3 = n
            out.append(" ".join((_num(x2 * 2 / 3 + x1 / 3), _num(y2 * 2 / 3 + y1 / 3),
                                 _num(x2 * 2 / 3 + x3 / 3), _num(y2 * 2 / 3 + y3 / 3), _num(x3), _num(y3), "c")))
            current = x3, y3
        elif letter == "C":
            out.append(" ".join([_num(v) for v in n] + ["c"]))
            current = n[4], n[5]
        elif letter == "Z" and first:
            out.append("h")
            current = first
        last = letter
    return "\n".join(out).encode("ascii")


def _draw(stream, vertices, commands) -> None:
    """The drawing loop of WeasyPrint's `path`, kept in its order, for M, L, Q, C and Z."""
    current = (0, 0)
    stream.move_to(*current)
    last = None
    first = None
    for letter, n in commands:
        if last in (None, "Z") and letter != "M":
            vertices.append(current)
            first = current
        if last in (None, "M", "Z"):
            first = None
        if letter not in ("M", "Z") and first is None:
            first = current
        if letter == "C":
            x1, y1, x2, y2, x3, y3 = n
            vertices.append((atan2(y1 - y2, x1 - x2), atan2(y3 - y2, x3 - x2)))
            stream.curve_to(x1, y1, x2, y2, x3, y3)
            current = x3, y3
        elif letter == "L":
            x, y = n
            old_x, old_y = current
            angle = atan2(y - old_y, x - old_x)
            vertices.append((pi - angle, angle))
            stream.line_to(x, y)
            current = x, y
        elif letter == "M":
            x, y = n
            if last and last != "Z":
                vertices.append(None)
            stream.move_to(x, y)
            current = x, y
        elif letter == "Q":
            x1, y1 = current
            x2, y2, x3, y3 = n
            stream.curve_to(x2 * 2 / 3 + x1 / 3, y2 * 2 / 3 + y1 / 3,
                            x2 * 2 / 3 + x3 / 3, y2 * 2 / 3 + y3 / 3, x3, y3)
            vertices.append((0, 0))
            current = x3, y3
        elif letter == "Z" and first:
            vertices.append(None)
            stream.close()
            current = first
        if letter != "Z":
            vertices.append(current)
        last = letter


class _NoStream:
    """Where `_draw` sends its drawing when only its vertices are wanted."""

    @staticmethod
    def move_to(*_): pass
    line_to = curve_to = move_to

    @staticmethod
    def close(): pass


def install() -> bool:
    """Use `path` for SVG paths (idempotent); whether it is in use."""
    global INSTALLED
    import weasyprint.svg as svg_package
    if INSTALLED:
        return True
    tags = getattr(svg_package, "TAGS", {})
    if getattr(svg_package, "path", None) is not ORIGINAL or tags.get("path") is not ORIGINAL:
        return False
    tags["path"] = path
    INSTALLED = True
    return True


def weasyprint_own():
    """For tests: WeasyPrint's own path reading, for as long as the block runs."""
    import weasyprint.svg as svg_package
    return swapped(ORIGINAL, (svg_package.TAGS, "path"))
