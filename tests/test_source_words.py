"""Words our own: no run of 10 or more words in content/ is copied from the course's source.

The bundled course is written from Mike Gonzalez's review essay "The new Cuba: myths and
realities" (2016). Issue 23 counts a run of 10 or more consecutive words shared with the essay,
not marked as a quotation, as copied. This test reads every string value of every YAML file in
content/ (and the chart data), folds case, accents and punctuation as tests/data/make_source_hashes.py
does, and looks for runs shared with the essay itself.

Exempt, because they are marked and cited quotations:
- the `text` of a slide's `quote:` whose `source` carries a citation;
- words inside “…”, "…" or ‘…’ when the paragraph (or slide point) holding them carries a
  citation (`[@key]` or `@key`). An uncited quotation counts as our own words.
Bibliography titles (`title`, `container-title`, ...) are names of works, not prose.

A run never crosses a quotation or a paragraph break. Runs of 8 or 9 words are allowed but kept
few: EIGHT_WORD_RUNS lists the ones left, each with the reason it stays (names, titles, facts
that cannot be put another way). To see every shared run of N or more words:

    python tests/test_source_words.py [N]      # default 8

The essay is read from ../shared/sources next to the repository (or /work/shared/sources) when it
is there; the repository does not keep it, only hashes of its 10- and 8-word runs
(tests/data/source-10grams.txt, source-8grams.txt, written by make_source_hashes.py), which the
tests use where the essay is absent (in CI), so the course is checked everywhere.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from helpers import source_hasher

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
DATA = Path(__file__).resolve().parent / "data"
SOURCE_NAME = "new-cuba-myths-and-realities.txt"
LIMIT = 10  # a shared run this long is a copy
WATCH = 8  # runs this long are listed and kept few


_hasher = source_hasher()
normalise = _hasher.normalise


def _source_path() -> Path | None:
    for folder in (REPO.parent / "shared" / "sources", Path("/work/shared/sources")):
        if (folder / SOURCE_NAME).is_file():
            return folder / SOURCE_NAME
    return None


SOURCE = _source_path()
needs_source = pytest.mark.skipif(SOURCE is None, reason="the course source (../shared/sources) is not here")


# --- what counts as our text ---------------------------------------------------------------

CITATION = re.compile(r"(?<![\w.])@[A-Za-z_]")  # a Pandoc citation, [@key] or @key
# Marked quotations: curly double, straight double, curly single (a closing ’ not followed by a
# letter, so that apostrophes inside the quotation do not end it).
QUOTATION = re.compile(r"“[^“”]*”|\"[^\"]*\"|‘(?:[^‘’]|’(?=\w))*’(?!\w)")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
TITLE_FIELDS = {"title", "container-title", "collection-title", "original-title", "translated-title"}


@dataclass
class Piece:
    """One stretch of our own words: where it comes from, and its text."""

    where: str
    text: str


def own_pieces(text: str, where: str) -> list[Piece]:
    """`text` cut at paragraph breaks and at cited quotations; the stretches in between."""
    pieces = []
    for paragraph in PARAGRAPH_BREAK.split(text):
        cited = bool(CITATION.search(paragraph))
        if cited:
            parts = QUOTATION.split(paragraph)
        else:
            parts = [paragraph]
        pieces += [Piece(where, part) for part in parts if part.strip()]
    return pieces


def walk(node, where: str, in_bibliography: bool = False):
    """(where, text) for every string in a YAML tree; a cited slide quote's text is left out."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "quote" and isinstance(value, dict):
                cited = bool(CITATION.search(str(value.get("source", ""))))
                for k, v in value.items():
                    if not (k == "text" and cited):
                        yield from walk(v, f"{where} > quote.{k}")
            elif not (in_bibliography and key in TITLE_FIELDS):
                yield from walk(value, f"{where} > {key}", in_bibliography)
    elif isinstance(node, list):
        for value in node:
            label = ""
            if isinstance(value, dict):
                label = value.get("title") or value.get("term") or value.get("id") or value.get("date") or ""
            yield from walk(value, f"{where} > {label}" if label else where, in_bibliography)


