"""The course page (output/index.html): the course and, for each lecture, its deck, handouts and duration."""
from __future__ import annotations

import jinja2
from markupsafe import Markup

from ..text.view import IndexView
from ..theme.fonts import font_face_css, italic_text_of, text_of
from ..text.labels import labels
from ..theme.templates import env_dirs, read_asset

FONTS_MARK = "/*@lectern-fonts@*/"


def render_index(index: IndexView, env: jinja2.Environment, *, embed_fonts: bool = True) -> str:
    """The course page as one HTML file with its style inside (readable on a phone, no network)."""
    css = read_asset(env, "index.css").replace("</style", "<\\/style")
    page = env.get_template("index.html.j2").render(index=index, L=labels(index.lang), css=Markup(css), fonts=Markup(FONTS_MARK))
    fonts = font_face_css(text_of(page), italic_text_of(page), template_dirs=env_dirs(env)) if embed_fonts else ""
    return page.replace(FONTS_MARK, fonts, 1)
