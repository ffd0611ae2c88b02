"""Markdown set-up: CommonMark with footnotes, Pandoc citations and typography by language.

The parser (`make_parser`, its rules in mdrules), `Markup` (parse each Md once, render it per
output through a RenderContext), and the parse of a whole course (`parse_course`: CourseMarks).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .cite import Cluster
from .codehl import highlight, unknown_language
from .mdrules import (  # KEY and MAX_NOTE_DEPTH: still importable from here
    KEY,
    MAX_NOTE_DEPTH,
    _citation,
    _footnote_inline,
    _footnote_ref,
    MATH_TOKENS,
    _in_text_citations,
    _render_math,
    math_needle,
    _render_cite,
    _render_fn,
    _render_fnref,
    _render_link_open,
    _walk,
)
from ..course.model import Md, Pos

QUOTES = {
    "en": "“”‘’", "de": "„“‚‘", "cs": "„“‚‘", "sk": "„“‚‘", "pl": ["„", "”", "‚", "’"],
    "fr": ["«\u202f", "\u202f»", "“", "”"], "es": "«»“”", "it": "«»“”", "pt": "«»“”", "ru": "«»„“",
    "nl": "“”‘’", "sv": "””’’", "fi": "””’’", "da": "»«›‹", "nb": "«»‘’", "no": "«»‘’", "hu": "„”»«",
}


def quotes_for(lang: str) -> str | list[str]:
    return QUOTES.get(lang.split("-")[0].lower(), QUOTES["en"])


BARE_RE = re.compile(r'^(?:<p>)?<span class="cite">\((.*)\)</span>(?:</p>)?$', re.S)


def bare_citation(html):
    """A source that is one parenthetical citation, without its parentheses: "Gonzalez 2016"
    after "Source:" or a quotation's dash, not "(Gonzalez 2016)". Anything else as it is."""
    if html is None:
        return None
    match = BARE_RE.match(str(html).strip())
    if not match or match.group(1).count("(") != match.group(1).count(")"):
        return html
    return type(html)(f'<span class="cite">{match.group(1)}</span>')


