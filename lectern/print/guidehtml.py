"""The study guide's HTML beyond its template: the template's filters, footnote links, numbered and nudged blocks.

Also where the template's fonts are found and which appendices the book has. `guide` renders
`templates/guide/guide.html.j2` with these and lays each part out; the footnote check there
names the numbered blocks (`number_blocks`) that a retry nudges (`with_nudges`).
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..text.plain import plain
from ..text.view import Chapter, GuideView
from ..theme.fonts import find_font
from ..theme.templates import env_dirs

RANGE_RE = re.compile(r"\d+[–—-]\d+")
BLOCK_RE = re.compile(r"<(p|li|dd|dt|blockquote|figcaption|h2|h3)(?=[\s>])")
# WeasyPrint 70 drops or pushes off a note when a paragraph has exactly one line left on a page
# (orphans) and it makes room for the second line by moving notes to the next page. For the
# block that ends such a page: no line-count rule, but kept whole, so it simply starts on the
# next page (costing the one or two lines that were left) and the notes stay with their calls.
NUDGE = "orphans: 1; widows: 1; break-inside: avoid;"
# When that is not enough (the call sits in the very block that ends the page), the block that
# holds the call starts a new page: a short page rather than a note away from its call.
PUSH = "break-before: page;"


CODE_WIDTHS = (60, 66, 72)  # characters: the classes `pre.code.w60`... of guide.css (a smaller type each)
CODE_FITS = 54  # characters of the guide's code type (9.5pt) that fit its A4 measure
_CODE_BLOCK = re.compile(r'<pre class="code"((?: [^>]*)?)><code>(.*?)</code></pre>', re.S)


def fit_code(html: str) -> str:
    """Each code block whose longest line would not fit the guide's measure gets the class of the
    first of CODE_WIDTHS that holds it (guide.css sets its type smaller), so a line of up to 72
    characters is not broken; a longer one still wraps, at the smallest size."""
    def fitted(match: re.Match) -> str:
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(2)))
        longest = max((len(line.expandtabs(4)) for line in text.split("\n")), default=0)
        if longest <= CODE_FITS:
            return match.group(0)
        width = next((w for w in CODE_WIDTHS if longest <= w), CODE_WIDTHS[-1])
        return f'<pre class="code w{width}"{match.group(1)}><code>{match.group(2)}</code></pre>'
    return _CODE_BLOCK.sub(fitted, html) if '<pre class="code"' in html else html


@dataclass
class Appendix:
    kind: str  # "chronology" | "glossary" | "bibliography"
    id: str
    title: str


def theme_roots(env: jinja2.Environment) -> list[Path]:
    """The template folders of the environment (course overrides first, then the theme)."""
    return env_dirs(env)


def fonts_dir(env: jinja2.Environment) -> Path | None:
    """The first template folder holding the bundled fonts (`{{ fonts }}` in a course's own
    guide.css written before `font_url`)."""
    for root in theme_roots(env):
        if (root / "fonts" / "LinLibertine_R.otf").is_file():
            return (root / "fonts").resolve()
    return None


def fonts_url(env: jinja2.Environment) -> str:
    """The URL of the first template folder holding the bundled fonts, ending in a slash."""
    folder = fonts_dir(env)
    return folder.as_uri() + "/" if folder else ""


def font_url_of(env: jinja2.Environment):
    """`font_url(name)` for guide.css: the URL of a font file found as the deck and the
    handouts find it (a course's own templates/fonts/ first), "" when there is none."""
    dirs = theme_roots(env)

    def font_url(name: str) -> str:
        path = find_font(str(name), dirs, system=False)
        return Markup(path.as_uri()) if path else Markup("")
    return font_url


def appendices_of(guide: GuideView, labels: dict[str, str]) -> list[Appendix]:
    found = []
    if guide.chronology:
        found.append(Appendix("chronology", "appendix-chronology", labels["chronology"]))
    if guide.glossary:
        found.append(Appendix("glossary", "appendix-glossary", labels["glossary"]))
    if guide.bibliography:
        found.append(Appendix("bibliography", "appendix-bibliography", labels["bibliography"]))
    return found


def extra_questions(chapter: Chapter) -> list[Markup]:
    """Chapter-level questions not already printed under a section."""
    seen = {str(q) for s in chapter.sections for q in s.questions}
    return [q for q in chapter.questions if str(q) not in seen]


def keep_ranges(html: object) -> Markup:
    """No line break inside a number range ("1959–1990"): such ranges go in a nowrap span."""
    parts = re.split(r"(<[^>]*>)", str(html))  # text between tags only, never attributes
    return Markup("".join(part if part.startswith("<") else
                          RANGE_RE.sub(r'<span class="nobr">\g<0></span>', part) for part in parts))


def point_count(points: list) -> int:
    """Key points and the points under them, all levels."""
    return sum(1 + point_count(p.children) for p in points)


NOTE_RE = re.compile(r'<span class="footnote" id="([^"]+)"[^>]*>')
SPAN_RE = re.compile(r"<span\b|</span>")


def _note_spans(html: str):
    """(start, end) of each outermost footnote span in `html`."""
    pos = 0
    for match in NOTE_RE.finditer(html):
        if match.start() < pos:
            continue
        depth = 0
        for tag in SPAN_RE.finditer(html, match.start()):
            depth += 1 if tag.group() == "<span" else -1
            if depth == 0:
                pos = tag.end()
                yield match.start(), pos
                break
        else:
            return


def without_notes(html: object) -> Markup:
    """A title without the footnotes it calls (for the contents, running heads, bookmarks)."""
    text, out, pos = str(html), [], 0
    for start, end in _note_spans(text):
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return Markup("".join(out))


def plain_text(html: object) -> str:
    """The text of an HTML fragment, footnotes left out."""
    return plain(without_notes(html))


def link_note_calls(html: str) -> str:
    """After each footnote, an empty link laid over its call, pointing at the note (WeasyPrint
    makes links only of <a>, and a note holding citation links cannot sit inside one)."""
    out, pos = [], 0
    for start, end in _note_spans(html):
        note_id = NOTE_RE.match(html, start).group(1)
        out.append(html[pos:end])
        out.append(f'<a class="fn-link" href="#{note_id}" aria-label="note"></a>')
        pos = end
    out.append(html[pos:])
    return "".join(out)


def number_blocks(html: str) -> str:
    """Give every text block a data-b number, so the footnote check can name the block that
    holds a call or ends a page, and a retry can adjust exactly that block."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f'<{match.group(1)} data-b="{count}"'

    return BLOCK_RE.sub(number, html)


def with_nudges(html: str, blocks: list[str], pushed: list[str] | None = None) -> str:
    """The HTML with NUDGE applied to the numbered `blocks`, and PUSH to the `pushed` ones."""
    rules = []
    for found, rule in ((blocks, NUDGE), (pushed or [], PUSH)):
        if found:
            selector = ", ".join(f'[data-b="{b}"]' for b in sorted(set(found), key=int))
            rules.append(f"{selector} {{ {rule} }}")
    if not rules:
        return html
    return html.replace("</head>", f"<style>{' '.join(rules)}</style>\n</head>", 1)
