"""Hyphenation of the guide's prose: pyphen's patterns, names kept whole, no short last line, no ladders.

    hy = Hyphenator("en-GB", names=["Gonzalez", "Steve Cushion"])
    hy.html(Markup("<p>The bureaucracy of Gonzalez ...</p>"))   # soft hyphens where a line may break
    hy.ladders(document)          # runs of three hyphenated lines, after layout: (block, word) to fix
    unhyphenate(html, "12", "bureaucracy")                         # that word whole in block 12

The guide sets its text with `hyphens: manual`, so WeasyPrint breaks a word only at the soft
hyphens put here: pyphen's patterns (the data WeasyPrint itself uses), with Lectern's rules:
- a word of the course's names (the bibliography's people, the glossary's terms, `names:` in
  course.yaml) never breaks, nor a capitalised word (a name, in languages that do not
  capitalise every noun), a word with a digit, or one with a hyphen of its own;
- at least three letters either side of a break, and words shorter than six letters whole;
- a paragraph's last words are tied (no-break spaces) and left whole, so its last line holds at
  least LAST_LINE characters;
- no more than two hyphenated lines in a row: the layout is read back (`ladders`) and the
  word ending the middle line of a run is kept whole (`unhyphenate`) for the next layout.
"""
from __future__ import annotations

import hashlib
import pickle
import re
from functools import lru_cache
from pathlib import Path

import pyphen
from markupsafe import Markup

from ..state import usercache

SHY = "\u00ad"
NBSP = "\u00a0"
LEFT = RIGHT = 3  # letters at least either side of a break
SHORTEST = 6  # letters in the shortest word that may break
LAST_LINE = 10  # characters at least on a paragraph's last line: its last words are tied
MOST_TIED = 3  # words at most tied at a paragraph's end
MOST_IN_A_ROW = 2  # hyphenated lines in a row
NOUNS_CAPITALISED = ("de", "lb", "gsw")  # German, Luxembourgish, Swiss German
HYPHENS = ("\u2010", "-")  # what WeasyPrint's `hyphenate-character` prints at a break
# English of every region is broken with pyphen's en_US patterns: its en_GB set gives
# "Presid-ent", "res-ted", "bur-eaucracy", "practicalit-ies", "mana-gerial", "dir-ections".
PATTERNS = {"en": "en_US"}
# words the patterns break badly, by language: the breaks to use ("" to keep the word whole)
EXCEPTIONS: dict[str, dict[str, str]] = {
    "en": {"present": "", "record": "", "project": "", "progress": "", "democracy": "democ-racy",
           "knowledge": "knowl-edge"},
}

WORD_RE = re.compile(r"&#?\w+;|[^\W\d_]+(?:['’\-\u2010][^\W\d_]+)*")
TAG_RE = re.compile(r"(<[^>]*>)")
PARA_END = re.compile(r"</(p|li|blockquote|dd|dt|h\d)\s*>", re.I)
SKIPPED = ("footnote", "nobr")  # span classes whose text is left alone (notes are ragged)
SKIPPED_TAGS = ("code", "pre", "kbd", "samp")


@lru_cache(maxsize=8)
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    base = (lang or "en").replace("_", "-").split("-")[0].lower()
    chosen = PATTERNS.get(base) or pyphen.language_fallback((lang or "en").replace("-", "_"))
    if not chosen:
        return None
    _patterns_kept(pyphen.LANGUAGES[chosen])
    return pyphen.Pyphen(lang=chosen, left=LEFT, right=RIGHT)


def _patterns_kept(path: Path) -> None:
    """pyphen's parsed patterns of `path` (0.1 s to parse in each worker that hyphenates, twice on
    an edit's way to the guide) from the user's cache folder, or parsed and kept there; pyphen
    finds them in its own cache (`hdcache`), as WeasyPrint's hyphenation does."""
    if path in pyphen.hdcache:
        return
    try:
        info = path.stat()
    except OSError:
        return  # pyphen reports it
    stamp = f"{path.name}|{info.st_size}|{info.st_mtime_ns}|{pyphen.VERSION}|{pickle.HIGHEST_PROTOCOL}"
    kept = usercache.folder("hyphenation") / f"{hashlib.blake2b(stamp.encode(), digest_size=10).hexdigest()}.pkl"
    try:
        patterns = pickle.loads(kept.read_bytes())  # this user's own file (state/usercache)
        if isinstance(patterns, pyphen.HyphDict) and patterns.patterns:
            pyphen.hdcache[path] = patterns
            return
    except Exception:  # missing, or written by another version: parsed again below
        pass
    patterns = pyphen.HyphDict(path)
    pyphen.hdcache[path] = patterns
    usercache.keep(kept, pickle.dumps(patterns, protocol=pickle.HIGHEST_PROTOCOL))


