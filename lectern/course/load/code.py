"""A slide's `code:` key: language, text or a file inside the course, the lines to show and to mark."""
from __future__ import annotations

import re

from ...text.codehl import unknown_language
from ..model import Code
from ..shapes import CODE
from ..yamlnodes import Node
from .reader import Reader

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def code(r: Reader, node: Node) -> Code | None:
    keys = r.mapping(node, CODE.keys, CODE.required, "a code block")
    if keys is None or "lang" not in keys:
        return None
    lang = r.text(keys["lang"], "the code's language", required=True) or ""
    warning = unknown_language(lang)
    if warning:
        r.warn(keys["lang"].pos, warning)
    out = Code(lang=lang, pos=node.pos, caption=r.md(keys.get("caption"), "caption"))
    if ("text" in keys) == ("file" in keys):
        r.error(node.pos, "a code block needs `text` (the code itself) or `file` (a path inside the course), "
                          "one of the two")
        return None
    if "text" in keys:
        out.text = r.text(keys["text"], "the code", required=True) or ""
    else:
        path = r.course_path(keys["file"], "the code file")
        if path is None:
            return None
        out.path = str(path)
    if "lines" in keys:
        out.lines = line_range(r, keys["lines"])
    if "highlight" in keys:
        out.highlight = marked_lines(r, keys["highlight"])
    return out


def line_range(r: Reader, node: Node) -> tuple[int, int] | None:
    m = _RANGE.match(str(node.value))
    if not m or int(m.group(1)) < 1 or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        r.error(node.pos, f"lines must be a range like \"5-20\" (first and last line, from 1), not {node.value!r}")
        return None
    return int(m.group(1)), int(m.group(2) or m.group(1))


def marked_lines(r: Reader, node: Node) -> frozenset[int]:
    out: set[int] = set()
    for part in str(node.value).split(","):
        m = _RANGE.match(part)
        if not m or int(m.group(1)) < 1 or (m.group(2) and int(m.group(2)) < int(m.group(1))):
            r.error(node.pos, f"highlight must list lines like \"3,7-9\" (counted from the first line shown), "
                              f"not {node.value!r}")
            return frozenset()
        out.update(range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1))
    return frozenset(out)
