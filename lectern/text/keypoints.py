"""A key point for a slide that has no points: its quotation, its figure or its timeline, in brief.

The study guide sums each section's slides up in a key-points box, a slide's title over its
points. A slide that is only a chart, a picture, a quotation or a timeline has no points, so
its title would stand alone, a heading with nothing under it; `in_brief` gives the line to put
under it instead.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from ..course.model import Md, Slide
from .labels import labels_for
from .markup import bare_citation
from .view import Figure, PointView


def in_brief(slide: Slide, figure: Figure | None, html: Callable[[Md | None], Markup | None],
             lang: str) -> list[PointView]:
    """What a slide without points shows, as the point under its title: its quotation and
    source, a pointer to its figure, or the span of its timeline (nothing for a bare title).
    `html` renders the slide's Markdown for the guide (its notes numbered in the chapter)."""
    words = labels_for(lang)
    if slide.quote is not None:
        text, source = _inline(html(slide.quote.text)), bare_citation(html(slide.quote.source))
        return [PointView(Markup("{} — {}").format(text, _inline(source)) if source else text)]
    if figure is not None:
        what = escape(figure.title) if figure.title else (_inline(figure.caption) if figure.caption else "")
        if not what and figure.kind in ("video", "embed"):  # their title is what a reader is told of them
            what = escape(figure.alt)
        link = Markup('<a href="#{}">{} {}</a>').format(figure.id, words["figure"], figure.number)
        return [PointView(link + (Markup(": ") + what if what else Markup("")))]
    if slide.timeline is not None:
        span = slide.timeline
        years = f"{span.start}–{span.end}" if span.end != span.start else str(span.start)
        # the guide's chronology appendix (print.guidehtml.appendices_of names it so)
        return [PointView(Markup('<a href="#appendix-chronology">{}</a>, {}').format(words["chronology"], years))]
    return []


def _inline(html: Markup | None) -> Markup:
    """A fragment's paragraphs run together as inline text (a quotation in a key point)."""
    text = re.sub(r"\s*</p>\s*<p>\s*", " ", str(html or ""))
    return Markup(re.sub(r"^\s*<p>|</p>\s*$", "", text))
