"""Pandoc's JSON output back into escaped HTML: each cluster's citation and each bibliography entry."""
from __future__ import annotations

import html
import json
import re
from contextvars import ContextVar

from markupsafe import Markup

from ...problems import RenderError
from ..view import BibEntry
from .clusters import CitationResult


_QUOTES: ContextVar[tuple[tuple[str, ...] | None, int]] = ContextVar("quotes", default=(None, 0))


def _parse_output(stdout: str, cluster_ids: set[str], quotes=None) -> CitationResult:
    """Pandoc's JSON back into HTML: each cluster's citation, and the bibliography's entries.

    Given `quotes` (the course text's marks: outer open and close, inner open and close), a
    quotation (a title in quotation marks) takes them, however the style's locale marks it:
    an en-GB style's 'single' outer quotes would stand beside the text's "double" ones."""
    token = _QUOTES.set((tuple(quotes) if quotes else None, 0))
    try:
        return _parse(stdout, cluster_ids)
    finally:
        _QUOTES.reset(token)


def _parse(stdout: str, cluster_ids: set[str]) -> CitationResult:
    try:
        out = json.loads(stdout)
    except json.JSONDecodeError as err:
        raise RenderError(f"formatting the citations failed: pandoc's output is not JSON ({err})") from None
    result = CitationResult({}, [])
    for div_id, classes, blocks in _divs(out["blocks"]):
        if div_id in cluster_ids:
            cite = _first_cite(blocks)
            inlines = cite["c"][1] if cite else []
            if len(inlines) == 1 and inlines[0]["t"] == "Note":
                result.notes.add(div_id)
                inlines = _block_inlines(inlines[0]["c"])
            result.clusters[div_id] = Markup(_inlines_html(inlines).strip())
        elif div_id.startswith("ref-") and "csl-entry" in classes:
            key = div_id[4:]
            result.bibliography.append(BibEntry(key, div_id, Markup(_inlines_html(_block_inlines(blocks)).strip())))
    return result


def _divs(blocks: list[dict]):
    """Every Div in a block list (depth first): (id, classes, blocks)."""
    for block in blocks:
        if block.get("t") == "Div":
            (div_id, classes, _attrs), inner = block["c"]
            yield div_id, classes, inner
            yield from _divs(inner)


def _first_cite(blocks: list[dict]) -> dict | None:
    for block in blocks:
        if block.get("t") in ("Para", "Plain"):
            for inline in block["c"]:
                if inline.get("t") == "Cite":
                    return inline
    return None


def _block_inlines(blocks: list[dict]) -> list[dict]:
    """The inlines of a few blocks (an entry's paragraph, a note's text), joined by spaces."""
    out: list[dict] = []
    for block in blocks:
        t = block.get("t")
        if t in ("Para", "Plain"):
            inlines = block["c"]
        elif t == "Div":
            inlines = _block_inlines(block["c"][1])
        elif t == "LineBlock":
            inlines = [i for line in block["c"] for i in line + [{"t": "Space"}]]
        else:
            continue
        if out and inlines:
            out.append({"t": "Space"})
        out.extend(inlines)
    return out


_SAFE_URL = re.compile(r"^(#|https?:|mailto:|ftp:|[^:/?#]*(?:[/?#]|$))", re.I)
_TAGS = {
    "Emph": "em",
    "Strong": "strong",
    "Underline": "u",
    "Strikeout": "s",
    "Superscript": "sup",
    "Subscript": "sub",
}


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


# the quotation marks CSL locales put around a quotation, open → close
LOCALE_QUOTES = {"“": "”", "‘": "’", "«": "»", "„": "“", "‚": "‘", "»": "«", "›": "‹", "«\u00a0": "\u00a0»",
                 "«\u202f": "\u202f»"}


def _quoted(content: list[dict]) -> bool:
    """A span that is a quotation: its first text an opening mark, its last the closing one."""
    if len(content) < 3 or content[0].get("t") != "Str" or content[-1].get("t") != "Str":
        return False
    return LOCALE_QUOTES.get(content[0]["c"]) == content[-1]["c"]


def _inlines_html(inlines: list[dict], emph: bool = False) -> str:
    """Pandoc inlines as HTML: every text escaped, raw HTML shown as text, no wrapper elements.

    `emph`: inside italics, where CSL's flip-flop rule turns nested italics back to roman.
    """
    parts: list[str] = []
    for node in inlines:
        t, c = node.get("t"), node.get("c")
        if t == "Str":
            parts.append(_esc(c))
        elif t in ("Space", "SoftBreak"):
            parts.append(" ")
        elif t == "LineBreak":
            parts.append("<br>")
        elif t == "Emph" and emph:
            parts.append(f'<span style="font-style: normal">{_inlines_html(c)}</span>')
        elif t in _TAGS:
            tag = _TAGS[t]
            parts.append(f"<{tag}>{_inlines_html(c, emph or t == 'Emph')}</{tag}>")
        elif t == "SmallCaps":
            parts.append(f'<span style="font-variant: small-caps">{_inlines_html(c, emph)}</span>')
        elif t == "Quoted":
            quotes, depth = _QUOTES.get()
            if quotes is None:
                quotes, depth = ("“", "”", "‘", "’"), (1 if c[0]["t"] == "SingleQuote" else 0)
            open_q, close_q = quotes[2 * (depth % 2)], quotes[2 * (depth % 2) + 1]
            token = _QUOTES.set((quotes, depth + 1))  # a quotation inside it: the inner marks
            try:
                parts.append(open_q + _inlines_html(c[1], emph) + close_q)
            finally:
                _QUOTES.reset(token)
        elif t == "Cite":
            parts.append(_inlines_html(c[1], emph))
        elif t == "Code":
            parts.append(f"<code>{_esc(c[1])}</code>")
        elif t == "Math":
            parts.append(_esc(c[1]))
        elif t == "RawInline":
            parts.append(_esc(c[1]))  # never passed through: shown as the text it is
        elif t == "Link":
            _attrs, content, (url, title) = c
            inner = _inlines_html(content, emph)
            if _SAFE_URL.match(url.strip()):
                title_attr = f' title="{_attr(title)}"' if title else ""
                parts.append(f'<a href="{_attr(url.strip())}"{title_attr}>{inner}</a>')
            else:
                parts.append(inner)
        elif t == "Image":
            parts.append(_inlines_html(c[1]))
        elif t == "Note":
            parts.append(" (" + _inlines_html(_block_inlines(c)).strip() + ")")
        elif t == "Span" and _QUOTES.get()[0] and _quoted(c[1]):  # citeproc's quotation marks, as text
            parts.append(_inlines_html([{"t": "Quoted", "c": [{"t": "DoubleQuote"}, c[1][1:-1]]}], emph))
        elif t == "Span":
            (_id, classes, _kv), content = c
            inner = _inlines_html(content, emph)
            keep = [k for k in classes if k in ("csl-left-margin", "csl-right-inline", "csl-block", "csl-indent")]
            if keep:
                parts.append(f'<span class="{_attr(" ".join(keep))}">{inner}</span>')
                if "csl-left-margin" in keep and not inner[-1:].isspace():
                    parts.append(" ")
            else:
                parts.append(inner)
    return "".join(parts)
