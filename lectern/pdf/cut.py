"""A part's PDF objects cut at what the book renumbers (`_cut`), and joined at the book's numbers (`_joined`).

A part is painted in a worker, its objects numbered 1..n and cut once there; the book only joins
the pieces, adding `base` to each reference and filling in each placeholder (see `PartPdf`).
"""
from __future__ import annotations

import re

import pydyf

# what the book renumbers in a part's object: a PDF string (skipped: it may hold anything), a
# reference "n 0 R", a placeholder "@XY@"; captured whole, to cut the object's bytes at them (`_cut`)
_TOKEN_RE = re.compile(rb"(\((?:\\.|[^\\()])*\)|(?<![\w.])\d+ 0 R\b|@[PDRKFOQ]\w*@)", re.S)


def _number(reference) -> int:
    return int(bytes(reference).split()[0])


def _cut(data: bytes, stream: bool, local) -> list:
    """An object's bytes cut at what the book renumbers: [text, token, text, ..., text].

    A token is a reference (an int: the object's number in its part, `local` maps the painted
    PDF's numbers), a placeholder `@XY@` ((X, Y): the book fills it in) or a PDF string (bytes,
    kept as it is: it may hold anything). A stream's data stays in the last text, untouched.
    Cut once where the part is painted (in a worker), the book only joins (`_joined`): a regex
    with a Python call per reference took a third of the book's assembly.
    """
    head, sep, body = data.partition(b"\nstream\n") if stream else (data, b"", b"")
    pieces: list = _TOKEN_RE.split(head)
    for i in range(1, len(pieces), 2):
        token = pieces[i]
        if token[:1] == b"@":
            pieces[i] = (token[1:2], token[2:-1])
        elif token[:1] != b"(":
            pieces[i] = local(int(token.split(b" ", 1)[0]))
    if sep:
        pieces[-1] += sep + body
    return pieces


def _joined(pieces: list, base: int, placeholder) -> bytes:
    """The bytes of a `_cut` object: references numbered from `base`, placeholders filled in."""
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        token = pieces[i]
        if token.__class__ is int:
            out.append(b"%d 0 R" % (base + token))
        elif token.__class__ is tuple:
            out.append(placeholder(token))
        else:
            out.append(token)
        out.append(pieces[i + 1])
    return b"".join(out)


def _serialized(kept: list, local) -> tuple[list[list], list[int]]:
    """`kept` objects (numbered from 1 in order) `_cut`, and which of them are streams."""
    objects, streams = [], []
    for index, obj in enumerate(kept, 1):
        stream = isinstance(obj, pydyf.Stream)
        objects.append(_cut(obj.data, stream, local))
        if stream:
            streams.append(index)
    return objects, streams


def _add_serialized(out: pydyf.PDF, objects: list[list], streams: list[int], base: int, placeholder) -> None:
    """Add objects `_serialized` made to `out`, numbered from `base`, placeholders filled in."""
    streams = set(streams)
    for index, pieces in enumerate(objects, 1):
        out.add_object(_Raw(_joined(pieces, base, placeholder), index in streams))


class _Raw(pydyf.Object):
    """An object already serialized (a part's, renumbered for the book)."""

    def __init__(self, data: bytes, stream: bool):
        super().__init__()
        self._data = data
        self._stream = stream

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return not self._stream
