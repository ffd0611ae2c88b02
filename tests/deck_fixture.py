"""Hand-built DeckView and IndexView objects covering every slide kind, for deck and index tests."""
from __future__ import annotations

import base64

from markupsafe import Markup

from lectern.course.model import Pos
from lectern.text.view import (BibEntry, DeckView, Figure, Footnote, IndexView, LectureLink, PointView,
    QuoteView, SlideView, TimelineEntry)

POS = Pos("lectures/revolution.yaml", 1, 1)
M = Markup

# A small picture as a data URI (an SVG, base64 so it passes as an <img> source).
_PICTURE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" viewBox="0 0 640 400">'
    '<rect width="640" height="400" fill="#d9e6ef"/>'
    '<circle cx="480" cy="110" r="60" fill="#f2c14e"/>'
    '<path d="M0 300 Q160 220 320 290 T640 270 V400 H0Z" fill="#3f7f5f"/>'
    '<path d="M0 340 Q200 300 380 340 T640 330 V400 H0Z" fill="#2c5a44"/></svg>'
)
PICTURE = "data:image/svg+xml;base64," + base64.b64encode(_PICTURE_SVG.encode()).decode()

CHART_SVG = M(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 360" role="img" '
    'aria-label="Sugar harvest, million tonnes">'
    '<g fill="#1f5f8b">'
    '<rect x="60" y="200" width="60" height="120"/><rect x="160" y="160" width="60" height="160"/>'
    '<rect x="260" y="60" width="60" height="260"/><rect x="360" y="130" width="60" height="190"/>'
    '<rect x="460" y="180" width="60" height="140"/></g>'
    '<g font-size="18" text-anchor="middle" fill="#222">'
    '<text x="90" y="345">1960</text><text x="190" y="345">1965</text>'
    '<text x="290" y="345">1970</text><text x="390" y="345">1975</text>'
    '<text x="490" y="345">1980</text></g>'
    '<line x1="40" y1="320" x2="560" y2="320" stroke="#222"/></svg>'
)


def cite(text: str, refs: int) -> str:
    return f'<span class="cite">(<a href="#/{refs}">{text}</a>)</span>'


def fn_call(slide: int, n: int) -> str:
    return f'<sup class="fn-call" data-fn="slide-{slide}-fn{n}">{n}</sup>'


REFERENCES = [
    ("kapcia2014", "Kapcia, Antoni. 2014. <em>Leadership in the Cuban Revolution: The Unseen Story</em>. London: Zed Books."),
    ("perez2015", "Pérez, Louis A., Jr. 2015. <em>Cuba: Between Reform and Revolution</em>. 5th ed. New York: Oxford University Press."),
    ("chomsky2011", "Chomsky, Aviva. 2011. <em>A History of the Cuban Revolution</em>. Chichester: Wiley-Blackwell."),
    ("guerra2012", "Guerra, Lillian. 2012. <em>Visions of Power in Cuba: Revolution, Redemption, and Resistance, 1959–1971</em>. Chapel Hill: University of North Carolina Press."),
    ("farber2006", "Farber, Samuel. 2006. <em>The Origins of the Cuban Revolution Reconsidered</em>. Chapel Hill: University of North Carolina Press."),
    ("sweig2002", "Sweig, Julia E. 2002. <em>Inside the Cuban Revolution: Fidel Castro and the Urban Underground</em>. Cambridge, MA: Harvard University Press."),
    ("bunck1994", "Bunck, Julie Marie. 1994. <em>Fidel Castro and the Quest for a Revolutionary Culture in Cuba</em>. University Park: Pennsylvania State University Press."),
    ("eckstein1994", "Eckstein, Susan Eva. 1994. <em>Back from the Future: Cuba under Castro</em>. Princeton, NJ: Princeton University Press."),
    ("mesa2000", "Mesa-Lago, Carmelo. 2000. <em>Market, Socialist, and Mixed Economies: Comparative Policy and Performance</em>. Baltimore: Johns Hopkins University Press."),
    ("hennessy1993", "Hennessy, Alistair. 1993. “Cuba, Castro and the Hispanic Caribbean.” <em>Journal of Latin American Studies</em> 25 (2): 361–78."),
    ("thomas1971", "Thomas, Hugh. 1971. <em>Cuba: The Pursuit of Freedom</em>. London: Eyre &amp; Spottiswoode."),
    ("ibarra1998", "Ibarra, Jorge. 1998. <em>Prologue to Revolution: Cuba, 1898–1958</em>. Boulder, CO: Lynne Rienner."),
    ("whitney2001", "Whitney, Robert. 2001. <em>State and Revolution in Cuba: Mass Mobilization and Political Change, 1920–1940</em>. Chapel Hill: University of North Carolina Press."),
    ("zeuske2004", "Zeuske, Michael. 2004. <em>Insel der Extreme: Kuba im 20. Jahrhundert</em>. Zürich: Rotpunktverlag."),
]