class Hyphenator:
    """Soft hyphens for one course: its language's patterns and its names."""

    def __init__(self, lang: str, names: list[str] | tuple[str, ...] = ()):
        self.dictionary = _dictionary(lang)
        self.exceptions = EXCEPTIONS.get((lang or "en").split("-")[0].lower(), {})
        self.kept = {w for name in names for w in re.findall(r"[^\W\d_]+", str(name)) if len(w) >= SHORTEST}
        self._words: dict[str, str] = {}
        # in these languages a capital starts every noun, not only names
        self.capitals_are_names = (lang or "en").split("-")[0].lower() not in NOUNS_CAPITALISED

    def word(self, word: str) -> str:
        """The word with soft hyphens where it may break (as it is, when it may not)."""
        done = self._words.get(word)
        if done is None:
            done = self._words[word] = self._breaks(word)
        return done

    def _breaks(self, word: str) -> str:
        stem, rest = re.match(r"([^'’]*)(.*)", word).groups()  # "Cushion’s": the stem breaks, if any
        if (self.dictionary is None or len(stem) < SHORTEST or stem in self.kept
                or any(c in stem for c in "-\u2010") or any(c.isupper() for c in stem[1:])
                or (self.capitals_are_names and stem[0].isupper())):
            return word
        lower = stem.lower()
        if lower in self.exceptions:
            marked = self.exceptions[lower]
            cuts = [i for i, part in enumerate(_cut_points(marked)) if part] if marked else []
            return _insert(stem, [i for i in cuts if LEFT <= i <= len(stem) - RIGHT]) + rest
        cuts = [i for i in self.dictionary.positions(stem) if LEFT <= i <= len(stem) - RIGHT]
        return _insert(stem, cuts) + rest

    def html(self, fragment: object) -> Markup | None:
        """An HTML fragment (paragraphs, list items or inline text) with soft hyphens in its
        words and its paragraphs' last words tied."""
        if fragment is None:
            return None
        tokens = TAG_RE.split(str(fragment))
        paragraph: list[int] = []  # indexes of the current paragraph's text tokens
        skip: list[str] = []  # the tags of skipped spans open around the text
        for i, token in enumerate(tokens):
            if token.startswith("<"):
                _track(token, skip)
                if PARA_END.match(token):
                    self._paragraph(tokens, paragraph)
                    paragraph = []
            elif token and not skip:
                paragraph.append(i)
        self._paragraph(tokens, paragraph)
        return Markup("".join(tokens))

    def _paragraph(self, tokens: list[str], indexes: list[int]) -> None:
        """Tie the paragraph's last words, then put soft hyphens in the words before them."""
        tail = _tie_end(tokens, indexes)
        for n, i in enumerate(indexes):
            end = tail[1] if n == tail[0] else (len(tokens[i]) if n < tail[0] else 0)
            text = tokens[i]
            tokens[i] = WORD_RE.sub(lambda m: m.group() if m.group().startswith("&") else self.word(m.group()),
                                    text[:end]) + text[end:]
            tokens[i] = breakable(tokens[i])

    def ladders(self, document) -> list[tuple[str, str]]:
        """(block number, word) of the word to keep whole in each run of more than
        MOST_IN_A_ROW hyphenated lines of the laid-out `document` (blocks numbered `data-b`)."""
        found = []
        for block, lines in _lines_by_block(document):
            run = 0
            for n, line in enumerate(lines):
                run = run + 1 if _hyphenated(line) else 0
                if run > MOST_IN_A_ROW:
                    # the run's middle line first; a compound's own hyphen cannot be taken away
                    for k in (n - 1, n - 2, n):
                        word = _broken_word(lines[k], lines[k + 1]) if k + 1 < len(lines) else ""
                        if SHY in self.word(word):
                            found.append((block, word))
                            break
                    run = 0
        return found

    def unhyphenate(self, html: str, block: str, word: str) -> str:
        """`html` with `word` kept whole in numbered block `block`."""
        marked = self.word(word)
        if SHY not in marked:
            return html
        start = html.find(f'data-b="{block}"')
        if start < 0:
            return html
        end = html.find(' data-b="', start + 1)
        end = len(html) if end < 0 else end
        return html[:start] + html[start:end].replace(marked, word) + html[end:]


def _cut_points(marked: str) -> list[bool]:
    """For "an-other": [False, False, True, False, ...]: True where a break comes before that letter."""
    cuts, after = [], False
    for char in marked:
        if char == "-":
            after = True
            continue
        cuts.append(after)
        after = False
    return cuts


def _insert(word: str, cuts: list[int]) -> str:
    if not cuts:
        return word
    out, last = [], 0
    for cut in sorted(set(cuts)):
        out.append(word[last:cut])
        last = cut
    out.append(word[last:])
    return SHY.join(out)


