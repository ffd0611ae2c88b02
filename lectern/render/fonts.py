"""Linux Biolinum, subset to the characters a page uses, as @font-face rules with woff2 data URIs."""
from __future__ import annotations

import base64
import hashlib
import html
import io
import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import usercache

FONT_DIRS = (
    Path(__file__).resolve().parent.parent.parent / "templates" / "fonts",  # bundled with the theme
    Path("/usr/share/fonts/opentype/linux-libertine"),
    Path("/usr/share/fonts/truetype/linux-libertine"),
    Path("/usr/share/fonts/opentype/libertine"),
)
FAMILY = "Lectern Sans"
# Characters every subset holds: printable ASCII and Latin-1 (so the decks of a course in a
# Western European language share one subset per face: it is made once, in a cold build too,
# and kept in the user's cache) and what the theme's CSS and runtime show whatever the text.
ALWAYS = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xC0, 0x100)]) + "¡¿«»°·–—“”‘’…•→←↑↓"
ITALIC = "".join(chr(c) for c in range(0x20, 0x7F)) + "–—“”‘’…"  # the italic face: for emphasis and quotations


@dataclass(frozen=True)
class Face:
    file: str
    style: str
    weight: int


FACES = (
    Face("LinBiolinum_R.otf", "normal", 400),
    Face("LinBiolinum_RB.otf", "normal", 700),
    Face("LinBiolinum_RI.otf", "italic", 400),
)


def find_font(name: str) -> Path | None:
    for d in FONT_DIRS:
        p = d / name
        if p.is_file():
            return p
    return None


def fonts_available() -> bool:
    return all(find_font(f.file) for f in FACES)


_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.S | re.I)


def text_of(markup: str) -> str:
    """The characters a reader can see in an HTML page (tags, scripts and styles removed)."""
    return html.unescape(_TAG.sub(" ", markup))


_ITALIC = re.compile(r"<(em|i|blockquote|cite)\b[^>]*>(.*?)</\1>", re.S | re.I)


def italic_text_of(markup: str) -> str:
    """The text a theme sets in italic: emphasis and block quotations."""
    return "".join(text_of(m.group(2)) for m in _ITALIC.finditer(markup))


FEATURES = ["kern", "liga", "onum", "lnum", "pnum", "tnum"]


def cache_dir() -> Path:
    return usercache.folder("fonts")


@lru_cache(maxsize=64)
def _subset(path: str, chars: str) -> bytes:
    """The woff2 subset of a font, from the user's cache when an earlier build made it."""
    cached = _cached_path(path, chars)
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = _made_ahead(path, chars)
    if data is None:
        data = _make_subset(path, chars)
    usercache.keep(cached, data)  # a read-only home: subset again next time
    return data


def _cached_path(path: str, chars: str) -> Path:
    key = hashlib.sha256(f"{path}|{os.path.getmtime(path)}|{FEATURES}|{chars}".encode()).hexdigest()[:32]
    return cache_dir() / f"{key}.woff2"


# --- the common subsets, made ahead in a PDF worker ---------------------------------------------
# A cold build's decks need the subsets of ALWAYS and ITALIC (about 1.2 s of fontTools); a PDF
# worker makes them while this process still loads the course (`pipeline` submits the job).

_AHEAD: list = []  # futures of `common_subsets` run elsewhere, not yet taken


def _subset_chars(text: str, always: str) -> str:
    """The characters a face is subset to: `text` and `always`, sorted, line breaks and tabs left out
    (the one rule for `font_face_css` and the common subsets, so that their keys agree)."""
    return "".join(sorted(set(text + always) - {"\n", "\r", "\t"}))


def _common(face: Face) -> tuple[str, str]:
    """(font path, characters) of a face's common subset: a page with nothing outside ALWAYS
    (or, italic, ITALIC) asks `_subset` for exactly this."""
    return str(find_font(face.file)), _subset_chars("", ITALIC if face.style == "italic" else ALWAYS)


def common_subsets_missing() -> bool:
    """Whether the fonts are here and a common subset is not in the user's cache yet."""
    return fonts_available() and any(not _cached_path(*_common(f)).is_file() for f in FACES)


def common_subsets() -> dict[tuple[str, str], bytes]:
    """(font path, characters) -> woff2 of each face's common subset (run in a PDF worker)."""
    return {key: _subset(*key) for key in map(_common, FACES)} if fonts_available() else {}


def made_elsewhere(future) -> None:
    """A future of a PDF job whose payload is `common_subsets()`: `_subset` takes from it rather
    than subsetting again (and subsets here when the job failed)."""
    _AHEAD.append(future)


_MADE: dict[tuple[str, str], bytes] = {}  # what futures of `made_elsewhere` brought


def _made_ahead(path: str, chars: str) -> bytes | None:
    while _AHEAD:
        future = _AHEAD.pop()
        try:
            _MADE.update(future.result().payload or {})
        except Exception:  # cancelled, or the worker failed: subset here
            pass
    return _MADE.get((path, chars))


def _make_subset(path: str, chars: str) -> bytes:
    from fontTools import subset  # imported here: only decks and the course page pay for it
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # the whole font's bounds hold for a subset (25 % faster); its own date, not now: the same bytes every build
    font = TTFont(path, recalcBBoxes=False, recalcTimestamp=False)
    opts = subset.Options()
    opts.flavor = "woff2"
    opts.layout_features = FEATURES
    opts.name_IDs = [1, 2]
    opts.hinting = False
    opts.desubroutinize = True
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def font_face_css(text: str, italic_text: str | None = None, family: str = FAMILY) -> str:
    """@font-face rules embedding the Biolinum faces subset to `text`, or "" when not installed.

    The upright faces hold `text` and `ALWAYS`, the italic face `italic_text` and `ITALIC`
    (left out when `italic_text` is given and blank): pages with no character outside those
    sets (most pages of a course) share their subsets. Without the fonts (or fontTools' woff2 support) the theme's system font stack is used.
    """
    if not fonts_available():
        return ""
    chars = _subset_chars(text, ALWAYS)
    rules = []
    try:
        for face in FACES:
            face_chars = chars
            if face.style == "italic" and italic_text is not None:
                if not italic_text.strip():
                    continue
                face_chars = _subset_chars(italic_text, ITALIC)
            data = _subset(str(find_font(face.file)), face_chars)
            b64 = base64.b64encode(data).decode("ascii")
            rules.append(
                f"@font-face{{font-family:'{family}';font-style:{face.style};"
                f"font-weight:{face.weight};font-display:block;"
                f"src:url(data:font/woff2;base64,{b64}) format('woff2')}}"
            )
    except ImportError:  # fontTools without brotli: fall back to the system stack
        return ""
    return "\n".join(rules)