def make_parser(lang: str = "en") -> MarkdownIt:
    """CommonMark without raw HTML or images, with typographic quotes and dashes for `lang`."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": quotes_for(lang),
                                   "highlight": _highlight_fence})
    md.enable(["replacements", "smartquotes", "table"])  # table: GitHub pipe tables
    md.disable(["image", "html_inline", "html_block"])
    # $...$ and $$...$$ by the usual rule: no space inside the dollars, no digit after the closing
    # one, \$ a literal dollar ("$2.5 billion" stays text); $$...$$ inside a line is display math
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False, double_inline=True)
    for kind in MATH_TOKENS:
        md.add_render_rule(kind, _render_math)
    md.inline.ruler.before("link", "lectern_fn", _footnote_inline)
    md.inline.ruler.before("link", "lectern_fnref", _footnote_ref)
    md.inline.ruler.before("link", "lectern_cite", _citation)
    md.core.ruler.push("lectern_in_text", _in_text_citations)
    md.add_render_rule("lectern_fn", _render_fn)
    md.add_render_rule("lectern_fnref", _render_fnref)
    md.add_render_rule("lectern_cite", _render_cite)
    md.add_render_rule("link_open", _render_link_open)
    return md


def is_local_link(href: str) -> bool:
    """A link to a file beside the source (`notes.pdf`, `../x`, `//host/x`): no place in published outputs."""
    return bool(href) and not href.startswith("#") and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", href)


# ---- parsing ---------------------------------------------------------------------------------
@dataclass
class Parsed:
    """What parsing found in one Md: its citation clusters and footnote references."""

    clusters: list[Cluster] = field(default_factory=list)
    labels: list[tuple[str, Pos]] = field(default_factory=list)
    inline_notes: int = 0
    nested: list[Pos] = field(default_factory=list)  # footnotes called inside a footnote
    local_links: list[tuple[str, Pos]] = field(default_factory=list)  # links to the author's own files
    formulas: list[tuple[Pos, tuple[str, bool]]] = field(default_factory=list)  # (where, (LaTeX, display))
    code: list[tuple[Pos, str]] = field(default_factory=list)  # code blocks in languages no one highlights


class Markup:
    """Parses every Md of a course once (tokens kept on the Md) and renders it per output."""

    def __init__(self, lang: str = "en"):
        self.lang = lang
        self.md = make_parser(lang)
        self.cluster_count = 0
        self.scope = ""  # prefix of citation cluster ids: each lecture numbers its own (see parse_course)

    def begin(self, scope: str) -> None:
        """Number the citation clusters parsed from now on as c<scope>1, c<scope>2, ..."""
        self.scope, self.cluster_count = scope, 0

    def parse(self, text: Md, inline: bool = False) -> Parsed:
        env = {"cluster_base": self.cluster_count, "cluster_scope": self.scope}
        tokens = self.md.parseInline(text.src, env) if inline else self.md.parse(text.src, env)
        text.tokens = tokens
        parsed = Parsed(clusters=env.get("clusters", []))
        self.cluster_count += len(parsed.clusters)
        cursor = 0
        for cluster in parsed.clusters:
            for item in cluster.items:
                at = text.src.find("@" + item.key, cursor)
                item.pos = text.locate(at if at >= 0 else 0)
                cursor = at + 1 if at >= 0 else cursor
        for tok in _walk(tokens):
            if tok.type == "link_open" and is_local_link(tok.attrGet("href") or ""):
                href = str(tok.attrGet("href"))
                at = text.src.find(f"]({href}")
                parsed.local_links.append((href, text.locate(at + 2 if at >= 0 else 0)))
            if tok.type in MATH_TOKENS:
                parsed.formulas.append(_formula_at(text, tok))
            elif tok.type == "fence":
                parsed.code += _fence_check(text, tok)
            elif tok.type == "lectern_fnref":
                at = text.src.find(f"[^{tok.meta['label']}]")
                parsed.labels.append((tok.meta["label"], text.locate(max(at, 0))))
            elif tok.type == "lectern_fn":
                parsed.inline_notes += 1
                for inner in _walk(tok.children or []):
                    if inner.type in ("lectern_fn", "lectern_fnref"):
                        needle = f"[^{inner.meta['label']}]" if inner.type == "lectern_fnref" else "^[" + inner.content
                        parsed.nested.append(text.locate(max(text.src.find(needle), 0)))
        return parsed

    def render(self, text: Md | None, ctx: "RenderContext") -> str:
        if text is None:
            return ""
        if text.tokens is None:
            self.parse(text, inline=True)
        env = {"ctx": ctx, "md": text}
        return self.md.renderer.render(text.tokens, self.md.options, env)


def _highlight_fence(code: str, lang: str, _attrs: str) -> str:
    """A fenced block with a language, highlighted by Pygments (codehl); without one, plain."""
    return highlight(code, lang.strip())


def _fence_check(text: Md, tok) -> list[tuple[Pos, str]]:
    """A warning for a fenced block whose language no highlighter knows, at the fence's line."""
    message = unknown_language(tok.info.strip().split(" ")[0])
    if message is None or tok.map is None:
        return []
    lines = text.src.split("\n")
    offset = sum(len(line) + 1 for line in lines[:tok.map[0]])
    return [(text.locate(offset + len(lines[tok.map[0]]) - len(lines[tok.map[0]].lstrip())), message)]


def _formula_at(text: Md, tok) -> tuple[Pos, tuple[str, bool]]:
    """A formula as `mathsvg` keys it, and where it is written (for its problem, if it has one)."""
    at = text.src.find(math_needle(tok))
    if at < 0 and tok.type == "math_block":
        at = text.src.find("$$")
    return text.locate(max(at, 0)), (tok.content.strip(), tok.type != "math_inline")


