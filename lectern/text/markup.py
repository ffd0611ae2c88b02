"""Markdown set-up: CommonMark with footnotes, Pandoc citations and typography by language."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core.replacements import replace_rare, replace_scoped
from markdown_it.rules_core.smartquotes import process_inlines as smart_quotes
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .cite import CiteItem, Cluster
from ..course.model import Md, Pos

KEY = r"[A-Za-z0-9_](?:\w|[:.#$%&+?<>~/-](?=\w))*"
_ITEM = re.compile(rf"^\s*(?:(?P<prefix>[^@]*?)\s+)?(?P<minus>-)?@(?P<key>{KEY})(?P<suffix>.*?)\s*$", re.S)
_IN_TEXT = re.compile(rf"(?<![\w@.\\])@(?P<key>{KEY})")

QUOTES = {
    "en": "“”‘’", "de": "„“‚‘", "cs": "„“‚‘", "sk": "„“‚‘", "pl": ["„", "”", "‚", "’"],
    "fr": ["«\u202f", "\u202f»", "“", "”"], "es": "«»“”", "it": "«»“”", "pt": "«»“”", "ru": "«»„“",
    "nl": "“”‘’", "sv": "””’’", "fi": "””’’", "da": "»«›‹", "nb": "«»‘’", "no": "«»‘’", "hu": "„”»«",
}


def quotes_for(lang: str) -> str | list[str]:
    return QUOTES.get(lang.split("-")[0].lower(), QUOTES["en"])


# ---- inline rules --------------------------------------------------------------------------
def _matching_bracket(src: str, start: int, end: int, state: StateInline | None = None) -> int:
    """Index of the `]` closing the `[` at `start`, honouring nesting and backslash escapes; -1 if none.

    With `state`, every bracket pair of the text is found once and kept on the state: scanning
    afresh from each `[` made 20,000 unclosed brackets take three minutes (quadratic).
    """
    if state is not None:
        table = getattr(state, "_lectern_brackets", None)
        if table is None or table[0] is not src:
            table = (src, _bracket_pairs(src))
            state._lectern_brackets = table  # type: ignore[attr-defined]
        close = table[1].get(start, -1)
        return close if close < end else -1
    depth = 0
    i = start
    while i < end:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _bracket_pairs(src: str) -> dict[int, int]:
    """For every `[` of the text that is closed, the index of its `]` (one pass, with a stack)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    i, n = 0, len(src)
    while i < n:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            stack.append(i)
        elif ch == "]" and stack:
            pairs[stack.pop()] = i
        i += 1
    return pairs


def _footnote_inline(state: StateInline, silent: bool) -> bool:
    """`^[note text]`: an inline footnote whose text is parsed as Markdown."""
    pos = state.pos
    if not state.src.startswith("^[", pos):
        return False
    close = _matching_bracket(state.src, pos + 1, state.posMax, state)
    if close < 0 or state.env.get("_fn_depth", 0) >= MAX_NOTE_DEPTH:
        return False  # deeper notes stay text (a note in a note is an error anyway): no endless recursion
    if not silent:
        token = state.push("lectern_fn", "", 0)
        children: list[Token] = []
        state.env["_fn_depth"] = state.env.get("_fn_depth", 0) + 1
        try:
            state.md.inline.parse(state.src[pos + 2:close], state.md, state.env, children)
        finally:
            state.env["_fn_depth"] -= 1
        token.children = children
        token.content = state.src[pos + 2:close]
    state.pos = close + 1
    return True


_FNREF = re.compile(r"\[\^([^\]\s]{1,200})\]")  # bounded: an unclosed `[^` scanned to the end each time
MAX_NOTE_DEPTH = 3  # ^[ inside ^[ ...: 3,000 of them overflowed the stack


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """`[^label]`: a reference to a footnote defined in the lecture's `footnotes` mapping."""
    pos = state.pos
    if not state.src.startswith("[^", pos):
        return False
    m = _FNREF.match(state.src, pos, state.posMax)
    if not m:
        return False
    if not silent:
        token = state.push("lectern_fnref", "", 0)
        token.meta = {"label": m.group(1)}
    state.pos = m.end()
    return True


