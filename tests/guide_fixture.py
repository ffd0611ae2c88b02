"""Hand-built GuideView objects for the study-guide tests: many footnotes of every length.

`make_guide(chapters=3, seed=1)` gives a deterministic guide whose readings carry hundreds of
footnotes (a few words to several lines; many calls land near page ends), with key points,
image and chart figures, questions, further reading, a chronology, a glossary and citations
linking to the bibliography.
"""
from __future__ import annotations

import base64
import random

from markupsafe import Markup

from lectern.course.model import Pos
from lectern.text.view import (BibEntry, Chapter, Figure, Footnote, GlossaryView, GuideSection, GuideView,
    PointView, TimelineEntry)

M = Markup

_PICTURE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" viewBox="0 0 640 400">'
    '<rect width="640" height="400" fill="#d9e6ef"/><circle cx="480" cy="110" r="60" fill="#f2c14e"/>'
    '<path d="M0 300 Q160 220 320 290 T640 270 V400 H0Z" fill="#3f7f5f"/></svg>'
)
PICTURE = "data:image/svg+xml;base64," + base64.b64encode(_PICTURE_SVG.encode()).decode()
CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 300" role="img" aria-label="Harvest">'
    '<g fill="#1f5f8b"><rect x="60" y="160" width="60" height="110"/><rect x="160" y="120" width="60" height="150"/>'
    '<rect x="260" y="40" width="60" height="230"/><rect x="360" y="100" width="60" height="170"/></g>'
    '<g font-size="18" text-anchor="middle" fill="#222"><text x="90" y="292">1960</text>'
    '<text x="190" y="292">1965</text><text x="290" y="292">1970</text><text x="390" y="292">1975</text></g>'
    '<line x1="40" y1="270" x2="560" y2="270" stroke="#222"/></svg>'
)

REFERENCES = [
    ("kapcia2014", "Kapcia, Antoni. 2014. <i>Leadership in the Cuban Revolution: The Unseen Story</i>. London: Zed Books."),
    ("perez2015", "Pérez, Louis A., Jr. 2015. <i>Cuba: Between Reform and Revolution</i>. 5th ed. New York: Oxford University Press."),
    ("chomsky2011", "Chomsky, Aviva. 2011. <i>A History of the Cuban Revolution</i>. Chichester: Wiley-Blackwell."),
    ("guerra2012", "Guerra, Lillian. 2012. <i>Visions of Power in Cuba: Revolution, Redemption, and Resistance, 1959–1971</i>. Chapel Hill: University of North Carolina Press."),
    ("farber2006", "Farber, Samuel. 2006. <i>The Origins of the Cuban Revolution Reconsidered</i>. Chapel Hill: University of North Carolina Press."),
    ("uncited1999", "Nobody, Ann. 1999. <i>A Book Nobody Cites</i>. Nowhere: No Press."),
]
CITED = ["kapcia2014", "perez2015", "chomsky2011", "guerra2012", "farber2006"]

WORDS = (
    "the revolution of the island turned on sugar and on the harvest while colonial planters "
    "and the state argued about land reform memory exile doctrine and the archive of power in "
    "Havana Santiago and the provinces where cooperatives literacy brigades and militias worked "
    "through the long decade of rationing and mobilisation under a leadership that never stopped "
    "talking about the future"
).split()


