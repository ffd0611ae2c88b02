"""The visible text of an HTML fragment, a formula given as its LaTeX: for <title>, bookmarks, metadata, measuring."""
from __future__ import annotations

import html as htmlmod
import re

_TAGS = re.compile(r"<[^>]*>")
# a typeset formula (text/mathsvg.py): on screen a labelled span around an SVG, in print an image
_MATH = re.compile(r'<span class="math-body" role="math" aria-label="([^"]*)">.*?</svg></span>'
                   r'|<img class="math-img"[^>]*?\salt="([^"]*)"[^>]*>', re.S)


def plain(markup: object) -> str:
    """Text of an HTML fragment, tags dropped, entities decoded; a formula becomes its LaTeX source."""
    text = _MATH.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), str(markup or ""))
    return htmlmod.unescape(_TAGS.sub("", text)).strip()
