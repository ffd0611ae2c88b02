"""Which characters the course's fonts can draw, and a warning (file:line) for each one they cannot."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..problems import Problem
from . import DEFAULT_THEME, fonts

MAX_WARNINGS = 20  # one per character; a course in an uncovered script gets a sample, then a summary


@lru_cache(maxsize=8)
def _cmap(path: str, seen: tuple[int, int] | None) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable font is reported where it is used; it covers nothing here
        return frozenset()


def covered(template_dirs: list[Path]) -> frozenset[int]:
    """Every code point some font of the theme (a course's templates/fonts/ included) has a glyph for."""
    out: set[int] = set()
    for path in fonts.font_files(template_dirs).values():
        if path is not None:
            out |= _cmap(str(path), fonts.stamp(path))
    return frozenset(out)


def _drawn(ch: str) -> bool:
    """A character that needs a glyph (not a space, a control or a joiner that no font draws)."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _surely_covered(chars: set[str], template_dirs: list[Path]) -> bool:
    """Whether the theme's own faces, made to cover `fonts.ALWAYS` (a test checks it), draw them all
    and no course font stands in: then no font file is opened (a build's main process never
    imports fontTools for a course in a Western European language)."""
    own = any(p is not None and not p.resolve().is_relative_to(DEFAULT_THEME)
              for p in fonts.font_files(template_dirs).values())
    return not own and chars <= _ALWAYS


_ALWAYS = set(fonts.ALWAYS)
_BEYOND_ASCII = re.compile(r"[^\x00-\x7e]")  # the characters a text's scan looks at (found by the regex engine, not a loop)


def missing_glyphs(texts, template_dirs: list[Path]) -> list[Problem]:
    """A warning at the first place of each character no font covers; `texts` are Md values."""
    first: dict[str, tuple[object, int]] = {}
    for md in texts:
        for found in _BEYOND_ASCII.finditer(md.src):
            ch = found.group()
            if ch not in first and _drawn(ch):
                first[ch] = (md, found.start())
    if not first or _surely_covered(set(first), template_dirs):
        return []
    have = covered(template_dirs)
    if not have:  # no fonts found at all: fonts_available() reports that elsewhere
        return []
    first = {ch: place for ch, place in first.items() if ord(ch) not in have}
    problems = []
    for ch, (md, i) in list(first.items())[:MAX_WARNINGS]:
        name = unicodedata.name(ch, "unnamed")
        problems.append(Problem(md.locate(i), f"the character '{ch}' (U+{ord(ch):04X} {name}) has no glyph in the "
                                              "course's fonts: it prints as an empty box, or in whatever font "
                                              "each machine has; write it another way or use fonts that have it",
                                "warning"))
    if len(first) > MAX_WARNINGS:
        md, i = list(first.values())[MAX_WARNINGS]
        problems.append(Problem(md.locate(i), f"{len(first) - MAX_WARNINGS} more characters have no glyph in the "
                                              "course's fonts", "warning"))
    return problems


def course_texts(course) -> list:
    """Every Markdown text of the course (each Md once)."""
    from ..text.markup import lecture_texts
    texts = [t for t in (course.title, course.subtitle) if t is not None]
    texts += [e.event for e in course.timeline] + [e.definition for e in course.glossary]
    for lecture in course.lectures:
        texts += [t for t, _inline, _section in lecture_texts(lecture)] + list(lecture.footnotes.values())
    return texts