def _words(rng: random.Random, n: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[0].upper() + text[1:]


def cite(key: str, text: str) -> str:
    return f'<span class="cite">(<a href="#ref-{key}">{text}</a>)</span>'


def bib(key: str) -> BibEntry:
    html = dict(REFERENCES)[key]
    return BibEntry(key, f"ref-{key}", M(html))


def make_chapter(number: int, rng: random.Random, path: str, sections: int = 4,
                 paragraphs: int = 9, note_rate: float = 0.55) -> Chapter:
    notes: list[Footnote] = []
    line = 10

    def note(text: str) -> str:
        nonlocal line
        n = len(notes) + 1
        note_id = f"fn-{number}-{n}"
        line += 3
        notes.append(Footnote(n, note_id, M(text), Pos(path, line, 7)))
        return f'<span class="footnote" id="{note_id}" data-n="{n}">{text}</span>'

    def sentence_run() -> str:
        parts = []
        for _ in range(rng.randint(2, 6)):
            parts.append(_words(rng, rng.randint(6, 22)))
            if rng.random() < 0.15:
                key = rng.choice(CITED)
                parts[-1] += " " + cite(key, f"{key[:-4].capitalize()} {key[-4:]}, {rng.randint(3, 300)}")
            if rng.random() < note_rate:
                length = rng.choice([3, 6, 12, 25, 40, 70])
                body = _words(rng, length) + "."
                if rng.random() < 0.2:
                    key = rng.choice(CITED)
                    body = f"See {cite(key, key[:-4].capitalize() + ' ' + key[-4:])}; " + body
                parts[-1] += "." + note(body)
            else:
                parts[-1] += "."
        return " ".join(parts)

    secs = []
    figure_no = 0
    for s in range(1, sections + 1):
        reading = "".join(f"<p>{sentence_run()}</p>" for _ in range(rng.randint(paragraphs - 3, paragraphs + 3)))
        figures = []
        for kind in (["image"] if s % 2 else ["chart"]):
            figure_no += 1
            num = f"{number}.{figure_no}"
            body = M(f'<img src="{PICTURE}" alt="A landscape">') if kind == "image" else M(CHART)
            figures.append(Figure(kind, num, f"fig-{number}-{figure_no}", body, "A landscape" if kind == "image" else "Harvest",
                                  caption=M(f"{_words(rng, 12)}."), source=M(cite("perez2015", "Pérez 2015, 77")),
                                  title="" if kind == "image" else "Sugar harvest, million tonnes"))
        key_points = [PointView(M(_words(rng, 5)), [PointView(M(_words(rng, 9))) for _ in range(rng.randint(0, 3))])
                      for _ in range(rng.randint(2, 4))]
        secs.append(GuideSection(
            number=f"{number}.{s}", id=f"sec-{number}-{s}", title=M(_words(rng, rng.randint(2, 6))),
            plain_title="", reading=M(reading), key_points=key_points, figures=figures,
            questions=[M(_words(rng, 14) + "?") for _ in range(rng.randint(1, 3))]))
        secs[-1].plain_title = str(secs[-1].title)
    title = _words(rng, rng.randint(2, 5))
    return Chapter(
        number=number, id=f"lecture-{number}", title=M(title), plain_title=title,
        subtitle=M(_words(rng, 6)), summary=M(f"<p>{_words(rng, 50)}.</p>"),
        objectives=[M(_words(rng, 10)) for _ in range(3)], sections=secs, questions=[],
        further_reading=[bib(k) for k in rng.sample(CITED, 2)], footnotes=notes)


def make_guide(chapters: int = 3, seed: int = 1, paper: str = "A4", lang: str = "en",
               **chapter_options) -> GuideView:
    rng = random.Random(seed)
    chaps = [make_chapter(i, rng, f"lectures/lecture-{i}.yaml", **chapter_options)
             for i in range(1, chapters + 1)]
    chronology = [TimelineEntry(f"19{50 + i}", f"19{50 + i}", M(_words(rng, 12) + "."), "lecture-1" if i % 3 == 0 else None)
                  for i in range(12)]
    glossary = [GlossaryView(w.capitalize(), M(_words(rng, 20) + "."), "lecture-2" if i % 2 else None)
                for i, w in enumerate(sorted(set(WORDS))[:10])]
    return GuideView(
        title=M("Revolution and Memory in Cuba"), plain_title="Revolution and Memory in Cuba",
        subtitle=M("A Study Guide to Twentieth-Century Cuban History"), author="Ana Rodríguez, Ben Lee",
        institution="University of Somewhere", date="2026-11-24", date_label="24 November 2026",
        lang=lang, paper=paper, chapters=chaps, chronology=chronology, glossary=glossary,
        bibliography=[bib(k) for k in sorted(CITED)])
