"""The bundled course in content/: original wording, faithful figures, and the shape issue 6 asks for.

The YAML is read with PyYAML directly so that these checks do not depend on lectern's loader.
The course is based on Mike Gonzalez's review essay "The new Cuba: myths and realities" (2016);
the repository keeps only hashes of the essay's 12-word runs (tests/data/source-12grams.txt),
never its text. When the sources folder sits next to the repository (../shared/sources, as in
CI), the tests also read it to check the hashes and the chart figures against the essay itself.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from helpers import source_hasher

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
DATA = Path(__file__).resolve().parent / "data"
HASH_FILE = DATA / "source-12grams.txt"
SOURCE_NAME = "new-cuba-myths-and-realities.txt"


hasher = source_hasher()


def _sources_dir() -> Path | None:
    for candidate in (REPO.parent / "shared" / "sources", Path("/work/shared/sources")):
        if (candidate / SOURCE_NAME).is_file():
            return candidate
    return None


SOURCES = _sources_dir()
needs_source = pytest.mark.skipif(SOURCES is None, reason="../shared/sources is not next to the repository")


def load(rel: str):
    with open(CONTENT / rel, encoding="utf-8") as f:
        return yaml.safe_load(f)


COURSE = load("course.yaml")
LECTURES = {Path(rel).stem: load(rel) for rel in COURSE["lectures"]}
REFERENCES = load(COURSE["bibliography"])
TIMELINE = load(COURSE["timeline"])
GLOSSARY = load(COURSE["glossary"])


# --- originality ---------------------------------------------------------------------------

# A marked quotation: curly or straight double quotes, not running across a blank line.
MARKED = re.compile(r"“(?:(?!\n\s*\n)[^”])*”|\"(?:(?!\n\s*\n)[^\"])*\"")


def unmarked_segments(text: str) -> list[str]:
    """The parts of `text` outside marked quotations, as separate segments (never joined)."""
    return MARKED.split(text)


def text_items(node, skip_quote_text: bool = True):
    """Every string in a YAML tree, except the `text` of a slide `quote` (a marked quotation)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "quote" and skip_quote_text and isinstance(value, dict):
                yield from text_items({k: v for k, v in value.items() if k != "text"})
            else:
                yield from text_items(value)
    elif isinstance(node, list):
        for value in node:
            yield from text_items(value)


def copied_runs(strings, source_hashes: set[str]) -> list[str]:
    """The 12-word runs, outside marked quotations, whose hashes stand in `source_hashes`."""
    found = []
    for s in strings:
        for segment in unmarked_segments(s):
            words = hasher.normalise(segment)
            for i in range(len(words) - hasher.N + 1):
                run = words[i:i + hasher.N]
                if hasher.digest(run) in source_hashes:
                    found.append(" ".join(run))
    return found


# Titles in the bibliography are names of works, not prose: they may stand as the essay gives them.
TITLE_FIELDS = {"title", "container-title", "original-title"}


def all_content_strings() -> list[str]:
    strings = []
    bibliography = (CONTENT / COURSE["bibliography"]).resolve()
    for path in sorted(CONTENT.rglob("*")):
        if path.suffix in (".yaml", ".yml"):
            tree = yaml.safe_load(path.read_text(encoding="utf-8"))
            if path.resolve() == bibliography:
                tree = [{k: v for k, v in item.items() if k not in TITLE_FIELDS} for item in tree]
            strings.extend(text_items(tree))
        elif path.suffix == ".csv":
            strings.append(path.read_text(encoding="utf-8"))
    return strings


def source_hashes() -> set[str]:
    return set(HASH_FILE.read_text(encoding="utf-8").split())


def test_hash_file_holds_only_hashes():
    lines = HASH_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 4000, "the essay has some 5,000 words, so thousands of runs"
    assert all(re.fullmatch(r"[0-9a-f]{16}", line) for line in lines)


