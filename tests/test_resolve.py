"""Resolve: slides generated and numbered, footnotes numbered per slide and per chapter, figures per chapter."""
from __future__ import annotations

import pytest

from helpers import copy_fixture
from lectern.pipeline import check
from lectern.text.resolve import resolve


@pytest.fixture(scope="module")
def resolved(tmp_path_factory):
    course = copy_fixture("mini", tmp_path_factory.mktemp("resolve"))
    lecture = course / "lectures" / "intro.yaml"
    lecture.write_text(lecture.read_text("utf-8").replace(
        "title: The first lecture", "title: The first lecture^[A note in a title.]"), "utf-8")
    checked = check(course)
    return resolve(checked.course, checked.markup, checked.marks)


def test_deck_slides_generated_in_order(resolved):
    deck = resolved.decks["intro"]
    assert [s.kind for s in deck.slides] == ["title", "section", "content", "content", "content", "section",
                                            "content", "content", "questions", "references"]
    assert [s.number for s in deck.slides] == list(range(1, 11))
    assert deck.references_slide == 10
    assert deck.slides[1].subtitle == "Part 1" and deck.slides[5].subtitle == "Part 2"


def test_citations_on_slides_link_to_the_references_slide(resolved):
    quote = resolved.decks["intro"].slides[4].quote
    assert quote.source == '<span class="cite"><a href="#/10">Cushion 2016, 145</a></span>'  # bare after the dash
    refs = resolved.decks["intro"].slides[9].references
    assert [r.key for r in refs] == ["cushion2016", "franklin2016", "gonzalez2016"]  # all the lecture cites


def test_footnotes_numbered_per_slide_and_per_chapter(resolved):
    deck = resolved.decks["intro"]
    assert [(f.number, f.id) for f in deck.slides[0].footnotes] == [(1, "slide-1-fn1")]
    assert [(f.number, f.id, str(f.html)) for f in deck.slides[2].footnotes] == [(1, "slide-3-fn1", "Told by the victors.")]
    chapter = resolved.guide.chapters[0]
    assert [f.number for f in chapter.footnotes] == list(range(1, len(chapter.footnotes) + 1))
    assert chapter.footnotes[0].id == "fn-1-1" and str(chapter.footnotes[0].html) == "A note in a title."
    assert resolved.guide.chapters[1].footnotes[0].id == "fn-2-1"  # numbering restarts per chapter
    note = chapter.footnotes[1]
    assert note.pos.path.endswith("intro.yaml") and note.pos.line == 14


def test_plain_titles_leave_footnotes_out(resolved):
    assert resolved.decks["intro"].plain_title == "The first lecture"
    assert resolved.guide.chapters[0].plain_title == "The first lecture"
    assert "fn-call" in resolved.decks["intro"].slides[0].title


def test_figures_numbered_per_chapter_on_slides_and_in_the_guide(resolved):
    deck_figures = [s.figure.number for d in resolved.decks.values() for s in d.slides if s.figure]
    assert deck_figures == ["1.1", "2.1"]
    guide_figures = [f.number for c in resolved.guide.chapters for s in c.sections for f in s.figures]
    assert guide_figures == ["1.1", "2.1"]
    figure = resolved.guide.chapters[0].sections[1].figures[0]
    assert figure.kind == "chart" and figure.body.startswith("<svg") and figure.title == "Real wages and pensions"
    assert figure.alt.startswith("Line chart")


def test_guide_bibliography_is_every_cited_work_and_further_reading(resolved):
    assert [e.key for e in resolved.guide.bibliography] == ["cushion2016", "franklin2016", "gonzalez2016"]
    assert [e.key for e in resolved.guide.chapters[0].further_reading] == ["franklin2016"]


def test_timeline_span_and_chronology(resolved):
    span = resolved.decks["intro"].slides[7].timeline
    assert [e.date for e in span] == ["1953", "1956-12-03", "1959-01"]  # from: 1950, to: 1960
    assert [e.label for e in resolved.guide.chronology] == ["1953", "3 December 1956", "January 1959"]


def test_course_page_links_survive_odd_file_names(tmp_path):
    course = copy_fixture("mini", tmp_path)
    (course / "lectures" / "second.yaml").rename(course / "lectures" / "a#b 2.yaml")
    text = (course / "course.yaml").read_text("utf-8").replace("lectures/second.yaml", "'lectures/a#b 2.yaml'")
    (course / "course.yaml").write_text(text, "utf-8")
    timeline = (course / "timeline.yaml").read_text("utf-8").replace("lecture: second", "lecture: 'a#b 2'")
    (course / "timeline.yaml").write_text(timeline, "utf-8")
    checked = check(course)
    link = resolve(checked.course, checked.markup, checked.marks).index.lectures[1]
    assert (link.id, link.deck, link.handout) == ("a#b 2", "slides/a%23b%202.html", "handouts/a%23b%202.pdf")
