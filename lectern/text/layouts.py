"""Views of a slide's layout keys (issue 18): its columns, its row of pictures, its background."""
from __future__ import annotations

from markupsafe import Markup

from ..course.contrast import text_tone
from ..course.model import Image, Slide
from .view import BackgroundView, Figure, PointView, QuoteView, SlideView


def picture_figure(resolver, image: Image, number: str, ctx) -> Figure | None:
    """One picture as a numbered figure, with its size and fit."""
    from .resolve import _image_body
    if image.path is None:
        return None
    return Figure("image", number, f"fig-{number.replace('.', '-')}", _image_body(image), image.alt,
                  caption=resolver.html(image.caption, ctx), width=image.width, fit=image.fit)


def sized(figure: Figure | None, slide: Slide) -> Figure | None:
    """The slide's own `image` figure with its `width` and `fit`."""
    if figure is not None and figure.kind == "image" and slide.image is not None:
        figure.width, figure.fit = slide.image.width, slide.image.fit
    return figure


def pane_view(resolver, made, pane: Slide, ctx, step: int | None) -> SlideView:
    """A column as a small slide view (kind "column"): what it shows, numbered through the lecture."""
    figure = None
    if pane.has_figure():
        made.figures += 1
        figure = sized(resolver.figure(pane, f"{made.number}.{made.figures}", ctx, on_slide=True), pane)
    quote = None
    if pane.quote is not None:
        from .markup import bare_citation
        quote = QuoteView(resolver.html(pane.quote.text, ctx), bare_citation(resolver.html(pane.quote.source, ctx)))
    view = SlideView(number=0, kind="column", id="", title=Markup(""), points=resolver.points(pane.points, ctx),
                     quote=quote, figure=figure, body=resolver.slide_body(pane, ctx), step=step)
    view.images = deck_images(resolver, made, pane, ctx)
    return view


def deck_images(resolver, made, pane: Slide, ctx) -> list[Figure]:
    out = []
    for image in pane.images:
        made.figures += 1
        fig = picture_figure(resolver, image, f"{made.number}.{made.figures}", ctx)
        if fig is not None:
            out.append(fig)
    return out


def add_layout(resolver, made, slide: Slide, view: SlideView, ctx) -> None:
    """Fill a deck slide's columns, picture row and background; `build` steps through the columns."""
    view.figure = sized(view.figure, slide)
    view.images = deck_images(resolver, made, slide, ctx)
    if slide.columns:
        view.columns = [pane_view(resolver, made, c, ctx, (i + 1) if slide.build else None)
                        for i, c in enumerate(slide.columns)]
        view.widths = list(slide.widths)
        view.steps = len(slide.columns) if slide.build else 0
    view.background = background_view(slide)


def background_view(slide: Slide) -> BackgroundView | None:
    bg = slide.background
    if bg is None:
        return None
    if bg.color:
        return BackgroundView(text_tone(bg), color=bg.color, dim=0.0)
    if bg.image is None or bg.image.path is None:
        return None
    return BackgroundView(text_tone(bg), picture=data_url(bg.image.path), dim=bg.dim, alt=bg.image.alt)


def data_url(path) -> str:
    """A picture as a data: URL (an SVG is sanitized first), for a CSS background."""
    import base64
    from .resolve import MIME
    from .svgsafe import sanitize_svg
    if path.suffix.lower() == ".svg":
        data, mime = str(sanitize_svg(path.read_text("utf-8", errors="replace"), label="")).encode(), "image/svg+xml"
    else:
        data, mime = path.read_bytes(), MIME[path.suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def guide_figures(resolver, slide: Slide, chapter: int, figure_no: int, ctx) -> tuple[list[Figure], int]:
    """The guide's figures from a slide's picture row and its columns' pictures and charts, in order."""
    out = []
    for pane in slide.panes():
        if pane.is_column and pane.has_figure():
            figure_no += 1
            fig = sized(resolver.figure(pane, f"{chapter}.{figure_no}", ctx), pane)
            if fig is not None:
                out.append(fig)
        for image in pane.images:
            figure_no += 1
            fig = picture_figure(resolver, image, f"{chapter}.{figure_no}", ctx)
            if fig is not None:
                out.append(fig)
    return out, figure_no


def column_points(resolver, slide: Slide, ctx) -> list[PointView]:
    """A columns slide's points, column after column, for the guide's key points."""
    return [p for c in slide.columns for p in resolver.points(c.points, ctx)]
