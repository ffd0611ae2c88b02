"""Synthetic courses for benchmarks and tests: S (one lecture, 30 slides) and L (20 lectures, 600 slides).

The same content is also written as Pandoc Markdown (one deck file per lecture and one guide
file), so a benchmark can time pandoc on exactly what Lectern builds.

    python bench/gen_course.py S /tmp/course-s            # a Lectern course folder
    python bench/gen_course.py L /tmp/course-l --pandoc /tmp/pandoc-l   # plus Pandoc sources

From Python: `generate(path, "L")`, then `edit_slide(path)` / `edit_lecture(path)` to make the
edits a benchmark times. Output is deterministic (seeded), so runs compare like with like.
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

SCALES = {"S": 1, "L": 20, "XL": 100}  # lectures; each lecture has 3 sections of 10 slides
SECTIONS = 3
SLIDES_PER_SECTION = 10
REFERENCES = 40

WORDS = ("revolution workers strike sugar harvest union state party guerrilla peasant city havana "
         "economy wage pension reform embargo market planning cooperative tourism remittance dollar "
         "island history memory myth archive congress militia literacy campaign health education "
         "housing race gender migration exile diaspora censorship press radio television novel song "
         "factory port railway tobacco nickel oil credit debt crisis recovery protest assembly vote "
         "council committee neighbourhood defence alliance treaty blockade hurricane drought famine").split()
FAMILIES = ("Cushion Gonzalez Franklin Pérez Farber Hernández Sweig Kapcia Chomsky Domínguez Mesa-Lago "
            "Fagen Zeitlin Thomas Ibarra Whitney Guerra Bunck Fernández Eckstein").split()
GIVEN = "Steve Mike Jane Louis Samuel Rafael Julia Antoni Aviva Jorge Carmelo Richard Maurice Hugh Jorge Robert Lillian Julie Damián Susan".split()


@dataclass
class Slide:
    title: str
    points: list[str]
    notes: str
    chart: bool = False
    quote: tuple[str, str] | None = None


@dataclass
class Section:
    title: str
    reading: list[str]  # paragraphs
    slides: list[Slide]
    questions: list[str]


@dataclass
class Lecture:
    id: str
    title: str
    summary: str
    objectives: list[str]
    sections: list[Section]
    further_reading: list[str] = field(default_factory=list)


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _sentence(rng: random.Random, n: int) -> str:
    text = _words(rng, n)
    return text[0].upper() + text[1:] + "."


def _cite(rng: random.Random) -> str:
    key = f"ref{rng.randrange(REFERENCES):02d}"
    return f"[@{key}, p. {rng.randint(3, 300)}]" if rng.random() < 0.6 else f"[@{key}]"


def _paragraph(rng: random.Random, notes: int) -> str:
    sentences = [_sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(5, 8))]
    for i in rng.sample(range(len(sentences)), k=min(2, len(sentences))):
        sentences[i] = sentences[i][:-1] + f" {_cite(rng)}."
    for i in rng.sample(range(len(sentences)), k=min(notes, len(sentences))):
        sentences[i] += f"^[{_sentence(rng, rng.randint(8, 16))[:-1]} {_cite(rng)}.]"
    return " ".join(sentences)


def make_lectures(scale: str) -> list[Lecture]:
    """The course's lectures as plain data, the same at every call."""
    rng = random.Random(1959)
    lectures = []
    for n in range(1, SCALES[scale] + 1):
        sections = []
        for s in range(1, SECTIONS + 1):
            slides = []
            for k in range(1, SLIDES_PER_SECTION + 1):
                points = [_sentence(rng, rng.randint(4, 9))[:-1] for _ in range(rng.randint(3, 4))]
                if k % 3 == 0:
                    points[0] += f" {_cite(rng)}"
                if k % 4 == 0:
                    points[-1] += f"^[{_sentence(rng, rng.randint(6, 12))[:-1]}.]"
                quote = (_sentence(rng, 14), _cite(rng)) if k == 5 else None
                slides.append(Slide(title=_sentence(rng, rng.randint(2, 5))[:-1], points=[] if quote else points,
                                    notes=_sentence(rng, rng.randint(15, 30)), chart=(k == 8), quote=quote))
            sections.append(Section(
                title=_sentence(rng, 3)[:-1],
                reading=[_paragraph(rng, notes=1 + (p % 2)) for p in range(3)],
                slides=slides,
                questions=[_sentence(rng, 9)[:-1] + "?" for _ in range(2)]))
        lectures.append(Lecture(
            id=f"lecture-{n:02d}", title=f"Lecture {n}: {_sentence(rng, 3)[:-1]}",
            summary=_sentence(rng, 25) + f" {_cite(rng)}",
            objectives=[_sentence(rng, 8) for _ in range(3)], sections=sections,
            further_reading=[f"@ref{rng.randrange(REFERENCES):02d}" for _ in range(2)]))
    return lectures


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _chart_yaml(indent: str) -> list[str]:
    rows = ", ".join(f"[{1950 + 5 * i}, {40 + (i * 7) % 30}, {20 + (i * 11) % 25}]" for i in range(8))
    return [f"{indent}chart:",
            f"{indent}  type: line",
            f"{indent}  title: Wages and pensions",
            f"{indent}  x: year",
            f"{indent}  y: [wages, pensions]",
            f'{indent}  unit: "%"',
            f"{indent}  data: {{columns: [year, wages, pensions], rows: [{rows}]}}",
            f"{indent}  caption: Share of the 1950 value.",
            f'{indent}  source: "[@ref00]"']