def _citation(state: StateInline, silent: bool) -> bool:
    """`[see @a, ch. 2; -@b]`: a bracketed citation cluster, Pandoc's syntax."""
    pos = state.pos
    if state.src[pos] != "[" or state.src.startswith("[^", pos):
        return False
    close = _matching_bracket(state.src, pos, state.posMax, state)
    if close < 0:
        return False
    after = state.src[close + 1:close + 2]
    if after in ("(", "["):
        return False  # a link
    body = state.src[pos + 1:close]
    if "@" not in body:
        return False
    items = []
    for part in body.split(";"):
        m = _ITEM.match(part)
        if not m:
            return False
        suffix = m.group("suffix").strip()
        if suffix.startswith(","):
            suffix = suffix[1:].strip()
        items.append(CiteItem(key=m.group("key"), pos=None, prefix=(m.group("prefix") or "").strip(),
                              suffix=suffix, suppress_author=bool(m.group("minus"))))
    if not silent:
        token = state.push("lectern_cite", "", 0)
        token.meta = {"cluster": _new_cluster(state.env, items, in_text=False)}
        token.content = state.src[pos:close + 1]
    state.pos = close + 1
    return True


def _new_cluster(env: dict, items: list[CiteItem], in_text: bool) -> Cluster:
    clusters = env.setdefault("clusters", [])
    number = env.get("cluster_base", 0) + len(clusters) + 1
    cluster = Cluster(id=f"c{env.get('cluster_scope', '')}{number}", items=items, in_text=in_text)
    clusters.append(cluster)
    return cluster


def _in_text_citations(state) -> None:
    """Core rule: `@key` in running text becomes an author-in-text citation; notes get typography."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        block.children = _split_in_text(block.children, state.env)
        for tok in _walk(block.children):
            if tok.type == "lectern_fn" and tok.children:  # quotes and dashes inside ^[...] too
                replace_scoped(tok.children)
                replace_rare(tok.children)
                smart_quotes(tok.children, state)


def _split_in_text(children: list[Token], env: dict) -> list[Token]:
    out: list[Token] = []
    for tok in children:
        if tok.type == "lectern_fn" and tok.children:
            tok.children = _split_in_text(tok.children, env)
        if tok.type != "text" or "@" not in tok.content:
            out.append(tok)
            continue
        last = 0
        for m in _IN_TEXT.finditer(tok.content):
            if m.start() > last:
                out.append(_text(tok.content[last:m.start()]))
            cite = Token("lectern_cite", "", 0)
            cite.meta = {"cluster": _new_cluster(env, [CiteItem(key=m.group("key"), pos=None)], in_text=True)}
            cite.content = m.group(0)
            out.append(cite)
            last = m.end()
        if last < len(tok.content):
            out.append(_text(tok.content[last:]))
    return out


def _text(content: str) -> Token:
    t = Token("text", "", 0)
    t.content = content
    return t


def make_parser(lang: str = "en") -> MarkdownIt:
    """CommonMark without raw HTML or images, with typographic quotes and dashes for `lang`."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": quotes_for(lang)})
    md.enable(["replacements", "smartquotes"])
    md.disable(["image", "html_inline", "html_block"])
    md.inline.ruler.before("link", "lectern_fn", _footnote_inline)
    md.inline.ruler.before("link", "lectern_fnref", _footnote_ref)
    md.inline.ruler.before("link", "lectern_cite", _citation)
    md.core.ruler.push("lectern_in_text", _in_text_citations)
    md.add_render_rule("lectern_fn", _render_fn)
    md.add_render_rule("lectern_fnref", _render_fnref)
    md.add_render_rule("lectern_cite", _render_cite)
    md.add_render_rule("link_open", _render_link_open)
    return md


# ---- parsing ---------------------------------------------------------------------------------
@dataclass
class Parsed:
    """What parsing found in one Md: its citation clusters and footnote references."""

    clusters: list[Cluster] = field(default_factory=list)
    labels: list[tuple[str, Pos]] = field(default_factory=list)
    inline_notes: int = 0
    nested: list[Pos] = field(default_factory=list)  # footnotes called inside a footnote


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
            if tok.type == "lectern_fnref":
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


def _walk(tokens: list[Token]):
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


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


def _render_fn(self, tokens, idx, options, env):
    ctx: RenderContext = env["ctx"]
    note_html = self.renderInline(tokens[idx].children or [], options, {**env, "in_note": True}).replace("\n", " ")
    md: Md = env["md"]
    at = md.src.find("^[" + tokens[idx].content)
    return ctx.on_footnote(note_html, md.locate(max(at, 0)))