def course_pieces(content: Path = CONTENT) -> list[Piece]:
    """Every stretch of our own words in a course folder."""
    bibliography = set()
    course_file = content / "course.yaml"
    if course_file.is_file():
        course = yaml.safe_load(course_file.read_text(encoding="utf-8")) or {}
        bib = course.get("bibliography") or []
        for rel in [bib] if isinstance(bib, str) else bib:
            bibliography.add((content / rel).resolve())
    pieces = []
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content).as_posix()
        if path.suffix in (".yaml", ".yml"):
            tree = yaml.safe_load(path.read_text(encoding="utf-8"))
            for where, text in walk(tree, rel, path.resolve() in bibliography):
                pieces += own_pieces(text, where)
        elif path.suffix == ".csv":
            pieces += own_pieces(path.read_text(encoding="utf-8"), rel)
    return pieces


# --- shared runs ---------------------------------------------------------------------------

def source_ngrams(source_text: str, n: int) -> set[tuple[str, ...]]:
    words = normalise(source_text)
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


class HashedGrams:
    """The source's n-word runs as the hashes kept in tests/data: `words in grams` as for a set of tuples."""

    def __init__(self, n: int):
        self.hashes = set(_hasher.out_path(n).read_text(encoding="utf-8").split())

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return _hasher.digest(list(words)) in self.hashes


def course_source(n: int):
    """The essay's n-word runs: from the essay when it is here, else from the kept hashes."""
    return SOURCE.read_text(encoding="utf-8") if SOURCE is not None else HashedGrams(n)


@dataclass
class Run:
    where: str
    words: list[str]

    def __str__(self) -> str:
        return f"{len(self.words):2d}  {self.where}: {' '.join(self.words)}"


def shared_runs(pieces: list[Piece], source, n: int) -> list[Run]:
    """Maximal runs of `n` or more consecutive words that a piece shares with the source (its
    text, or its n-word runs as HashedGrams)."""
    grams = source_ngrams(source, n) if isinstance(source, str) else source
    runs = []
    for piece in pieces:
        words = normalise(piece.text)
        i = 0
        while i + n <= len(words):
            if tuple(words[i:i + n]) not in grams:
                i += 1
                continue
            end = i + n
            while end < len(words) and tuple(words[end - n + 1:end + 1]) in grams:
                end += 1
            runs.append(Run(piece.where, words[i:end]))
            i = end
    return runs


# Runs of 8 or 9 words still shared with the essay, and why each stays. A run not listed here
# fails the test: rephrase it, or add it with its reason.
EIGHT_WORD_RUNS: dict[str, str] = {
}


# --- tests ---------------------------------------------------------------------------------

def test_checker_finds_a_copy_and_spares_a_cited_quotation():
    source = ("The quick brown fox jumps over the lazy dog while seven tired clerks count pebbles "
              "slowly by the river.")
    copied = "As one writer has it, the quick brown fox jumps over the lazy dog while seven tired clerks."
    assert [len(r.words) for r in shared_runs(own_pieces(copied, "x"), source, LIMIT)] == [13]
    # case, punctuation and curly apostrophes do not hide a copy
    loud = "THE QUICK, BROWN FOX -- JUMPS OVER THE LAZY DOG; WHILE SEVEN TIRED CLERKS!"
    assert shared_runs(own_pieces(loud, "x"), source, LIMIT)
    # nine words are not a copy, but are seen at 8
    nine = "the quick brown fox jumps over the lazy dog and then"
    assert shared_runs(own_pieces(nine, "x"), source, LIMIT) == []
    assert len(shared_runs(own_pieces(nine, "x"), source, WATCH)) == 1
    # a quotation is exempt when its paragraph cites a work...
    for marks in ("“”", '""', "‘’"):
        quoted = f"One writer sees {marks[0]}the quick brown fox jumps over the lazy dog’s kennel{marks[1]} [@x, p. 3]."
        quoted = quoted.replace("dog’s kennel", "dog while seven")
        assert shared_runs(own_pieces(quoted, "x"), source, LIMIT) == [], marks
    # ... and not when it stands uncited
    assert shared_runs(own_pieces("“the quick brown fox jumps over the lazy dog while seven”", "x"), source, LIMIT)
    # a citation in another paragraph does not cover it
    assert shared_runs(own_pieces("[@x]\n\n“the quick brown fox jumps over the lazy dog while seven”",
                                  "x"), source, LIMIT)
    # an apostrophe inside single quotation marks does not end the quotation
    single = "He wrote ‘the quick brown fox’s friend jumps over the lazy dog while seven tired clerks’ [@x]."
    assert shared_runs(own_pieces(single, "x"), source, LIMIT) == []


