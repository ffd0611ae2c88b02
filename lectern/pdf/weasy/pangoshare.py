"""A Pango layout made from a context and font description shared by every layout of the same font.

WeasyPrint 70 makes a Pango layout for every run of text it measures, and again for every
hyphenation it tries and every box it paints (`text.line_break.Layout.setup`); each time it
creates a Pango context for the font map, parses the language, builds a font description and,
for underlined text, reads the font's metrics: about a tenth of a guide's layout. A Pango
context and a font description are inputs only (a layout copies the description and reads the
context), so those of one font (font map, direction, language, family, style, stretch, weight,
size, variant, variations) are made once and shared; each layout is still its own, with its own
attribute list. Same Pango inputs, same glyphs: the PDFs are byte for byte WeasyPrint's own.

    pangoshare.install()     # once a process (pdf/engine.py does it at import)
    pangoshare.INSTALLED     # False when this WeasyPrint's Layout is not the one this was made for
"""
from __future__ import annotations

import inspect
import threading
from dataclasses import dataclass

from weasyprint.text import line_break
from weasyprint.text.constants import PANGO_DIRECTION
from weasyprint.text.ffi import ffi, gobject, pango, unicode_to_char_p
from weasyprint.text.fonts import get_font_description
from weasyprint.text.line_break import FROM_UNITS, LST_TO_ISO, font_features

from .rewrite import swapped

INSTALLED = False
ORIGINAL = line_break.Layout.setup  # for tests: WeasyPrint's own
MOST_FONTS = 512  # fonts kept a process; past it the oldest half is let go
MOST_CONFIGS = 16  # font configurations whose fonts are kept (pdf/engine keeps 16 sets of sheets, each its own)
# the lines of WeasyPrint's `setup` this was written against (a digest would hide what changed)
EXPECTED = ("pango.pango_font_map_create_context(font_map)", "get_font_description(style)",
            "pango.pango_layout_set_font_description(self.layout, font_description)",
            "pango.pango_context_get_metrics(", "style.font_config.font_features.setdefault(")


@dataclass
class _Font:
    """What every layout of one font shares."""

    font_config: object  # kept alive with its font map while layouts are made from it
    context: object
    description: object
    language: object
    metrics: tuple[float, float, float, float, float] | None  # ascent, underline/strike position and thickness


_fonts: dict[tuple, _Font] = {}
_configs: dict[int, object] = {}  # id -> font configuration with fonts in `_fonts`, oldest first
_lock = threading.Lock()  # held while the two change


def _key(style) -> tuple:
    return (id(style.font_config), style["direction"], style["font_language_override"], style["lang"],
            tuple(style["font_family"]), style["font_style"], style["font_stretch"], style["font_weight"],
            style["font_size"], style["font_variant_caps"], _hashable(style["font_variation_settings"]),
            style["text_decoration_line"] != "none")


def _hashable(value):
    return value if isinstance(value, str) else tuple(tuple(v) if isinstance(v, list) else v for v in value)


def _font(style) -> _Font:
    key = _key(style)
    font = _fonts.get(key)
    if font is not None and font.font_config is style.font_config:
        return font
    context = ffi.gc(pango.pango_font_map_create_context(style.font_config.font_map), gobject.g_object_unref)
    pango.pango_context_set_round_glyph_positions(context, False)
    pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
    if style["font_language_override"] != "normal":
        lang_p, lang = unicode_to_char_p(LST_TO_ISO.get(
            style["font_language_override"].lower(), style["font_language_override"]))
    elif style["lang"]:
        lang_p, lang = unicode_to_char_p(style["lang"])
    else:
        lang = None
        language = pango.pango_language_get_default()
    if lang:
        language = pango.pango_language_from_string(lang_p)
        pango.pango_context_set_language(context, language)
    description = get_font_description(style)
    metrics = None
    if style["text_decoration_line"] != "none":
        found = ffi.gc(pango.pango_context_get_metrics(context, description, language),
                       pango.pango_font_metrics_unref)
        metrics = (FROM_UNITS * pango.pango_font_metrics_get_ascent(found),
                   FROM_UNITS * pango.pango_font_metrics_get_underline_position(found),
                   FROM_UNITS * pango.pango_font_metrics_get_strikethrough_position(found),
                   FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(found),
                   FROM_UNITS * pango.pango_font_metrics_get_strikethrough_thickness(found))
    font = _Font(style.font_config, context, description, language, metrics)
    with _lock:
        _make_room(style.font_config)
        _fonts[key] = font
    return font


def _make_room(config) -> None:
    """Let go of the fonts of the oldest font configurations past MOST_CONFIGS (a configuration
    the engine no longer uses, such as one of a font replaced while `serve` runs, is not kept
    alive here for ever), and of the oldest half of the fonts past MOST_FONTS."""
    _configs.pop(id(config), None)
    _configs[id(config)] = config
    while len(_configs) > MOST_CONFIGS:
        gone = next(iter(_configs))
        del _configs[gone]
        for key in [key for key in _fonts if key[0] == gone]:
            del _fonts[key]
    if len(_fonts) >= MOST_FONTS:
        for old in list(_fonts)[:MOST_FONTS // 2]:
            del _fonts[old]


def setup(self, style):
    """WeasyPrint's `Layout.setup`, from the shared context and font description of its font."""
    self.style = style
    self.first_line_direction = 0
    font = _font(style)
    self.language = font.language
    self.layout = ffi.gc(pango.pango_layout_new(font.context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, font.description)
    if font.metrics is not None:
        (self.ascent, self.underline_position, self.strikethrough_position,
         self.underline_thickness, self.strikethrough_thickness) = font.metrics
    else:
        self.ascent = None
        self.underline_position = None
        self.strikethrough_position = None
    features = font_features(
        style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
        style["font_variant_caps"], style["font_variant_numeric"], style["font_variant_alternates"],
        style["font_variant_east_asian"], style["font_feature_settings"])
    if features:
        features = ",".join(f"{key} {value}" for key, value in features.items()).encode()
        attr = style.font_config.font_features.setdefault(features, pango.pango_attr_font_features_new(features))
        attr_list = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attr_list, attr)
        pango.pango_layout_set_attributes(self.layout, attr_list)


def install() -> bool:
    """Use the shared setup for every layout (idempotent); whether it is in use."""
    global INSTALLED
    if not INSTALLED:
        try:
            source = inspect.getsource(ORIGINAL)
        except (OSError, TypeError):
            return False
        if not all(line in source for line in EXPECTED):
            return False
        line_break.Layout.setup = setup
        INSTALLED = True
    return True


def weasyprint_own():
    """For tests: WeasyPrint's own setup, for as long as the block runs."""
    return swapped(ORIGINAL, (line_break.Layout, "setup"))