def lecture_yaml(lec: Lecture) -> str:
    out = [f"title: {_q(lec.title)}", "duration: 50", f"summary: {_q(lec.summary)}", "objectives:"]
    out += [f"  - {_q(o)}" for o in lec.objectives]
    out.append("sections:")
    for sec in lec.sections:
        out.append(f"  - title: {_q(sec.title)}")
        out.append("    reading: |")
        for i, para in enumerate(sec.reading):
            if i:
                out.append("")
            out.append(f"      {para}")
        out.append("    slides:")
        for slide in sec.slides:
            out.append(f"      - title: {_q(slide.title)}")
            if slide.points:
                out.append("        points:")
                out += [f"          - {_q(p)}" for p in slide.points]
            if slide.quote:
                out += ["        quote:", f"          text: {_q(slide.quote[0])}",
                        f"          source: {_q(slide.quote[1])}"]
            if slide.chart:
                out += _chart_yaml("        ")
            out.append(f"        notes: {_q(slide.notes)}")
        out.append("    questions:")
        out += [f"      - {_q(q)}" for q in sec.questions]
    out.append("further_reading:")
    out += [f"  - {_q(r)}" for r in lec.further_reading]
    return "\n".join(out) + "\n"


def references_yaml() -> str:
    rng = random.Random(1912)
    out = []
    for i in range(REFERENCES):
        fam, given = FAMILIES[i % len(FAMILIES)], GIVEN[i % len(GIVEN)]
        year = 1960 + rng.randrange(60)
        out += [f"- id: ref{i:02d}", "  type: book", "  author:", f"    - family: {fam}", f"      given: {given}",
                "  issued:", f"    date-parts: [[{year}]]", f"  title: {_q(_sentence(rng, 6)[:-1])}",
                "  publisher: Monthly Review Press", "  publisher-place: New York"]
    return "\n".join(out) + "\n"


def generate(path: Path, scale: str = "S") -> Path:
    """Write a synthetic course of the given scale ("S" or "L") to path; returns path."""
    path = Path(path)
    lectures = make_lectures(scale)
    (path / "lectures").mkdir(parents=True, exist_ok=True)
    for lec in lectures:
        (path / "lectures" / f"{lec.id}.yaml").write_text(lecture_yaml(lec), "utf-8")
    (path / "references.yaml").write_text(references_yaml(), "utf-8")
    timeline = [f"- date: \"{1950 + i}\"\n  event: {_q(_sentence(random.Random(i), 10))}" for i in range(12)]
    (path / "timeline.yaml").write_text("\n".join(timeline) + "\n", "utf-8")
    glossary = [f"- term: {w.title()}\n  definition: {_q(_sentence(random.Random(w), 14))}" for w in WORDS[:15]]
    (path / "glossary.yaml").write_text("\n".join(glossary) + "\n", "utf-8")
    course = [f"title: {_q(f'Synthetic course {scale}')}", "subtitle: Generated for benchmarks",
              "author: [Bench Author]", "institution: Bench University", "date: 2026-11-24", "lang: en-GB",
              "bibliography: references.yaml", "csl: chicago-author-date", "paper: A4",
              "timeline: timeline.yaml", "glossary: glossary.yaml", "lectures:"]
    course += [f"  - lectures/{lec.id}.yaml" for lec in lectures]
    (path / "course.yaml").write_text("\n".join(course) + "\n", "utf-8")
    return path


def lecture_files(path: Path) -> list[Path]:
    return sorted((Path(path) / "lectures").glob("*.yaml"))


