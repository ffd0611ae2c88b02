"""A lecture's DeckView becomes one self-contained HTML deck: slides, theme CSS, runtime JS, fonts."""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import weakref
from dataclasses import dataclass, field, replace

import jinja2
from markupsafe import Markup

from ..text.plain import plain
from ..text.references import LINE_CHARS, _lines, _reference_cost, split_references
from ..text.view import DeckView, SlideView
from ..theme.fonts import font_face_css, italic_text_of, text_of
from ..text.labels import labels
from ..theme.templates import env_dirs, read_asset

# One file a concern under templates/deck/js/, concatenated in this order (each in its own scope).
JS_MODULES = ("scale", "nav", "steps", "ui", "miniature", "overview", "speaker", "help", "touch", "reading", "media")
MEDIA_JS = "media"  # only in a deck with a video or a live page
CSS_FILES = ("deck/deck.css",)
READING_CSS = "deck/reading.css"  # a phone's reading view (js/reading.js): screens only, never print
OPTIONAL_CSS = "deck/custom.css"  # a course's templates/ may add this to restyle the theme

FONTS_MARK = "/*@lectern-fonts@*/"
_FN_REF = re.compile(r'data-fn="([^"]+)"')


@dataclass
class SlideRender:
    """A slide with what the template needs beyond the view: layout, type density, note steps."""

    slide: SlideView
    number: int
    layout: str
    density: int
    footnote_steps: dict[str, int] = field(default_factory=dict)


def layout_of(slide: SlideView) -> str:
    """The arrangement of a content slide: text, split (text beside a figure), media, quote, timeline."""
    if slide.kind != "content":
        return slide.kind
    if slide.columns:  # layouts (issue 18)
        return "columns"
    text = bool(slide.points or slide.quote or slide.timeline or slide.body)
    if slide.figure is not None or slide.images:
        return "split" if text else "media"
    if slide.timeline and not slide.points and not slide.quote:
        return "timeline"
    if slide.quote and not slide.points and not slide.timeline:
        return "quote"
    return "text"


def _point_lines(points, width: int, depth: int = 0) -> float:
    total = 0.0
    for p in points:
        total += _lines(plain(p.html), width - 4 * depth) + 0.3
        total += _point_lines(p.children, width, depth + 1)
    return total


