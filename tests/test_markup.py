"""Markdown extensions: footnotes, Pandoc citations, typography by language, raw HTML as text."""
from __future__ import annotations

import pytest

from lectern.text.markup import Markup, RenderContext
from lectern.course.model import Md, Pos


def parse(src: str, lang: str = "en", inline: bool = True):
    markup = Markup(lang)
    md = Md(src, Pos("x.yaml", 3, 5))
    parsed = markup.parse(md, inline=inline)
    return markup, md, parsed


def render(src: str, lang: str = "en", inline: bool = True, definitions=None, cites=None):
    markup, md, parsed = parse(src, lang, inline)
    notes = []

    def on_footnote(html, pos):
        notes.append((html, pos))
        return f"<sup>{len(notes)}</sup>"

    ctx = RenderContext(cite_html=cites or {c.id: f"({c.id})" for c in parsed.clusters}, on_footnote=on_footnote,
                        definitions=definitions or {}, markup=markup)
    return markup.render(md, ctx), notes, parsed


def items(parsed):
    return [[(i.prefix, i.key, i.suffix, i.suppress_author) for i in c.items] for c in parsed.clusters]


def test_bracketed_citations_in_pandoc_syntax():
    _, _, parsed = parse("A [@key] b [@key, p. 145] c [see @a, ch. 2; @b] d [-@key].")
    assert items(parsed) == [
        [("", "key", "", False)],
        [("", "key", "p. 145", False)],
        [("see", "a", "ch. 2", False), ("", "b", "", False)],
        [("", "key", "", True)],
    ]
    assert [c.in_text for c in parsed.clusters] == [False] * 4


def test_in_text_citation_and_not_emails_or_links():
    html, _, parsed = render("As @kapcia2014 argues; mail me@example.org; [a link](https://x.org/@y).")
    assert items(parsed) == [[("", "kapcia2014", "", False)]]
    assert parsed.clusters[0].in_text
    assert "me@example.org" in html
    assert '<a href="https://x.org/@y" rel="noopener">a link</a>' in html


def test_citation_positions_point_at_the_key():
    _, _, parsed = parse("Text [@a] and @b")
    assert [(i.pos.line, i.pos.column) for c in parsed.clusters for i in c.items] == [(3, 12), (3, 20)]


def test_block_scalar_positions_count_lines():
    markup = Markup("en")
    md = Md("First line.\nSecond [@late].\n", Pos("x.yaml", 10, 12), block=True, indent=6)
    parsed = markup.parse(md, inline=False)
    pos = parsed.clusters[0].items[0].pos
    assert (pos.line, pos.column) == (12, 15)


def test_inline_and_labelled_footnotes_render_through_the_context():
    definition = Md("Defined *elsewhere*.", Pos("x.yaml", 20, 8))
    html, notes, parsed = render("One^[An *inline* note.] two[^lab].", definitions={"lab": definition})
    assert html == "One<sup>1</sup> two<sup>2</sup>."
    assert "class=\"cite\"" not in html
    assert [n[0] for n in notes] == ["An <em>inline</em> note.", "Defined <em>elsewhere</em>."]
    assert parsed.labels[0][0] == "lab"
    assert parsed.inline_notes == 1


def test_footnote_containing_a_citation():
    html, notes, parsed = render("Claim.^[See [@cushion2016, p. 145].]")
    assert len(parsed.clusters) == 1
    assert notes[0][0] == f'See <span class="cite">({parsed.clusters[0].id})</span>.'


def test_raw_html_is_shown_as_text_and_javascript_links_are_not_links():
    html, _, _ = render('<script>alert(1)</script> <b onclick="x">b</b> [click](javascript:alert(1))')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b " not in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize("lang, expected", [
    ("en-GB", "“quoted” and ‘single’ – en — em"),
    ("de", "„quoted“ and ‚single‘ – en — em"),
    ("fr", "«\u202fquoted\u202f» and “single” – en — em"),
])
def test_typographic_quotes_and_dashes_by_language(lang, expected):
    html, _, _ = render("\"quoted\" and 'single' -- en --- em", lang=lang)
    assert html == expected


def test_block_markdown_paragraphs_and_lists():
    html, _, _ = render("Para one.\n\n- a\n- b\n", inline=False)
    assert html == "<p>Para one.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"


def test_bracketed_text_without_keys_stays_text():
    html, _, parsed = render("[not a citation] and [also @ not]")
    assert parsed.clusters == []
    assert html == "[not a citation] and [also @ not]"


def test_note_style_citations_become_footnotes_but_not_inside_notes():
    markup, md, parsed = parse("Claim [@a].^[Note citing [@b].]")
    calls = []

    def on_footnote(html, pos):
        calls.append(html)
        return f"<sup>{len(calls)}</sup>"

    ctx = RenderContext(cite_html={c.id: c.items[0].key.upper() for c in parsed.clusters}, on_footnote=on_footnote,
                        markup=markup, note_clusters={c.id for c in parsed.clusters})
    assert markup.render(md, ctx) == "Claim <sup>1</sup>.<sup>2</sup>"
    assert calls == ['<span class="cite">A</span>', 'Note citing <span class="cite">B</span>.']


def test_typography_inside_inline_footnotes():
    html, notes, _ = render("Text.^[The workers' \"story\" -- told later.]", lang="en-GB")
    assert notes[0][0] == "The workers’ “story” – told later."