def _render_fnref(self, tokens, idx, options, env):
    ctx: RenderContext = env["ctx"]
    label = tokens[idx].meta["label"]
    definition = ctx.definitions.get(label)
    if definition is None or ctx.markup is None or label in ctx.active:
        return ""  # validation reports undefined labels and notes calling notes before anything renders
    if definition.tokens is None:
        ctx.markup.parse(definition, inline=True)
    ctx.active.add(label)
    try:
        note_html = self.render(definition.tokens, options, {"ctx": ctx, "md": definition, "in_note": True})
    finally:
        ctx.active.discard(label)
    note_html = note_html.strip().replace("\n", " ")  # a note is one run of text, whatever the YAML lines
    md: Md = env["md"]
    at = md.src.find(f"[^{label}]")
    return ctx.on_footnote(note_html, md.locate(max(at, 0)))


def _render_cite(self, tokens, idx, options, env):
    ctx: RenderContext = env["ctx"]
    cluster = tokens[idx].meta["cluster"]
    html = ctx.cite_html.get(cluster.id)
    if html is None:
        from markupsafe import escape
        return str(escape(tokens[idx].content))
    if ctx.link_rewrite:
        html = re.sub(r'href="(#ref-[^"]*)"', lambda m: f'href="{ctx.link_rewrite(m.group(1))}"', html)
    if cluster.id in ctx.note_clusters and not env.get("in_note"):  # in a note, a note style cites inline
        md: Md = env["md"]
        return ctx.on_footnote(f'<span class="cite">{html}</span>', md.locate(max(md.src.find("@"), 0)))
    return f'<span class="cite">{html}</span>'


def _render_link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if href.startswith(("http://", "https://")):
        token.attrSet("rel", "noopener")
    return self.renderToken(tokens, idx, options, env)


# ---- the whole course ------------------------------------------------------------------------
@dataclass
class LectureMarks:
    """What one lecture's Markdown refers to: citation clusters and footnote labels, in order."""

    clusters: list[Cluster] = field(default_factory=list)
    labels: list[tuple[str, Pos]] = field(default_factory=list)
    notes_per_section: list[int] = field(default_factory=list)  # footnotes called in each section
    nested: list[Pos] = field(default_factory=list)  # footnotes called inside footnotes (an error)


@dataclass
class CourseMarks:
    lectures: dict[str, LectureMarks] = field(default_factory=dict)
    other_clusters: list[Cluster] = field(default_factory=list)  # timeline and glossary

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
        if section is not None and text is lecture.sections[section].reading:
            lm.notes_per_section[section] += parsed.inline_notes + len(parsed.labels)
    for definition in lecture.footnotes.values():
        parsed = markup.parse(definition, inline=True)
        lm.clusters += parsed.clusters
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
            stack = list(slide.points)
            while stack:
                point = stack.pop(0)
                out.append((point.text, True, i))
                stack[0:0] = point.points
            if slide.quote:
                out.append((slide.quote.text, False, i))
                if slide.quote.source:
                    out.append((slide.quote.source, True, i))
            for thing in (slide.image, slide.chart):
                if thing is not None and thing.caption:
                    out.append((thing.caption, True, i))
            if slide.chart is not None and slide.chart.source:
                out.append((slide.chart.source, True, i))
            if slide.notes:
                out.append((slide.notes, False, i))
        out += [(q, True, i) for q in section.questions]
    return out


def parse_course(course, markup: Markup) -> CourseMarks:
    """Parse every Markdown text of the course once, collecting citations and footnote labels.

    A lecture's cluster ids are scoped to the lecture (`c<scope>-1`, ...), so its parse does not
    depend on the lectures before it: a lecture object loaded again unchanged (`load` keeps them
    between the builds of `serve`) keeps its tokens and marks, and only edited lectures are parsed.
    """
    marks = CourseMarks()
    for lecture in course.lectures:
        scope = lecture_scope(lecture.id)
        if lecture.parsed is not None and lecture.parsed[0] == (markup.lang, scope):
            marks.lectures[lecture.id] = lecture.parsed[1]
            continue
        markup.begin(scope)
        marks.lectures[lecture.id] = lm = parse_lecture(lecture, markup)
        lecture.parsed = ((markup.lang, scope), lm)
    markup.begin("")
    for event in course.timeline:
        marks.other_clusters += markup.parse(event.event, inline=True).clusters
    for entry in course.glossary:
        marks.other_clusters += markup.parse(entry.definition, inline=True).clusters
    for text in (course.title, course.subtitle):
        if text is not None:
            marks.other_clusters += markup.parse(text, inline=True).clusters
    return marks