def make_deck(references_split: bool = True) -> DeckView:
    """A nine-kind lecture deck: title, section, content of every layout, questions, references."""
    R = 15  # first references slide
    slides: list[SlideView] = []

    def add(**kw) -> SlideView:
        s = SlideView(number=len(slides) + 1, id=f"slide-{len(slides) + 1}", **kw)
        slides.append(s)
        return s

    add(kind="title", title=M("The Cuban Revolution, 1953–1959"),
        subtitle=M("From the Moncada barracks to Havana"),
        meta={"course": "Cuba: Myths and Realities", "lecture": "Lecture 1", "author": "Dr Ana Ortega",
              "date": "24 November 2026", "institution": "University of Somewhere"},
        notes=M("<p>Welcome. Set out what the lecture covers and what it leaves aside.</p>"))
    sec = M("Origins")
    add(kind="section", title=sec, subtitle=M("Part 1"), section=sec)
    add(kind="content", title=M("Why 1953?"), section=sec,
        points=[
            PointView(M("Batista’s coup of March 1952 closed the electoral road" + fn_call(3, 1))),
            PointView(M("A generation formed in the Ortodoxo party"), children=[
                PointView(M("Chibás’s radio campaigns against corruption")),
                PointView(M("His suicide on air in 1951" + fn_call(3, 2))),
            ]),
            PointView(M("Moncada as a failed assault and a political success "
                        + cite("Sweig 2002, 12", R))),
        ],
        footnotes=[
            Footnote(1, "slide-3-fn1", M("Fulgencio Batista had ruled before, from 1940 to 1944."), POS),
            Footnote(2, "slide-3-fn2", M("Eduardo Chibás shot himself at the end of a broadcast in August 1951."), POS),
        ],
        notes=M("<p>Stress that the coup, not poverty alone, made armed action thinkable.</p>"
                "<ul><li>Ask who had heard of Chibás.</li></ul>"))
    add(kind="content", title=M("The road to the Sierra"), section=sec, steps=3,
        points=[
            PointView(M("Moncada, 26 July 1953: the assault fails"), step=1),
            PointView(M("Prison, amnesty and exile in Mexico"), step=2, children=[
                PointView(M("“History will absolve me”" + fn_call(4, 1)), step=2),
            ]),
            PointView(M("The <em>Granma</em> lands, December 1956"), step=3),
        ],
        footnotes=[Footnote(1, "slide-4-fn1", M("Castro’s defence speech, later rewritten as a pamphlet."), POS)],
        notes=M("<p>Three steps: pause after each.</p>"))
    add(kind="content", title=M("A revolution remembered"), section=sec,
        quote=QuoteView(M("The revolution was not made in the mountains alone; the cities paid its price in blood and silence."),
                        M(cite("Sweig 2002, 9", R))),
        notes=M("<p>Read the quotation slowly.</p>"))
    add(kind="content", title=M("The Sierra Maestra"), section=sec,
        figure=Figure(kind="image", number="1.1", id="fig-1-1",
                      body=M(f'<img src="{PICTURE}" alt="Green hills under a yellow sun">'),
                      alt="Green hills under a yellow sun",
                      caption=M("The mountains of Oriente province, where the rebel army grew.")))
    sec2 = M("Power")
    add(kind="section", title=sec2, subtitle=M("Part 2"), section=sec2)
    add(kind="content", title=M("Sugar after 1959"), section=sec2,
        figure=Figure(kind="chart", number="1.2", id="fig-1-2", body=CHART_SVG,
                      alt="Bar chart of sugar harvests", title="Sugar harvest, million tonnes",
                      caption=M("The ten-million-ton harvest of 1970 fell short."),
                      source=M(cite("Pérez 2015, 260", R))))
    add(kind="content", title=M("Events, 1953–1959"), section=sec2,
        timeline=[
            TimelineEntry("1953-07-26", "26 July 1953", M("Assault on the Moncada barracks")),
            TimelineEntry("1955-05", "May 1955", M("Amnesty; Castro leaves for Mexico")),
            TimelineEntry("1956-12-02", "2 December 1956", M("The <em>Granma</em> lands")),
            TimelineEntry("1958-12-31", "31 December 1958", M("Batista flees")),
            TimelineEntry("1959-01-08", "8 January 1959", M("Castro enters Havana")),
        ])
    add(kind="content", title=M("Reform and rupture"), section=sec2,
        points=[
            PointView(M("Agrarian reform law, May 1959 " + cite("Chomsky 2011, 45", R))),
            PointView(M("Nationalisations of 1960")),
            PointView(M("Break with Washington, January 1961" + fn_call(10, 1))),
        ],
        figure=Figure(kind="image", number="1.3", id="fig-1-3",
                      body=M(f'<img src="{PICTURE}" alt="A landscape">'), alt="A landscape",
                      caption=M("Land was the first question.")),
        footnotes=[Footnote(1, "slide-10-fn1", M("The United States broke off relations on 3 January 1961."), POS)])
    add(kind="content", title=M("A dense slide: what the historiography argues"), section=sec2,
        points=[
            PointView(M("Orthodox accounts centre the guerrilla and its leader, reading the whole "
                        "insurrection backwards from the victory of January 1959 "
                        + cite("Thomas 1971", R))),
            PointView(M("Revisionists restore the urban underground, the students of the Directorio "
                        "and the strikes, without whom the Sierra would have starved "
                        + cite("Sweig 2002", R))),
            PointView(M("Social historians ask who joined, and why: peasants, workers, the middle "
                        "class, women, Afro-Cubans"), children=[
                PointView(M("Class analysis: Farber’s reconsideration of the origins")),
                PointView(M("Culture and myth: Guerra on the visions of power")),
                PointView(M("Economy: Mesa-Lago and Eckstein on performance")),
            ]),
            PointView(M("Each school writes a different beginning and a different ending")),
            PointView(M("None of them can do without the others’ sources")),
        ])
    add(kind="content", title=M("Exile and return"), section=sec2,
        points=[PointView(M("The Granma sails from Tuxpan with 82 men")),
                PointView(M("Twelve or so regroup in the Sierra"))],
        timeline=[
            TimelineEntry("1955-07-07", "7 July 1955", M("Castro reaches Mexico")),
            TimelineEntry("1956-11-25", "25 November 1956", M("The <em>Granma</em> sails")),
            TimelineEntry("1956-12-05", "5 December 1956", M("Alegría de Pío: the rebels scattered")),
        ])
    add(kind="content", title=M("Words and a place"), section=sec2,
        quote=QuoteView(M("Condemn me. It does not matter. History will absolve me."),
                        M("Fidel Castro, 16 October 1953")),
        figure=Figure(kind="image", number="1.4", id="fig-1-4",
                      body=M(f'<img src="{PICTURE}" alt="Hills where the rebels hid">'),
                      alt="Hills where the rebels hid", caption=M("Oriente, where the trial took place.")))
    add(kind="questions", title=M("Questions"),
        questions=[M("Was the revolution won in the mountains or in the cities?"),
                   M("What did the Moncada assault achieve, if it failed?"),
                   M("How far was the break with the United States inevitable?")])
    refs = [BibEntry(k, f"ref-{k}", M(h)) for k, h in REFERENCES]
    if references_split:
        add(kind="references", title=M("References"), references=refs[:8])
        add(kind="references", title=M("References (continued)"), references=refs[8:])
    else:
        add(kind="references", title=M("References"), references=refs)
    return DeckView(
        lecture_id="revolution", title=M("The Cuban Revolution, 1953–1959"),
        plain_title="The Cuban Revolution, 1953–1959", course_title="Cuba: Myths and Realities",
        author="Dr Ana Ortega", date_label="24 November 2026", lang="en", duration=50,
        slides=slides, references_slide=R,
    )