def _typeset(found: list[tuple[Pos, tuple[str, bool]]], fan_out) -> dict[tuple[str, bool], str]:
    """Typeset every formula found now (so rendering finds them kept); the message of each that cannot be."""
    if not found:
        return {}
    from .mathsvg import typeset_all
    return typeset_all([key for _pos, key in found], fan_out)


# ---- rendering -------------------------------------------------------------------------------
@dataclass
class RenderContext:
    """How footnotes and citations come out in one output (a slide, a chapter, the index)."""

    cite_html: dict[str, str]  # cluster id -> formatted HTML with links to "#ref-KEY"
    on_footnote: Callable[[str, Pos], str]  # (note html, where called) -> the call's html
    definitions: dict[str, Md] = field(default_factory=dict)  # labelled footnotes of the lecture
    link_rewrite: Callable[[str], str] | None = None  # deck: "#ref-KEY" -> "#/R"
    markup: Markup | None = None
    active: set[str] = field(default_factory=set)  # labelled notes being rendered (no endless loops)
    note_clusters: set[str] = field(default_factory=set)  # a note style's citations become footnotes
    print_math: bool = False  # formulas as <img alt> (WeasyPrint tags its /Alt), not inline <svg>


# ---- the whole course ------------------------------------------------------------------------
@dataclass
class LectureMarks:
    """What one lecture's Markdown refers to: citation clusters and footnote labels, in order."""

    clusters: list[Cluster] = field(default_factory=list)
    labels: list[tuple[str, Pos]] = field(default_factory=list)
    notes_per_section: list[int] = field(default_factory=list)  # footnotes called in each section
    nested: list[Pos] = field(default_factory=list)  # footnotes called inside footnotes (an error)
    local_links: list[tuple[str, Pos]] = field(default_factory=list)  # relative links (an error)
    math: list[tuple[Pos, str]] = field(default_factory=list)  # formulas that cannot be typeset
    code: list[tuple[Pos, str]] = field(default_factory=list)  # code blocks in languages no one highlights
    formulas: list[tuple[Pos, tuple[str, bool]]] = field(default_factory=list)  # every formula, typeset or not


@dataclass
class CourseMarks:
    lectures: dict[str, LectureMarks] = field(default_factory=dict)
    other_clusters: list[Cluster] = field(default_factory=list)  # timeline and glossary
    other_links: list[tuple[str, Pos]] = field(default_factory=list)  # their relative links
    other_math: list[tuple[Pos, str]] = field(default_factory=list)  # their formulas that cannot be typeset
    other_code: list[tuple[Pos, str]] = field(default_factory=list)

    @property
    def clusters(self) -> list[Cluster]:
        out = [c for marks in self.lectures.values() for c in marks.clusters]
        return out + self.other_clusters


def lecture_scope(lecture_id: str) -> str:
    """A short, id-safe prefix for the citation clusters of one lecture."""
    return hashlib.sha1(lecture_id.encode("utf-8")).hexdigest()[:8] + "-"


def parse_lecture(lecture, markup: Markup) -> LectureMarks:
    """Parse one lecture's texts (tokens kept on each Md); its citation clusters and footnote labels."""
    lm = LectureMarks(notes_per_section=[0] * len(lecture.sections))
    for text, inline, section in lecture_texts(lecture):
        parsed = markup.parse(text, inline)
        lm.clusters += parsed.clusters
        lm.labels += parsed.labels
        lm.nested += parsed.nested
        lm.local_links += parsed.local_links
        lm.formulas += parsed.formulas
        lm.code += parsed.code
        if section is not None and text is lecture.sections[section].reading:
            lm.notes_per_section[section] += parsed.inline_notes + len(parsed.labels)
    for definition in lecture.footnotes.values():
        parsed = markup.parse(definition, inline=True)
        lm.clusters += parsed.clusters
        lm.local_links += parsed.local_links
        lm.formulas += parsed.formulas
        lm.code += parsed.code
        lm.nested += parsed.nested + [pos for _label, pos in parsed.labels]
        if parsed.inline_notes:
            lm.nested.append(definition.pos)
    return lm