def load_of(slide: SlideView, layout: str, width: int | None = None) -> float:
    """Lines of body text a slide holds at 32 px type (the body fits about 13 of them)."""
    width = width or (LINE_CHARS // 2 if layout == "split" else LINE_CHARS)
    n = _point_lines(slide.points, width) + _columns_load(slide)
    if slide.body:
        n += body_lines(slide.body, width)
    if slide.quote:
        quote_width = width if slide.points or layout == "split" else int(LINE_CHARS * 0.85)
        n += _lines(plain(slide.quote.html), quote_width) * 1.15 + (1 if slide.quote.source else 0) + 0.5
    if slide.timeline:
        if len(slide.timeline) <= 6:
            per = max(_lines(plain(t.html), max(8, 96 // len(slide.timeline))) for t in slide.timeline)
            n += 2.2 + per * 0.8
        else:
            per_entry = (0.75 + _lines(plain(t.html), int(LINE_CHARS / 2 / 0.82) - 4) * 0.75 + 0.45
                         for t in slide.timeline)
            n += sum(per_entry) / 2 + 1
    n += sum(_lines(plain(f.html), LINE_CHARS * 2) * 0.6 for f in slide.footnotes)
    if slide.kind == "questions":
        n += sum(_lines(plain(q), LINE_CHARS) + 0.4 for q in slide.questions)
    if slide.kind == "references":
        n += sum(_reference_cost(r) for r in slide.references)
    if layout == "split" and slide.figure is not None and slide.figure.caption:
        n = max(n, _lines(plain(slide.figure.caption), width) * 0.7 + 6)
    return n


def _columns_load(slide: SlideView) -> float:
    """Layouts (issue 18): the fullest column's load at its share of the width; a figure counts 6 lines."""
    if not slide.columns:
        return 0.0
    weights = slide.widths or [1.0] * len(slide.columns)
    loads = [load_of(c, "column", max(12, int(LINE_CHARS * w / sum(weights)) - 3))
             + (6 if c.figure is not None or c.images else 0) for c, w in zip(slide.columns, weights)]
    return max(loads)


# The most load each type size holds, with a margin: the body's capacity grows with the square of
# the type size shrinking (36, 32, 28, 25, 22 px; beyond the last, 19 px).
DENSITY_LIMITS = (9.2, 11.7, 15.3, 19.2, 24.7)


def density_of(slide: SlideView, layout: str) -> int:
    """0 (largest type) to 5 (smallest): how far the theme shrinks type so the slide never overflows
    (and so its longest line of code fits across the slide, see CODE_CHARS)."""
    load = load_of(slide, layout)
    longest = longest_code_line(slide.body) if slide.body else 0
    for level, limit in enumerate(DENSITY_LIMITS):
        if load <= limit and longest <= CODE_CHARS[level]:
            return level
    return len(DENSITY_LIMITS)


# Characters of code (0.8 em monospace, about 0.6 em a character) across the 1128 px body at each
# type size (36 ... 19 px); the last is the floor beyond which course/validate.py warns.
CODE_CHARS = (65, 73, 84, 94, 107, 123)
_PRE = re.compile(r'<pre class="code"[^>]*><code>(.*?)</code></pre>', re.S)


def code_lines(html: str) -> list[str]:
    """The plain text of every line of the highlighted code blocks in this HTML."""
    return [plain(line) for block in _PRE.findall(html) for line in block.split("\n")]


def longest_code_line(html: str) -> int:
    return max((len(line.expandtabs(4)) for line in code_lines(html)), default=0)


def body_lines(html: str, width: int) -> float:
    """Lines a slide body takes: its code lines (smaller type), table rows, display math, its prose."""
    n = len(code_lines(html)) * 0.85 + (0.8 if _PRE.search(html) else 0)
    n += html.count("<tr") * 1.2 + html.count("math-display") * 1.6
    prose = _PRE.sub("", html)
    n += sum(_lines(plain(p), width) + 0.4 for p in re.split(r"</p>|</li>", prose) if plain(p).strip())
    return n


def paginate(deck: DeckView) -> list[SlideView]:
    """The deck's slides, with any references slide too long for the canvas split in several.

    The resolve stage normally splits references itself (with split_references); this keeps a
    long list from overflowing when it did not. Slides after a split move down by the extra count.
    """
    out: list[SlideView] = []
    for slide in deck.slides:
        if slide.kind == "references" and len(slide.references) > 1:
            pages = split_references(slide.references)
            for i, page in enumerate(pages):
                title = slide.title if len(pages) == 1 else Markup(
                    f'{slide.title} <span class="cont">({i + 1}/{len(pages)})</span>')
                out.append(replace(slide, references=page, title=title,
                                   id=slide.id if i == 0 else f"{slide.id}-{i + 1}"))
        else:
            out.append(slide)
    return out


def footnote_steps(slide: SlideView) -> dict[str, int]:
    """For a build slide, the step at which each footnote's call appears (its note appears with it)."""
    steps: dict[str, int] = {}

    def walk(points, inherited: int | None) -> None:
        for p in points:
            step = p.step if p.step is not None else inherited
            if step:
                for fid in _FN_REF.findall(str(p.html)):
                    steps.setdefault(fid, step)
            walk(p.children, step)

    if slide.steps:
        walk(slide.points, None)
        for c in slide.columns:  # layouts (issue 18): a column's notes appear with the column
            html = " ".join(str(x) for x in (*[p.html for p in c.points], c.body, c.quote and c.quote.html,
                                              c.figure and c.figure.caption) if x)
            for fid in _FN_REF.findall(html + str(_all_points(c.points))):
                steps.setdefault(fid, c.step or 0)
    return steps


def _all_points(points) -> str:
    return " ".join(str(p.html) + _all_points(p.children) for p in points)


def prepare(deck: DeckView) -> list[SlideRender]:
    """The deck's slides as rendered (paginated, each with its number, layout, density and
    footnote steps); remembered for the deck object while it lives (a print document asks for
    them once per chunk: 2,000 slides took 50 ms a time)."""
    kept = _PREPARED.get(id(deck))
    if kept is not None and kept[0]() is deck:
        return list(kept[1])
    slides = paginate(deck)
    out = []
    for i, s in enumerate(slides, start=1):
        layout = layout_of(s)
        out.append(SlideRender(s, i, layout, density_of(s, layout), footnote_steps(s)))
    key = id(deck)
    _PREPARED[key] = (weakref.ref(deck, lambda _ref: _PREPARED.pop(key, None)), out)
    return list(out)


_PREPARED: dict[int, tuple[weakref.ref, list[SlideRender]]] = {}  # id(deck) -> (the deck, its renders)


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE = re.compile(r"\s*([{};,>])\s*")


@functools.lru_cache(maxsize=16)
def minify_css(css: str) -> str:
    """CSS without comments and needless white space (strings and calc() spacing kept);
    remembered (a print document asks for the theme's sheets once a chunk)."""
    css = _CSS_COMMENT.sub("", css)
    css = re.sub(r"\s+", " ", css)
    return _CSS_SPACE.sub(r"\1", css).replace(";}", "}").strip()


def minify_js(js: str) -> str:
    """JavaScript without indentation, blank lines and whole-line // comments (nothing else touched)."""
    lines = (line.strip() for line in js.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def has_media(deck: DeckView) -> bool:
    """Whether a slide of the deck, or a column of one, shows a video or a live page."""
    return any(f is not None and f.kind in ("video", "embed")
               for s in deck.slides for pane in (s, *s.columns) for f in (pane.figure,))


def runtime_js(env: jinja2.Environment, media: bool = True) -> str:
    """The runtime modules, each in its own function scope, in load order (the media module only
    for a deck with `media`)."""
    parts = []
    for name in JS_MODULES:
        if name == MEDIA_JS and not media:
            continue
        src = minify_js(read_asset(env, f"deck/js/{name}.js"))
        parts.append(f"/* lectern: {name}.js */\n(function () {{\n'use strict';\n{src}\n}}());")
    return "\n".join(parts).replace("</script", "<\\/script")


SCIENCE_CSS = "deck/science.css"  # math, code and tables: only in decks that show them
_SCIENCE = re.compile(r'class="(?:math |code-caption|table-caption)|<pre class="code"|<table')
CSS_MARK = "/*lectern-css*/"
LAYOUTS_CSS = "deck/layouts.css"  # columns, picture rows, sized pictures, backgrounds (issue 18): only when used
MEDIA_CSS = "deck/media.css"  # a slide's video and live page (issue 18): only when used
_MEDIA = re.compile(r'class="(?:video-frame|video-print|embed|embed-print)"')
_LAYOUTS = re.compile(r'class="(?:columns |image-grid |slide-background)|fit-cover"|<figure [^>]*style="width: \d')


def theme_css(env: jinja2.Environment, science: bool = True, layouts: bool = True, reading: bool = False,
              media: bool = True) -> str:
    parts = [read_asset(env, name) for name in CSS_FILES]
    if science:
        parts.append(read_asset(env, SCIENCE_CSS))
    if layouts:
        parts.append(read_asset(env, LAYOUTS_CSS))
    if media:
        parts.append(read_asset(env, MEDIA_CSS))
    if reading:  # after the theme's own sheets, which it restyles for a phone
        parts.append(read_asset(env, READING_CSS))
    try:
        parts.append(read_asset(env, OPTIONAL_CSS))
    except jinja2.TemplateNotFound:
        pass
    return minify_css("\n".join(parts)).replace("</style", "<\\/style")


def content_policy(script: str, strict: bool = False, origins: list[str] = (), videos: bool = False) -> str:
    """The deck's Content-Security-Policy: nothing loads from the network, nothing navigates the
    page by itself (no <base>, no form), and no script runs but the deck's own.

    Pictures, fonts and media come from data: URIs (a deck with `videos` plays them from its own
    folder too, slides/media/); scripts only the runtime, by its hash
    (`serve` adds its live-reload script's hash when it injects it: serve/page.py), never an
    inline script or event attribute of the course's. 'unsafe-eval' lets automation (Playwright,
    clickers) evaluate expressions in the page; `strict` refuses that too. Live pages (`embed`)
    come only from `origins`, the course's `embed_origins`, which the deck may also ask whether
    they answer (js/media.js).
    """
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    scripts = f"'sha256-{digest}'" + ("" if strict else " 'unsafe-eval'")
    listed = "".join(f" {o}" for o in origins)
    media = "'self' data:" if videos else "data:"
    frames = f"; frame-src{listed}" if origins else ""
    return (f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; "
            f"font-src data:; media-src {media}; connect-src 'self'{listed}{frames}; base-uri 'none'; "
            "form-action 'none'")


def render_deck(deck: DeckView, env: jinja2.Environment, *, embed_fonts: bool = True,
                strict_scripts: bool = False) -> str:
    """The deck as one HTML document that needs nothing outside itself (works from file://)."""
    slides = prepare(deck)
    template = env.get_template("deck/deck.html.j2")
    words = labels(deck.lang)
    words_json = json.dumps(words, ensure_ascii=False).replace("</", "<\\/")
    script = "\n" + runtime_js(env, has_media(deck)) + "\n"  # exactly the text between <script> and </script>
    page = template.render(deck=deck, slides=slides, slide_count=len(slides), L=words,
                           labels_json=Markup(words_json), css=Markup(CSS_MARK),
                           js=Markup(script), csp=Markup(content_policy(script, strict_scripts, deck.embed_origins, bool(deck.media))), fonts=Markup(FONTS_MARK))
    fonts = font_face_css(text_of(page), italic_text_of(page), template_dirs=env_dirs(env)) if embed_fonts else ""
    page = page.replace(CSS_MARK, theme_css(env, science=bool(_SCIENCE.search(page)),
                                            layouts=bool(_LAYOUTS.search(page)), reading=True,
                                            media=bool(_MEDIA.search(page))), 1)
    return page.replace(FONTS_MARK, fonts, 1)