TEXT_SUFFIXES = {".txt", ".md", ".yaml", ".yml", ".json", ".csv", ".py", ".html", ".bib"}


def test_the_essay_itself_is_not_kept_in_the_repository():
    """No text file in content/, tests/ or docs/ carries whole passages of the essay."""
    hashes = source_hashes()
    for folder in ("content", "tests", "docs"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix not in TEXT_SUFFIXES or path == HASH_FILE or not path.is_file():
                continue
            runs = copied_runs([path.read_text(encoding="utf-8", errors="ignore")], hashes)
            assert len(runs) < 20, f"{path} holds passages of the essay"


def test_course_copies_no_twelve_word_run_from_the_essay():
    copied = copied_runs(all_content_strings(), source_hashes())
    assert copied == [], "rewrite these passages, or mark and cite them as quotations:\n" + "\n".join(copied)


def test_checker_detects_a_copied_sentence_and_spares_a_marked_one():
    sentence = "The quick brown fox jumps over the lazy dog while seven tired clerks count pebbles slowly."
    fake = hasher.ngram_hashes(hasher.normalise(sentence))
    assert copied_runs([f"As the author says, {sentence}"], fake)
    # Case, punctuation and curly apostrophes do not hide a copy.
    assert copied_runs([sentence.upper().replace(" ", ", ")], fake)
    # The same words inside marked quotation marks, or as a slide quote, are allowed.
    assert copied_runs([f"As the author says, “{sentence}” [@x, p. 3]"], fake) == []
    assert copied_runs(list(text_items({"quote": {"text": sentence, "source": "[@x]"}})), fake) == []
    # Eleven words are not a run.
    assert copied_runs([" ".join(sentence.split()[:11])], fake) == []


@needs_source
def test_checker_flags_the_essay_itself_and_the_hash_file_is_current():
    text = (SOURCES / SOURCE_NAME).read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if len(p.split()) > 60)
    assert copied_runs([paragraph], source_hashes())
    current = set()
    for path in SOURCES.glob("*.txt"):
        current |= hasher.ngram_hashes(hasher.normalise(path.read_text(encoding="utf-8")))
    assert current == source_hashes(), "run tests/data/make_source_hashes.py"


def test_long_quotations_carry_a_citation():
    """A marked quotation long enough to be copied from the essay comes with a citation."""
    hashes = source_hashes()
    for s in all_content_strings():
        for quoted in MARKED.findall(s):
            if copied_runs([quoted.strip("“”\"")], hashes):
                assert "@" in s, f"uncited quotation: {quoted}"
    for lecture in LECTURES.values():
        for slide in all_slides(lecture):
            if "quote" in slide:
                assert "@" in slide["quote"].get("source", ""), slide["title"]


# --- charts --------------------------------------------------------------------------------

EXPECTED_CHARTS = {
    "real-wages.csv": [("1989", "100"), ("2008", "27")],
    "pensions.csv": [("1989", "100"), ("1993", "16"), ("2013", "50")],
    "employment-by-race.csv": [("Black", "34.2"), ("White", "63.8")],
    "committees-by-race.csv": [("White", "114"), ("Black", "5"), ("Neither white nor black", "12")],
    "granma-landing.csv": [("Aboard the Granma", "82"), ("Survived the landing", "18")],
}
# How the essay writes each number (it spells out "five").
SPELLINGS = {"5": ["5", "five"]}


