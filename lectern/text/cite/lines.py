"""Where a scanner is in a bibliography's text: offsets to 1-based line and column."""
from __future__ import annotations

import bisect
import re

from ...course.model import Pos


class _LineIndex:
    """Offsets in a text to 1-based (line, column)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def pos(self, name: str, offset: int) -> Pos:
        line = bisect.bisect_right(self.starts, offset)
        return Pos(name, line, offset - self.starts[line - 1] + 1)
