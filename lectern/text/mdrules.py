"""Lectern's markdown-it rules: footnotes (`^[...]`, `[^label]`), Pandoc citations, and their HTML.

The inline rules find footnotes and citation clusters (bracketed `[see @a, p. 2]`, or a bare
`@key` in running text, split out by a core rule that also gives notes their typography); the
render rules turn them into HTML through the output's RenderContext.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it.rules_core.replacements import replace_rare, replace_scoped
from markdown_it.rules_core.smartquotes import process_inlines as smart_quotes
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .cite import CiteItem, Cluster
from ..course.model import Md

if TYPE_CHECKING:
    from .markup import RenderContext

KEY = r"[A-Za-z0-9_](?:\w|[:.#$%&+?<>~/-](?=\w))*"
_ITEM = re.compile(rf"^\s*(?:(?P<prefix>[^@]*?)\s+)?(?P<minus>-)?@(?P<key>{KEY})(?P<suffix>.*?)\s*$", re.S)
# `@key` in running text, with Pandoc's locator after it: `@key [ch. 4]` is "Author (2007, ch. 4)"
_IN_TEXT = re.compile(rf"(?<![\w@.\\])@(?P<key>{KEY})(?:[ ]?\[(?!\^)(?P<locator>[^\[\]@]*)\])?")


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
            item = CiteItem(key=m.group("key"), pos=None, suffix=(m.group("locator") or "").strip())
            cite.meta = {"cluster": _new_cluster(env, [item], in_text=True)}
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


def _walk(tokens: list[Token]):
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


# ---- rendering -------------------------------------------------------------------------------
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
    from .markup import is_local_link
    if is_local_link(href):  # refused by check; never a file:// path with the author's folder in it
        token.attrs.pop("href", None)
    if href.startswith(("http://", "https://")):
        token.attrSet("rel", "noopener")
    return self.renderToken(tokens, idx, options, env)


# ---- mathematics ($...$ and $$...$$, by mdit-py-plugins' dollarmath) -------------------------
MATH_TOKENS = ("math_inline", "math_inline_double", "math_block")


def math_needle(token: Token) -> str:
    """The text that opens this formula in its source, for finding its file:line:column."""
    return ("$" if token.type == "math_inline" else "$$") + (token.content if token.type != "math_block" else "")


def _render_math(self, tokens, idx, options, env):
    from .mathsvg import MathError, typeset
    token = tokens[idx]
    try:
        formula = typeset(token.content.strip(), display=token.type != "math_inline")
    except MathError:  # reported by validation with the formula's position; here it stays its source
        from markupsafe import escape
        return f'<code class="math-error">{escape(token.markup + token.content + token.markup)}</code>'
    ctx: RenderContext | None = env.get("ctx")
    html = formula.print_html() if ctx is not None and ctx.print_math else formula.deck_html()
    return f"<p class=\"math-block\">{html}</p>\n" if token.type == "math_block" else html
