"""What pandoc will do to a BibTeX entry that its author did not mean: names lower-cased, particles dropped.

pandoc reads a BibTeX title as Title Case and stores it in sentence case, lower-casing every
capitalised word that is not in braces; styles that print titles as stored (APA and most
author-date styles outside Chicago) then print "The gutenberg galaxy". A word is reported only
when the lower-casing is known to be wrong, that is when the word is a name by one of three signs:
the title is otherwise written in sentence case (so its capitals are deliberate), the course's own
text writes the word capitalised inside a sentence and never in lower case, or the word is a
family name in the bibliography. pandoc also reads a lower-case "van" or "de" before a family name
as a particle that citations leave out ("Zanden (2009)"): each such name is reported with the way
to keep the particle.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from ...problems import Problem

if TYPE_CHECKING:
    from .bibliography import BibEntry

NAME_FIELDS = ("author", "editor", "translator", "container-author", "collection-editor")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def bibtex_warnings(entries: Iterable["BibEntry"], names_in_text: set[str], lang: str) -> list[Problem]:
    """A warning for each BibTeX entry whose title loses a name's capital, or whose names lose a particle.

    pandoc changes the case of English titles only: those of a course whose `lang` is English,
    unless the entry's own `langid` says otherwise."""
    entries = list(entries)
    families = {name.get("family", "") for e in entries for f in NAME_FIELDS for name in _names(e.csl, f)}
    problems = []
    for entry in entries:
        langid = (entry.fields.get("langid") or entry.fields.get("hyphenation") or "").strip("{}\" ").lower()
        english = langid.startswith(("english", "american", "british", "en")) if langid else \
            lang.lower().startswith("en")
        lowered = english and lowered_names(entry.fields.get("title", ""), str(entry.csl.get("title", "")),
                                            names_in_text | families)
        if lowered:
            braced = ", ".join("{" + w + "}" for w in lowered)
            problems.append(Problem(entry.pos, f"the title of `{entry.key}` prints as \"{entry.csl.get('title')}\" "
                                               "in styles that use sentence case (like apa): pandoc lower-cases "
                                               f"BibTeX title words that are not in braces. Brace the names: {braced} "
                                               "(or write the entry in CSL-YAML)", "warning"))
        problems += _particles(entry)
    return problems


def _names(csl: dict, field: str) -> list[dict]:
    value = csl.get(field)
    return [n for n in value if isinstance(n, dict)] if isinstance(value, list) else []


def _particles(entry: "BibEntry") -> list[Problem]:
    out = []
    for field in NAME_FIELDS:
        for name in _names(entry.csl, field):
            particle, family, given = (name.get(k, "") for k in ("dropping-particle", "family", "given"))
            if not particle or not family:
                continue
            out.append(Problem(entry.pos, f"in `{entry.key}`, pandoc reads \"{particle}\" in the name "
                                          f"\"{' '.join(p for p in (given, particle, family) if p)}\" as a particle "
                                          f"that citations leave out (\"{family}\", not \"{particle} {family}\"): to "
                                          f"keep it, write the name `{{{particle} {family}}}, {given}`".rstrip(", ")
                                          + f", or write the entry in CSL-YAML with `non-dropping-particle: {particle}`",
                               "warning"))
    return out


def _unprotected_words(raw: str) -> list[tuple[str, bool]]:
    """The title's words as written, each with whether it stands outside braces (pandoc may change it)."""
    raw = raw.strip()
    if raw[:1] in "{\"" and raw[-1:] in "}\"":
        raw = raw[1:-1]
    words: list[tuple[str, bool]] = []
    depth, current, free = 0, "", True
    for ch in raw + " ":
        if ch == "{":
            depth += 1
            free = False
            continue
        if ch == "}":
            depth -= 1
            continue
        if ch.isspace() and depth <= 0:
            if current:
                words.append((current, free))
            current, free = "", True
            continue
        current += ch
    return words


def lowered_names(raw_title: str, pandoc_title: str, known_names: set[str]) -> list[str]:
    """The names in a BibTeX title that pandoc lower-cased, by the signs in this module's docstring."""
    source = _unprotected_words(raw_title)
    printed = pandoc_title.split()
    if not source or len(source) != len(printed) or any("\\" in w for w, _ in source):
        return []  # LaTeX commands or a changed word count: no safe word-by-word comparison
    lowered: list[str] = []
    sentence_case = False
    for n, ((word, free), shown) in enumerate(zip(source, printed)):
        core = _core(word)
        after_colon = n > 0 and source[n - 1][0].endswith((":", "?", "!", "."))
        if free and n > 0 and not after_colon and len(core) >= 4 and core.islower():
            sentence_case = True
        if free and core and core[0].isupper() and _core(shown) == core.lower() and core != core.lower():
            lowered.append(core)
    return [w for w in lowered if sentence_case or w in known_names]


def _core(word: str) -> str:
    m = _WORD.search(word)
    return m.group() if m else ""


def names_in_prose(texts: Iterable[str]) -> set[str]:
    """Words the course writes capitalised inside a sentence and never in lower case: names."""
    capital: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group()
            if word.islower():
                lower.add(word)
            elif word[0].isupper() and word[1:].islower() and not _starts_sentence(text, m.start()):
                capital.add(word)
    return {w for w in capital if w.lower() not in lower}


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t*_\"'“‘([")
    return not before or before[-1] in ".!?:;\n#>-|" or before.endswith(("\n-", "\n*"))
