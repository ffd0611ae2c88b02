"""Code highlighted by Pygments into `<pre class="code">` with short token classes, kept in memory
and in the user's cache folder (state.keptmemo: a build after an edit neither imports Pygments
nor compiles its lexers for code it highlighted before).

    highlight("print(1)", "python")            # -> '<pre class="code" data-lang="python"><code>...'
    highlight(src, "python", marked={3, 7})    # lines 3 and 7 wrapped in <span class="hl">
    unknown_language("pyhton")                 # -> "...; did you mean python, python3?" or None

The colours live in CSS (deck.css: theme variables; guide.css: a black-and-white-safe style), so a
course can restyle code without touching Pygments.
"""
from __future__ import annotations

import difflib
import functools
from importlib.metadata import version
from pathlib import Path

from markupsafe import escape

from ..state.keptmemo import KeptMemo, code_stamp

KEPT_BLOCKS = 4096  # highlighted blocks kept between processes (the most recently used)
# one file per version of this module and of Pygments: a change to either highlights every block again
_BLOCKS = KeptMemo("code", lambda: code_stamp([Path(__file__)], version("pygments")), KEPT_BLOCKS)


@functools.lru_cache(maxsize=1)
def _aliases() -> tuple[str, ...]:
    """Pygments' own lexers only: a plugin lexer another package installs (IPython's, say) would
    be imported with all it imports (jedi raises the recursion limit), and builds must not depend
    on what else happens to be installed."""
    from pygments.lexers import get_all_lexers
    return tuple(sorted({alias for _name, aliases, _f, _m in get_all_lexers(plugins=False) for alias in aliases}))


def unknown_language(lang: str) -> str | None:
    """A warning's text when Pygments has no lexer called `lang`, naming the ones that come close."""
    if not lang or lang.lower() in ("text", "plain", "plaintext", "none"):
        return None
    if lang.lower() in _aliases():
        return None
    close = difflib.get_close_matches(lang.lower(), _aliases(), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else "; it is shown as plain text"
    return f"no highlighter knows the language '{lang}'{hint}"


def highlight(code: str, lang: str, marked: frozenset[int] = frozenset(), first: int = 1, step_from: int = 0) -> str:
    """The code as highlighted HTML; `marked` line numbers (counted from `first`) are emphasised.

    With `step_from` > 0 (a `build: true` slide), each group of consecutive marked lines is a step
    of its own, numbered from `step_from`: the deck emphasises the groups in turn.
    """
    key = repr((code, lang, sorted(marked), first, step_from))
    return _BLOCKS.get(key, lambda: _highlight(code, lang, marked, first, step_from))


def _highlight(code: str, lang: str, marked: frozenset[int], first: int, step_from: int) -> str:
    from pygments import highlight as run
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    code = code.rstrip("\n")
    try:
        known = lang and lang.lower() in _aliases()  # so that Pygments never goes looking among plugins
        lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=False) if known else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        lines = [str(escape(line)) for line in code.split("\n")]
    else:
        html = run(code, lexer, HtmlFormatter(nowrap=True))
        lines = html.rstrip("\n").split("\n")
    out = []
    groups = step_groups(marked)
    for number, line in enumerate(lines, first):
        if number not in marked:
            out.append(f'<span class="line">{line}</span>')
        elif step_from:
            out.append(f'<span class="line hl code-step" data-step="{step_from + groups[number] - 1}">{line}</span>')
        else:
            out.append(f'<span class="line hl">{line}</span>')
    lang_attr = f' data-lang="{escape(lang)}"' if lang else ""
    return f'<pre class="code"{lang_attr}><code>' + "\n".join(out) + "</code></pre>\n"


def step_groups(marked: frozenset[int]) -> dict[int, int]:
    """Each marked line's group: 1 for the first run of consecutive marked lines, 2 for the next..."""
    groups, group, last = {}, 0, None
    for number in sorted(marked):
        if last is None or number != last + 1:
            group += 1
        groups[number], last = group, number
    return groups


def longest_line(code: str) -> int:
    return max((len(line.expandtabs(4)) for line in code.split("\n")), default=0)
