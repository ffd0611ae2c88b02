"""Every PDF stream compressed at zlib level 6 where pydyf 0.13 (WeasyPrint's writer) uses 9.

Level 9 spends twice level 6's time for under 1% fewer bytes on a page's drawing: the math
bench's study guide, 3.4 MB of content streams, took 0.39 s at 9 and 0.17 s at 6 for 1,054,987
and 1,064,701 bytes. Every PDF Lectern writes (guide parts, handouts, notes, slide PDFs) goes
through `pydyf.Stream.data`; this is that property with the level changed, nothing else.

    zlevel.install()     # once a process, before writing (pdf/engine.py does it at import)
    zlevel.LEVEL         # the level in use
"""
from __future__ import annotations

import zlib

import pydyf

LEVEL = 6
INSTALLED = False
ORIGINAL = pydyf.Stream.data  # pydyf's, for tests


def _data(self) -> bytes:
    """`pydyf.Stream.data` as in 0.13, at LEVEL."""
    stream = b"\n".join(pydyf._to_bytes(item) for item in self.stream)
    extra = pydyf.Dictionary(self.extra.copy())
    if self.compress:
        extra["Filter"] = "/FlateDecode"
        stream = zlib.compress(stream, LEVEL)
    extra["Length"] = len(stream)
    return b"\n".join((extra.data, b"stream", stream, b"endstream"))


def install() -> bool:
    """Use `_data` for every stream (idempotent); whether it is in use."""
    global INSTALLED
    if INSTALLED:
        return True
    if pydyf.Stream.data is not ORIGINAL or getattr(pydyf, "VERSION", "") != "0.13.0":
        return False
    pydyf.Stream.data = property(_data)
    INSTALLED = True
    return True


def pydyf_own():
    """For tests: pydyf's own level, for as long as the block runs."""
    from .rewrite import swapped
    return swapped(ORIGINAL, (pydyf.Stream, "data"))