def edit_slide(path: Path, lecture: int = 0, counter: int = 1) -> Path:
    """Change the text of one bullet on one slide of one lecture (the 'fix a typo' edit)."""
    target = lecture_files(path)[lecture]
    text = target.read_text("utf-8")
    marker = "          - \""
    i = text.index(marker) + len(marker)
    target.write_text(text[:i] + f"Edited {counter} " + text[i:], "utf-8")
    return target


def edit_lecture(path: Path, lecture: int = 0, counter: int = 1) -> Path:
    """Rewrite a lecture more widely: every slide title and a reading paragraph grow a little."""
    target = lecture_files(path)[lecture]
    text = target.read_text("utf-8")
    text = text.replace('      - title: "', f'      - title: "Revised {counter} ')
    text = text.replace("    reading: |\n      ", f"    reading: |\n      Revised reading {counter}, longer now. ", 1)
    target.write_text(text, "utf-8")
    return target


# ---- the same content as Pandoc Markdown ---------------------------------------------------
def _md_slide(slide: Slide) -> list[str]:
    out = [f"## {slide.title}", ""]
    out += [f"- {p}" for p in slide.points]
    if slide.quote:
        out += [f"> {slide.quote[0]}", ">", f"> {slide.quote[1]}"]
    if slide.chart:
        out += ["", "| year | wages | pensions |", "|---|---|---|"]
        out += [f"| {1950 + 5 * i} | {40 + (i * 7) % 30} | {20 + (i * 11) % 25} |" for i in range(8)]
    out += ["", "::: notes", slide.notes, ":::", ""]
    return out


def pandoc_sources(path: Path, scale: str = "S") -> dict[str, list[Path]]:
    """Write Pandoc Markdown for the same course: {"decks": [one .md a lecture], "guide": [book.md]}
    plus references.yaml beside them (for --citeproc)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / "references.yaml").write_text("references:\n" + "\n".join(
        "  " + line for line in references_yaml().splitlines()) + "\n", "utf-8")
    lectures = make_lectures(scale)
    decks = []
    book = [f"---\ntitle: Synthetic course {scale}\nauthor: Bench Author\nbibliography: references.yaml\n---", ""]
    for lec in lectures:
        deck = [f"---\ntitle: {_q(lec.title)}\nauthor: Bench Author\nbibliography: references.yaml\n---", ""]
        book += [f"# {lec.title}", "", lec.summary, ""] + [f"- {o}" for o in lec.objectives] + [""]
        for sec in lec.sections:
            deck += [f"# {sec.title}", ""]
            book += [f"## {sec.title}", ""]
            for para in sec.reading:
                book += [para, ""]
            for slide in sec.slides:
                deck += _md_slide(slide)
                book += [f"- {p}" for p in slide.points] + [""]
            deck += ["## Questions", ""] + [f"- {q}" for q in sec.questions] + [""]
            book += ["### Questions", ""] + [f"1. {q}" for q in sec.questions] + [""]
        deck += ["## References", "", "::: {#refs}", ":::", ""]
        target = path / f"{lec.id}.md"
        target.write_text("\n".join(deck), "utf-8")
        decks.append(target)
    book += ["# Bibliography", "", "::: {#refs}", ":::", ""]
    (path / "book.md").write_text("\n".join(book), "utf-8")
    return {"decks": decks, "guide": [path / "book.md"]}


def marp_sources(path: Path, scale: str = "S") -> list[Path]:
    """Write the same decks as Marp Markdown (one file a lecture, slides split by `---`), for
    marp-cli's PDF of the decks: how Marp, Slidev and reveal.js users print slides."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    files = []
    for lec in make_lectures(scale):
        slides = [[f"# {lec.title}", "", "Bench Author"]]
        for sec in lec.sections:
            slides.append([f"# {sec.title}"])
            for slide in sec.slides:
                body = [line for line in _md_slide(slide) if line not in ("::: notes", ":::", slide.notes)]
                slides.append(body + [f"<!-- {slide.notes} -->"])  # Marp's presenter notes
            slides.append(["## Questions", ""] + [f"- {q}" for q in sec.questions])
        target = path / f"{lec.id}.md"
        target.write_text("---\nmarp: true\n---\n\n" + "\n\n---\n\n".join("\n".join(s) for s in slides) + "\n",
                          "utf-8")
        files.append(target)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", choices=sorted(SCALES))
    parser.add_argument("dest", type=Path)
    parser.add_argument("--pandoc", type=Path, help="also write Pandoc Markdown of the same content here")
    args = parser.parse_args()
    generate(args.dest, args.scale)
    if args.pandoc:
        pandoc_sources(args.pandoc, args.scale)


if __name__ == "__main__":
    main()