def _track(tag: str, skip: list[str]) -> None:
    """Keep `skip` the stack of skipped elements open at this point, given the next tag."""
    match = re.match(r"<(/?)(\w+)", tag)
    if not match:
        return
    closing, name = match.group(1) == "/", match.group(2).lower()
    if closing:
        if skip and name == skip[-1].split(":")[0]:
            skip.pop()
        elif skip and name == "span" and skip[-1] == "span:inner":
            skip.pop()
        return
    if tag.endswith("/>"):
        return
    classes = re.search(r'class="([^"]*)"', tag)
    if name in SKIPPED_TAGS or (name == "span" and classes and set(classes.group(1).split()) & set(SKIPPED)):
        skip.append(name)
    elif skip and name == "span":
        skip.append("span:inner")  # a span inside a skipped one: its end is not the skipped one's


def _tie_end(tokens: list[str], indexes: list[int]) -> tuple[int, int]:
    """Tie the last words of a paragraph (text tokens `indexes`) with no-break spaces until they
    make LAST_LINE characters (at most MOST_TIED words); (n, offset): where in the n-th text
    token the words left whole begin."""
    places = [(n, j) for n, i in enumerate(indexes) for j in range(len(tokens[i]))]
    text = "".join(tokens[i] for i in indexes)
    end = len(text.rstrip())
    if end == 0:
        return (len(indexes), 0)
    start = _space_before(text, end)
    tied = 0
    while start >= 0 and end - start - 1 < LAST_LINE and tied < MOST_TIED - 1:
        n, j = places[start]
        token = tokens[indexes[n]]
        tokens[indexes[n]] = token[:j] + NBSP + token[j + 1:]
        tied += 1
        start = _space_before(text, start)
    first = start + 1 if start >= 0 else 0
    return places[first] if first < len(places) else (len(indexes), 0)


def _space_before(text: str, end: int) -> int:
    """The index of the last white space before `end` (-1 when none)."""
    for i in range(end - 1, -1, -1):
        if text[i] in " \t\n":
            return i
    return -1


def _walk(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


def _lines_by_block(document):
    """(block number, its line boxes in order) for every numbered block of the document."""
    from weasyprint.formatting_structure import boxes

    blocks: dict[str, list] = {}
    for page in document.pages:
        for child in page._page_box.children:
            if isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox)):
                continue
            for box in _walk(child):
                if isinstance(box, boxes.LineBox):
                    element = getattr(box, "element", None)
                    block = element.get("data-b") if element is not None else None
                    if block:
                        blocks.setdefault(block, []).append(box)
    return blocks.items()


def _texts(line) -> list[str]:
    from weasyprint.formatting_structure import boxes

    return [box.text for box in _walk(line) if isinstance(box, boxes.TextBox)]


def _hyphenated(line) -> bool:
    texts = _texts(line)
    end = texts[-1].replace(SHY, "").rstrip() if texts else ""
    return end.endswith(HYPHENS) and end[-2:-1].isalpha()


def _broken_word(line, following) -> str:
    """The word broken at the end of `line`, made whole with the start of `following`."""
    head = re.search(r"[^\W\d_]+$", _texts(line)[-1].rstrip().rstrip("".join(HYPHENS)).replace(SHY, ""))
    rest = "".join(_texts(following)).replace(SHY, "")
    tail = re.match(r"[^\W\d_]+", rest.lstrip())
    return head.group() + tail.group() if head and tail else ""


def hyphenated_chapter(chapter, hy: Hyphenator):
    """A copy of a chapter view with soft hyphens in its prose: summary, objectives, readings and
    questions (not titles, key points, captions or notes, which are set ragged and whole)."""
    from dataclasses import replace

    sections = [replace(s, reading=hy.html(s.reading), questions=[hy.html(q) for q in s.questions])
                for s in chapter.sections]
    return replace(chapter, summary=hy.html(chapter.summary), objectives=[hy.html(o) for o in chapter.objectives],
                   sections=sections, questions=[hy.html(q) for q in chapter.questions])


LONG_RUN = re.compile(r"[^\s&;<>\u00ad\u200b]{25,}")  # a URL or an identifier no hyphenation breaks
ZWSP = "\u200b"


def breakable(text: str) -> str:
    """Long unbroken runs (URLs, identifiers) given zero-width break points after their slashes,
    dots and hyphens, and every 12 characters where they have none, so that they wrap at the
    measure instead of running off the page (a wrap-anywhere rule on the paragraph would also
    break the ties of its last words)."""
    def cut(match: re.Match) -> str:
        pieces = re.sub(r"([/.\-_?=])(?=.)", "\\1" + ZWSP, match.group())
        return re.sub(r"[^\u200b]{12}(?=[^\u200b])", lambda m: m.group() + ZWSP, pieces)
    return LONG_RUN.sub(cut, text)