def test_checker_reads_slide_quotes_and_bibliography_titles_as_exempt():
    tree = {"sections": [{"title": "S", "slides": [
        {"title": "Q", "quote": {"text": "the quick brown fox jumps over the lazy dog while seven",
                                 "source": "[@x, p. 1]"}},
        {"title": "R", "quote": {"text": "the quick brown fox jumps over the lazy dog while seven",
                                 "source": "someone"}},
    ]}]}
    texts = [t for _, t in walk(tree, "l.yaml")]
    assert texts.count("the quick brown fox jumps over the lazy dog while seven") == 1
    bib = [{"id": "x", "title": "the quick brown fox jumps over the lazy dog while seven"}]
    assert [t for _, t in walk(bib, "r.yaml", in_bibliography=True)] == ["x"]


@needs_source
def test_the_checker_flags_the_essay_itself():
    text = SOURCE.read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if len(p.split()) > 60)
    assert shared_runs(own_pieces(paragraph, "essay"), text, LIMIT)


def test_the_kept_hashes_find_what_the_essay_finds():
    """The hashed runs stand in for the essay: a copied passage is found through them alone."""
    if SOURCE is not None:
        text = SOURCE.read_text(encoding="utf-8")
        paragraph = next(p for p in text.split("\n\n") if len(p.split()) > 60)
        for n in (LIMIT, WATCH):
            assert ([r.words for r in shared_runs(own_pieces(paragraph, "essay"), HashedGrams(n), n)]
                    == [r.words for r in shared_runs(own_pieces(paragraph, "essay"), text, n)])
    invented = "the quick brown fox jumps over the lazy dog while seven tired clerks count pebbles"
    assert shared_runs(own_pieces(invented, "x"), HashedGrams(LIMIT), LIMIT) == []


def test_course_shares_no_run_of_ten_words_with_the_source():
    runs = shared_runs(course_pieces(), course_source(LIMIT), LIMIT)
    assert runs == [], ("copied from the source; rewrite in our own words, or quote and cite:\n"
                        + "\n".join(map(str, runs)))


def test_runs_of_eight_words_are_only_the_listed_ones():
    runs = shared_runs(course_pieces(), course_source(WATCH), WATCH)
    unlisted = [r for r in runs if " ".join(r.words) not in EIGHT_WORD_RUNS]
    assert unlisted == [], ("8-word runs shared with the source; rephrase, or list them in "
                            "EIGHT_WORD_RUNS with a reason:\n" + "\n".join(map(str, unlisted)))
    found = {" ".join(r.words) for r in runs}
    assert set(EIGHT_WORD_RUNS) <= found, f"no longer in the course: {set(EIGHT_WORD_RUNS) - found}"


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else WATCH
    if SOURCE is None:
        sys.stderr.write("the course source is not here\n")
        return 2
    runs = shared_runs(course_pieces(), SOURCE.read_text(encoding="utf-8"), n)
    for run in runs:
        print(run)
    print(f"{len(runs)} runs of {n}+ words shared with {SOURCE.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
