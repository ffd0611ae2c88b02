"""The theme's fonts: each file found through the template folders, and Linux Biolinum subset to
the characters a page uses, as @font-face rules with woff2 data URIs."""
from __future__ import annotations

import base64
import hashlib
import html
import io
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..state import usercache
from . import DEFAULT_THEME
from ..problems import RenderError

FONT_DIRS = (
    DEFAULT_THEME / "fonts",  # bundled with the theme
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


def find_font(name: str, template_dirs: Sequence[Path] = (), system: bool = True) -> Path | None:
    """A font file of the theme by name: from the first template folder whose fonts/ holds it (a
    course's own templates/fonts/ before the theme's), else (with `system`) from the system's."""
    folders = [Path(t) / "fonts" for t in template_dirs]
    for d in [*folders, *(FONT_DIRS if system else ())]:
        p = d / name
        if p.is_file():
            return p.resolve()
    return None


def font_files(template_dirs: Sequence[Path]) -> dict[str, Path]:
    """Every font file (.otf, .ttf) of the template folders' fonts/ by name, each the one
    `find_font` gives (a course's own file before the theme's of the same name)."""
    names = {p.name for t in template_dirs if (Path(t) / "fonts").is_dir()
             for p in (Path(t) / "fonts").iterdir() if p.suffix.lower() in (".otf", ".ttf")}
    return {name: find_font(name, template_dirs, system=False) for name in sorted(names)}


def stamp(path: Path | str) -> tuple[int, int] | None:
    """(mtime_ns, size) of a file, None when it is not there: what tells a file (a font)
    replaced under the same name."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def fonts_available(template_dirs: Sequence[Path] = ()) -> bool:
    return all(find_font(f.file, template_dirs) for f in FACES)


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


def _subset(path: str, chars: str) -> bytes:
    """The woff2 subset of a font, from the user's cache when an earlier build made it."""
    return _subset_of(path, stamp(path), chars)


@lru_cache(maxsize=64)
def _subset_of(path: str, seen: tuple[int, int] | None, chars: str) -> bytes:
    cached = _cached_path(path, seen, chars)
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = _made_ahead(path, seen, chars)
    if data is None:
        data = _make_subset(path, chars)
    usercache.keep(cached, data)  # a read-only home: subset again next time
    return data


def _cached_path(path: str, seen: tuple[int, int] | None, chars: str) -> Path:
    key = hashlib.sha256(f"{path}|{seen}|{FEATURES}|{chars}".encode()).hexdigest()[:32]
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
    if not fonts_available():
        return False
    return any(not _cached_path(path, stamp(path), chars).is_file() for path, chars in map(_common, FACES))


def common_subsets() -> dict[tuple[str, tuple[int, int] | None, str], bytes]:
    """(font path, its stamp, characters) -> woff2 of each face's common subset (run in a PDF worker)."""
    if not fonts_available():
        return {}
    keys = [(path, stamp(path), chars) for path, chars in map(_common, FACES)]
    return {key: _subset_of(*key) for key in keys}


def made_elsewhere(future) -> None:
    """A future of a PDF job whose payload is `common_subsets()`: `_subset` takes from it rather
    than subsetting again (and subsets here when the job failed)."""
    _AHEAD.append(future)


_MADE: dict[tuple[str, tuple[int, int] | None, str], bytes] = {}  # what futures of `made_elsewhere` brought


def _made_ahead(path: str, seen: tuple[int, int] | None, chars: str) -> bytes | None:
    while _AHEAD:
        future = _AHEAD.pop()
        try:
            _MADE.update(future.result().payload or {})
        except Exception:  # cancelled, or the worker failed: subset here
            pass
    return _MADE.get((path, seen, chars))


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


def font_face_css(text: str, italic_text: str | None = None, family: str = FAMILY,
                  template_dirs: Sequence[Path] = ()) -> str:
    """@font-face rules embedding the Biolinum faces subset to `text`, or "" when not installed.

    Each face comes from `find_font` through `template_dirs` (a course's own first).
    The upright faces hold `text` and `ALWAYS`, the italic face `italic_text` and `ITALIC`
    (left out when `italic_text` is given and blank): pages with no character outside those
    sets (most pages of a course) share their subsets. Without the fonts (or fontTools' woff2 support) the theme's system font stack is used.
    """
    if not fonts_available(template_dirs):
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
            path = find_font(face.file, template_dirs)
            try:
                data = _subset(str(path), face_chars)
            except ImportError:
                raise
            except Exception as exc:  # validate._fonts reports a broken course font before this
                raise RenderError(f"{path}: this font cannot be subset for the deck ({exc}); "
                                  "replace it with an OpenType or TrueType font, or remove it") from exc
            b64 = base64.b64encode(data).decode("ascii")
            rules.append(
                f"@font-face{{font-family:'{family}';font-style:{face.style};"
                f"font-weight:{face.weight};font-display:block;"
                f"src:url(data:font/woff2;base64,{b64}) format('woff2')}}"
            )
    except ImportError:  # fontTools without brotli: fall back to the system stack
        return ""
    return "\n".join(rules)