def lecture_texts(lecture) -> list[tuple[Md, bool, int | None]]:
    """Every Md of a lecture in reading order, with whether it is inline and its section index."""
    out: list[tuple[Md, bool, int | None]] = [(lecture.title, True, None)]
    if lecture.subtitle:
        out.append((lecture.subtitle, True, None))
    if lecture.summary:
        out.append((lecture.summary, False, None))
    out += [(o, True, None) for o in lecture.objectives]
    for i, section in enumerate(lecture.sections):
        out.append((section.title, True, i))
        if section.reading is not None:
            out.append((section.reading, False, i))
        for slide in section.slides:
            out.append((slide.title, True, i))
            for pane in slide.panes():  # the slide and its columns (issue 18)
                out += _pane_texts(pane, i)
            if slide.notes:
                out.append((slide.notes, False, i))
        out += [(q, True, i) for q in section.questions]
    return out


def _pane_texts(pane, i: int) -> list[tuple[Md, bool, int | None]]:
    """The Markdown a slide or one of its columns shows, in reading order."""
    out: list[tuple[Md, bool, int | None]] = []
    stack = list(pane.points)
    while stack:
        point = stack.pop(0)
        out.append((point.text, True, i))
        stack[0:0] = point.points
    if pane.quote:
        out.append((pane.quote.text, False, i))
        if pane.quote.source:
            out.append((pane.quote.source, True, i))
    for thing in (*pane.pictures(), pane.chart, pane.video, pane.embed):
        if thing is not None and thing.caption:
            out.append((thing.caption, True, i))
    if pane.chart is not None and pane.chart.source:
        out.append((pane.chart.source, True, i))
    if pane.body:
        out.append((pane.body, False, i))
    if pane.code is not None and pane.code.caption:
        out.append((pane.code.caption, True, i))
    for md in (pane.table.caption, pane.table.source) if pane.table is not None else ():
        if md:
            out.append((md, True, i))
    return out


def parse_course(course, markup: Markup, fan_out=None) -> CourseMarks:
    """Parse every Markdown text of the course once, collecting citations and footnote labels,
    and typeset its formulas (those of every lecture parsed at once, shared with the PDF
    workers when `fan_out` hands them a batch: see mathsvg.typeset_all).

    A lecture's cluster ids are scoped to the lecture (`c<scope>-1`, ...), so its parse does not
    depend on the lectures before it: a lecture object loaded again unchanged (`load` keeps them
    between the builds of `serve`) keeps its tokens and marks, and only edited lectures are parsed.
    """
    marks = CourseMarks()
    fresh: list[LectureMarks] = []
    for lecture in course.lectures:
        scope = lecture_scope(lecture.id)
        if lecture.parsed is not None and lecture.parsed[0] == (markup.lang, scope):
            marks.lectures[lecture.id] = lecture.parsed[1]
            continue
        markup.begin(scope)
        marks.lectures[lecture.id] = lm = parse_lecture(lecture, markup)
        lecture.parsed = ((markup.lang, scope), lm)
        fresh.append(lm)
    markup.begin("")
    other_formulas: list[tuple[Pos, tuple[str, bool]]] = []
    others = [e.event for e in course.timeline] + [e.definition for e in course.glossary]
    for text in [*others, course.title, course.subtitle]:
        if text is not None:
            parsed = markup.parse(text, inline=True)
            marks.other_clusters += parsed.clusters
            marks.other_links += parsed.local_links
            other_formulas += parsed.formulas
            marks.other_code += parsed.code
    failed = _typeset([f for lm in fresh for f in lm.formulas] + other_formulas, fan_out)
    for lm in fresh:
        lm.math = [(pos, failed[key]) for pos, key in lm.formulas if key in failed]
    marks.other_math = [(pos, failed[key]) for pos, key in other_formulas if key in failed]
    return marks
