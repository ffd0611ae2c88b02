"""The BibTeX/BibLaTeX scanner: entry keys and where they stand, and each syntax error."""
from __future__ import annotations

import re

from ...course.model import Pos
from ...problems import Problem
from .lines import _LineIndex


_BIB_IDENT = re.compile(r"[A-Za-z0-9_\-:.+/']+")
_BIB_KEY = re.compile(r"[^\s,{}()\"#%'=]+")
_BIB_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z]+)[ \t\r\n]*([{(])")


class _BibSyntax(Exception):
    def __init__(self, offset: int, message: str):
        self.offset, self.message = offset, message


def _scan_bibtex(text: str, name: str, fields: dict[str, dict[str, str]] | None = None
                 ) -> tuple[list[tuple[str, Pos]], list[Problem]]:
    """BibTeX/BibLaTeX: entries `@type{key, field = value, ...}`; text between entries is comment.

    `fields`, when given, receives each entry's fields as written (`{key: {name: raw value}}`)."""
    lines = _LineIndex(text)
    found: list[tuple[str, Pos]] = []
    problems: list[Problem] = []
    i = 0
    while True:
        m = _BIB_ENTRY_START.search(text, i)
        if not m:
            break
        kind, opener = m.group(1).lower(), m.group(2)
        closer = "}" if opener == "{" else ")"
        try:
            if kind == "comment":
                i = _skip_balanced(text, m.end(2) - 1, m.start())
                continue
            if kind in ("string", "preamble"):
                i = _skip_balanced(text, m.end(2) - 1, m.start())
                continue
            j = _skip_ws(text, m.end())
            key = _BIB_KEY.match(text, j)
            if not key:
                raise _BibSyntax(j, f"the @{kind} entry has no key (write `@{kind}{{key, ...}}`)")
            key_at = j
            j = _skip_ws(text, key.end())
            if j < len(text) and text[j] == ",":
                raw: dict[str, str] = {}
                j = _bib_fields(text, j + 1, closer, m.start(), raw)
                if fields is not None:
                    fields.setdefault(key.group(), raw)
            elif j < len(text) and text[j] == closer:
                j += 1
            else:
                raise _BibSyntax(j, f"expected `,` after the key `{key.group()}`")
            found.append((key.group(), lines.pos(name, key_at)))
            i = j
        except _BibSyntax as err:
            problems.append(Problem(lines.pos(name, err.offset), err.message))
            # Start again at the next line that opens an entry.
            nxt = re.compile(r"^[ \t]*@", re.M).search(text, max(err.offset, m.end()))
            if not nxt:
                break
            i = nxt.start()
    return found, problems


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _skip_balanced(text: str, i: int, entry_start: int) -> int:
    """From an opening `{` or `(` at i, the offset just past its partner."""
    opener = text[i]
    closer = "}" if opener == "{" else ")"
    depth = 0
    for j in range(i, len(text)):
        c = text[j]
        if c == opener or (opener == "(" and c == "{"):
            depth += 1
        elif c == closer or (opener == "(" and c == "}"):
            depth -= 1
            if depth == 0:
                return j + 1
    raise _BibSyntax(entry_start, f"unclosed `{opener}`: this entry never ends (a `{closer}` is missing)")


def _bib_fields(text: str, i: int, closer: str, entry_start: int, raw: dict[str, str]) -> int:
    """Parse `name = value, ...` up to the entry's closer (each value as written into `raw`);
    the offset just past it."""
    n = len(text)
    while True:
        i = _skip_ws(text, i)
        if i >= n:
            raise _BibSyntax(entry_start, f"unclosed entry: a `{closer}` is missing at its end")
        if text[i] == closer:
            return i + 1
        field_m = _BIB_IDENT.match(text, i)
        if not field_m:
            raise _BibSyntax(i, f"expected a field name (like `title = {{...}}`), found `{text[i]}`")
        fname = field_m.group()
        i = _skip_ws(text, field_m.end())
        value_start = i + 1
        if i >= n or text[i] != "=":
            raise _BibSyntax(i if i < n else entry_start, f"expected `=` after the field name `{fname}`")
        while True:  # value: part (# part)*
            i = _skip_ws(text, i + 1)
            if i >= n:
                raise _BibSyntax(entry_start, f"unclosed entry: the field `{fname}` has no value")
            c = text[i]
            if c == "{":
                i = _skip_balanced(text, i, entry_start)
            elif c == '"':
                depth, j = 0, i + 1
                while j < n and not (text[j] == '"' and depth == 0 and text[j - 1] != "\\"):
                    depth += {"{": 1, "}": -1}.get(text[j], 0)
                    j += 1
                if j >= n:
                    raise _BibSyntax(i, f"the value of `{fname}` opens a `\"` that is never closed")
                i = j + 1
            else:
                word = _BIB_IDENT.match(text, i)
                if not word:
                    raise _BibSyntax(i, f"expected a value for `{fname}`: `{{...}}`, `\"...\"`, a number or a @string name")
                i = word.end()
            value_end = i
            i = _skip_ws(text, i)
            if i < n and text[i] == "#":
                continue
            break
        raw.setdefault(fname.lower(), text[value_start:value_end].strip())
        if i < n and text[i] == ",":
            i += 1
        elif i < n and text[i] == closer:
            return i + 1
        else:
            raise _BibSyntax(i if i < n else entry_start, f"expected `,` or `{closer}` after the value of `{fname}`")
