"""The theme's fonts a book embeds once for all its parts, with every part's glyphs.

The theme's font programs (`font_programs`) are what a book embeds once; a part painted for the
book (`part.write_part`) writes a placeholder `@F<key>@` for each use of one (a `SharedFont`),
and the book (`book.write_book`) embeds each key once with the glyphs of all the uses. Both
work by standing in for WeasyPrint's font embedding while they paint (`_fonts_built_by`).
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from ..theme.fonts import stamp

_FONT_ATTRS_LEFT_OUT = ("hb_font", "hb_face", "file_content", "to_unicode", "widths")


@dataclass
class SharedFont:
    """A font a part uses whose program is one of the book's (`programs`): embedded once for
    the whole book, with the glyphs of every part, instead of once per part."""

    key: str  # resource name and program digest: one embedded font per key
    digest: str  # md5 of the font program
    attrs: dict  # the WeasyPrint font's plain attributes (name, metrics, flags, ...)
    to_unicode: dict  # glyph id → text
    widths: dict  # glyph id → width


_PROGRAMS: dict[tuple, dict[str, bytes]] = {}
_FONTS_LOCK = threading.Lock()


def font_programs(files: list[Path]) -> dict[str, bytes]:
    """The font files by the md5 of their bytes: the fonts a book embeds once for all its parts
    (any other font is embedded by each part that uses it)."""
    files = sorted(Path(p) for p in files if p is not None and Path(p).is_file())
    key = tuple((str(p), stamp(p)) for p in files)
    if key not in _PROGRAMS:
        found = {}
        for path in files:
            data = path.read_bytes()
            found[hashlib.md5(data).hexdigest()] = data
        _PROGRAMS[key] = found
    return _PROGRAMS[key]


@contextlib.contextmanager
def _fonts_built_by(build):
    """WeasyPrint's font embedding replaced by `build(real, pdf, fonts, compress, subset, options)`."""
    import weasyprint.pdf as wpdf
    with _FONTS_LOCK:
        real = wpdf.build_fonts_dictionary
        wpdf.build_fonts_dictionary = lambda *args: build(real, *args)
        try:
            yield
        finally:
            wpdf.build_fonts_dictionary = real


def _shared(fonts: dict, programs: dict[str, bytes], subset: bool) -> tuple[dict, list[SharedFont]]:
    """The fonts embedded as usual, and the uses of fonts whose program is one of `programs`."""
    own, found = {}, {}
    for name, font in fonts.items():
        digest = None
        if subset and not font.used_in_forms and not font.bitmap:
            digest = hashlib.md5(font.file_content).hexdigest()
        if digest not in programs:
            own[name] = font
            continue
        key = f"{font.hash}{digest}"
        if key not in found:
            attrs = {k: v for k, v in vars(font).items() if k not in _FONT_ATTRS_LEFT_OUT}
            found[key] = SharedFont(key, digest, attrs, {}, {})
        found[key].to_unicode.update(font.to_unicode)
        found[key].widths.update(font.widths)
    return own, list(found.values())


def _hb_face(data: bytes, index: int):
    """A HarfBuzz face of a font program (WeasyPrint subsets with it), or None."""
    from weasyprint.text.ffi import ffi, harfbuzz
    try:
        if not hasattr(_hb_face, "declared"):
            ffi.cdef("hb_blob_t * hb_blob_create (const char *data, unsigned int length, int mode, "
                     "void *user_data, void *destroy); hb_face_t * hb_face_create (hb_blob_t *blob, "
                     "unsigned int index);")
            _hb_face.declared = True
        buffer = ffi.new("char[]", data)
        blob = harfbuzz.hb_blob_create(buffer, len(data), 1, ffi.NULL, ffi.NULL)  # read-only
        face = ffi.gc(harfbuzz.hb_face_create(blob, index), harfbuzz.hb_face_destroy)
        harfbuzz.hb_blob_destroy(blob)
    except Exception:  # an older HarfBuzz or cffi: fontTools subsets instead
        return None, None
    return face, buffer


def _book_font(use: SharedFont, data: bytes):
    """A WeasyPrint font made from a program and every part's use of it, for embedding once."""
    from weasyprint.pdf.fonts import Font

    font = Font.__new__(Font)
    font.__dict__.update(use.attrs)
    font.hash = use.key  # one embedded font (and resource name) per key
    font.file_content = data
    font.to_unicode, font.widths = dict(use.to_unicode), dict(use.widths)
    font.hb_font = None
    font.hb_face, font._buffer = _hb_face(data, font.index)
    if font.hb_face is None:
        font.subset = lambda to_unicode, hinting: Font._fonttools_subset(font, to_unicode, hinting)
    return font


def _leaving_book_fonts(programs: dict[str, bytes], shared: list[SharedFont]):
    """A font builder (see `_fonts_built_by`) for a part: it embeds the part's own fonts and, for
    those whose program is one of `programs`, writes `@F<key>@` and adds them to `shared`, for the
    book to embed once (`write_book`)."""
    def build(real, out, fonts, compress, subset, options):
        own, uses = _shared(fonts, programs, subset)
        pdf_fonts = real(out, own, compress, subset, options)
        for use in uses:
            pdf_fonts[use.attrs["hash"]] = f"@F{use.key}@"
        shared.extend(uses)
        return pdf_fonts
    return build


def _embedding_once(uses: list[SharedFont], programs: dict[str, bytes], refs: dict[str, bytes]):
    """A font builder (see `_fonts_built_by`) for the book: it embeds each key of `uses` once,
    with the glyphs of every use (filling `refs`, key → reference), then the book's own fonts."""
    def build(real, out, fonts, compress, subset, options):
        merged: dict[str, SharedFont] = {}
        for use in uses:
            if use.key not in merged:
                merged[use.key] = SharedFont(use.key, use.digest, dict(use.attrs), {}, {})
            book = merged[use.key]
            for glyph, text in use.to_unicode.items():  # a glyph stands for what it was first used for
                book.to_unicode.setdefault(glyph, text)
            for glyph, width in use.widths.items():
                book.widths.setdefault(glyph, width)
            for char, glyph in (use.attrs.get("missing") or {}).items():
                book.attrs.setdefault("missing", {}).setdefault(char, glyph)
        refs.update(real(out, {key: _book_font(use, programs[use.digest]) for key, use in merged.items()},
                         compress, subset, options))
        return real(out, fonts, compress, subset, options)
    return build