def make_index() -> IndexView:
    return IndexView(
        title=M("Cuba: Myths and Realities"), plain_title="Cuba: Myths and Realities",
        subtitle=M("A history course in ten lectures"), author="Dr Ana Ortega",
        institution="University of Somewhere", date_label="24 November 2026", lang="en",
        lectures=[
            LectureLink("revolution", 1, M("The Cuban Revolution, 1953–1959"),
                        M("From the Moncada barracks to Havana"), 50, 14,
                        "slides/revolution.html", "handouts/revolution.pdf", None, None),
            LectureLink("sugar", 2, M("Sugar and the economy"), None, None, 22,
                        "slides/sugar.html", "handouts/sugar.pdf",
                        "handouts/sugar-notes.pdf", "slides/sugar.pdf"),
            LectureLink("exile", 3, M("Exile &amp; Miami"), None, 45, 18, None, None, None, None),
        ],
        guide="study-guide.pdf",
    )


_WORDS = ("revolution harvest sugar island reform party province army congress exile market "
          "peasant worker student union railway tobacco coast mountain archive memory").split()


def _sentence(i: int, n: int) -> str:
    words = [_WORDS[(i * 7 + k * 3) % len(_WORDS)] for k in range(n)]
    return " ".join(words).capitalize()


def make_synthetic_deck(n_slides: int, images: bool = False) -> DeckView:
    """A lecture of about `n_slides` slides with every kind, for size and speed measurements.

    Without `images` the figures are small inline SVG charts only (the size budget excludes images).
    """
    R = n_slides  # references last
    slides: list[SlideView] = []

    def add(**kw) -> None:
        slides.append(SlideView(number=len(slides) + 1, id=f"slide-{len(slides) + 1}", **kw))

    add(kind="title", title=M("A synthetic lecture"), subtitle=M("for measuring decks"),
        meta={"course": "Benchmark course", "lecture": "Lecture 1", "author": "A. Author", "date": "1 March 2026"})
    section = None
    i = 0
    while len(slides) < n_slides - 2:
        i += 1
        if i % 8 == 1:
            section = M(f"Section {i // 8 + 1}: {_sentence(i, 3)}")
            add(kind="section", title=section, subtitle=M(f"Part {i // 8 + 1}"), section=section)
            continue
        n = len(slides) + 1
        kind = i % 5
        kw: dict = {}
        if kind in (0, 1, 2):
            kw["points"] = [PointView(M(_sentence(i + k, 8) + (fn_call(n, 1) if k == 0 else "")
                                        + (" " + cite(f"Author{k} 2001, {k + 10}", R) if k == 1 else "")),
                                      children=[PointView(M(_sentence(i + k + 1, 5)))] if k == 2 else [],
                                      step=(k + 1) if kind == 1 else None)
                            for k in range(4)]
            kw["steps"] = 4 if kind == 1 else 0
            kw["footnotes"] = [Footnote(1, f"slide-{n}-fn1", M(_sentence(i, 12) + "."), POS)]
        if kind == 3:
            kw["quote"] = QuoteView(M(_sentence(i, 24) + "."), M(cite("Author 1999, 4", R)))
        if kind == 4:
            body = M(f'<img src="{PICTURE}" alt="a picture">') if images else CHART_SVG
            kw["figure"] = Figure(kind="image" if images else "chart", number=f"1.{i}", id=f"fig-1-{i}",
                                  body=body, alt="a figure", caption=M(_sentence(i, 10) + "."))
        add(kind="content", title=M(_sentence(i, 4)), section=section,
            notes=M("<p>" + _sentence(i, 30) + ".</p>"), **kw)
    add(kind="questions", title=M("Questions"), questions=[M(_sentence(k, 12) + "?") for k in range(3)])
    add(kind="references", title=M("References"),
        references=[BibEntry(k, f"ref-{k}", M(h)) for k, h in REFERENCES[:8]])
    return DeckView(lecture_id="synthetic", title=M("A synthetic lecture"), plain_title="A synthetic lecture",
                    course_title="Benchmark course", author="A. Author", date_label="1 March 2026", lang="en",
                    duration=60, slides=slides, references_slide=len(slides))