def read_csv(name: str) -> list[tuple[str, ...]]:
    with open(CONTENT / "data" / name, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [tuple(row) for row in rows[1:]]


@pytest.mark.parametrize("name", sorted(EXPECTED_CHARTS))
def test_chart_figures_are_the_essays(name):
    assert read_csv(name) == EXPECTED_CHARTS[name]


def test_every_csv_is_checked_and_used_with_a_citation():
    files = {p.name for p in (CONTENT / "data").glob("*.csv")}
    assert files == set(EXPECTED_CHARTS)
    used = {}
    for lecture in LECTURES.values():
        for slide in all_slides(lecture):
            if "chart" in slide:
                chart = slide["chart"]
                used[Path(chart["data"]).name] = chart
                assert "@gonzalez2016" in chart["source"]
                assert chart["type"] in ("bar", "line")
    assert set(used) == files
    assert "131" in used["committees-by-race.csv"]["caption"]
    # the third bar is what is left of the 131 members once the essay's two figures are taken
    assert sum(int(n) for _, n in read_csv("committees-by-race.csv")) == 131


@needs_source
@pytest.mark.parametrize("name", sorted(EXPECTED_CHARTS))
def test_chart_numbers_stand_in_the_essay(name):
    text = (SOURCES / SOURCE_NAME).read_text(encoding="utf-8")
    for _label, number in EXPECTED_CHARTS[name]:
        if number in DERIVED:
            continue
        spellings = SPELLINGS.get(number, [number])
        assert any(re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", text) for s in spellings), number
    if name == "committees-by-race.csv":
        assert "131" in text


# --- structure ------------------------------------------------------------------------------

def all_slides(lecture: dict) -> list[dict]:
    return [slide for section in lecture["sections"] for slide in section.get("slides", [])]


def bullets(points) -> list[str]:
    out = []
    for p in points or []:
        if isinstance(p, dict):
            out.append(p["text"])
            out.extend(bullets(p.get("points")))
        else:
            out.append(p)
    return out


def test_course_metadata():
    assert COURSE["title"] == "The New Cuba: myths and realities"
    assert COURSE["subtitle"]
    assert "Gonzalez" in COURSE["author"]
    assert str(COURSE["date"]) == "2026-11-24"
    assert (COURSE["lang"], COURSE["csl"], COURSE["paper"]) == ("en-GB", "chicago-author-date", "A4")
    assert list(LECTURES) == ["01-revolution", "02-icon-to-ally", "03-special-period"]


@pytest.mark.parametrize("lecture_id", ["01-revolution", "02-icon-to-ally", "03-special-period"])
def test_lecture_shape(lecture_id):
    lecture = LECTURES[lecture_id]
    assert lecture["title"] and lecture["summary"] and lecture["objectives"]
    assert isinstance(lecture["duration"], int)
    assert 3 <= len(lecture["sections"]) <= 4
    slides = all_slides(lecture)
    assert 15 <= len(slides) <= 20
    for slide in slides:
        assert str(slide.get("notes", "")).strip(), f"no notes on {slide['title']}"
    words = sum(len(section["reading"].split()) for section in lecture["sections"])
    assert 1500 <= words <= 2500, words
    labels = set(lecture.get("footnotes", {}))
    for section in lecture["sections"]:
        reading = section["reading"]
        assert "^[" in reading or re.search(r"\[\^[\w-]+\]", reading), f"no footnote in {section['title']}"
        for label in re.findall(r"\[\^([\w-]+)\]", reading):
            assert label in labels
        assert section.get("questions"), section["title"]
    assert lecture["further_reading"]


@pytest.mark.parametrize("lecture_id", ["01-revolution", "02-icon-to-ally", "03-special-period"])
def test_slides_fit_a_16_9_frame(lecture_id):
    for slide in all_slides(LECTURES[lecture_id]):
        lines = bullets(slide.get("points"))
        assert len(slide["title"].split()) <= 9, slide["title"]
        limit = 3 if ("chart" in slide or "quote" in slide or "timeline" in slide) else 7
        assert len(lines) <= limit, slide["title"]
        for line in lines:
            assert len(re.sub(r"\[@[^\]]*\]", "", line).split()) <= 14, line
        if "quote" in slide:
            assert len(slide["quote"]["text"].split()) <= 45, slide["title"]


def test_slide_features_are_used():
    slides = [s for lecture in LECTURES.values() for s in all_slides(lecture)]
    assert sum("chart" in s for s in slides) >= 2
    assert any("quote" in s and "p. 145" in s["quote"]["source"] for s in slides)
    assert any(s.get("timeline") == {"from": 1953, "to": 1959} for s in slides)
    assert sum(bool(s.get("build")) for s in slides) >= 3
    assert any(isinstance(p, dict) for s in slides for p in s.get("points", []))
    assert not any("image" in s for s in slides), "no invented pictures"


def test_citations_resolve_to_the_bibliography():
    ids = {item["id"] for item in REFERENCES}
    assert {"gonzalez2016", "cushion2016", "franklin2016", "kapcia2014", "gerassi1963",
            "draper1966", "castro1953", "guevara1960", "guevara1963", "morales2008"} <= ids
    used = set()
    for s in all_content_strings():
        used |= set(re.findall(r"(?<![\w])@([a-z][\w]*\d{4})", s))
    assert used <= ids, used - ids
    assert ids <= used, f"in the bibliography but never cited: {ids - used}"
    essay = next(item for item in REFERENCES if item["id"] == "gonzalez2016")
    assert essay["container-title"] == "International Socialism" and str(essay["issue"]) == "152"
    for item in REFERENCES:
        assert item["issued"]["date-parts"][0][0] and item["title"] and item["author"]


def test_essay_page_citations_are_kept():
    text = "\n".join(all_content_strings())
    assert "@cushion2016, p. 145" in text
    assert "@kapcia2014, p. 18" in text
    assert "Partido Independiente de Color" in "\n".join(str(v) for v in LECTURES["01-revolution"]["footnotes"].values())


def test_timeline():
    assert len(TIMELINE) >= 20
    for event in TIMELINE:
        date = str(event["date"])
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date), date
        assert 1898 <= int(date[:4]) <= 2015, date
        assert event["event"].strip()
        assert event.get("lecture") in LECTURES
    for lecture_id in LECTURES:
        assert any(e["lecture"] == lecture_id for e in TIMELINE)
    assert any(str(e["date"]) == "1956-12-03" for e in TIMELINE)


def test_glossary():
    assert len(GLOSSARY) >= 15
    terms = [entry["term"] for entry in GLOSSARY]
    assert len(terms) == len(set(terms))
    for entry in GLOSSARY:
        assert entry["definition"].strip()
        assert entry.get("lecture") in LECTURES


# --- traceability of numbers ----------------------------------------------------------------

NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Numbers the course works out from the essay rather than copies, each with its reasoning.
DERIVED = {
    "1910": "note 1: the party was founded in 1908 and 'two years later' parties based on race were banned",
    "12": "the leading state committees: 131 members, of whom 114 white and five black, leave 12 who were neither",
}


def numbers_in(text: str) -> set[str]:
    return {n.replace(",", "") for n in NUMBER.findall(text)}


@needs_source
def test_every_number_in_the_course_stands_in_the_essay():
    """Years and figures (10 and over) in lectures, timeline, glossary and data come from the essay."""
    essay = numbers_in((SOURCES / SOURCE_NAME).read_text(encoding="utf-8")) | set(DERIVED)
    texts = {}
    for rel in COURSE["lectures"] + [COURSE["glossary"]]:
        texts[rel] = "\n".join(text_items(load(rel)))
    texts[COURSE["timeline"]] = "\n".join(f"{str(e['date'])[:4]} {e['event']}" for e in TIMELINE)
    for path in (CONTENT / "data").glob("*.csv"):
        texts[path.name] = path.read_text(encoding="utf-8").replace(",", " ")
    for name, text in texts.items():
        text = re.sub(r"@[\w-]+", "", text)  # citation keys carry the year of a work
        stray = sorted(n for n in numbers_in(text) if float(n) >= 10 and n not in essay)
        assert stray == [], f"{name}: numbers not in the essay: {stray}"
