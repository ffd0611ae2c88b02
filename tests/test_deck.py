"""The deck renderer without a browser: golden markup, layouts, type density, references, size, theme."""
from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from deck_fixture import REFERENCES, make_deck, make_synthetic_deck
from helpers import embedded_face_name
from lectern.theme import fonts
from lectern.deck.deck import JS_MODULES, density_of, footnote_steps, layout_of, paginate, render_deck
from lectern.text.references import split_references
from lectern.theme.templates import make_env
from lectern.text.view import BibEntry, PointView, SlideView
from regen_golden import GOLDEN, golden_outputs


@pytest.fixture(scope="module")
def page() -> str:
    return render_deck(make_deck(), make_env())


def test_golden_markup_unchanged():
    for name, text in golden_outputs().items():
        expected = (GOLDEN / name).read_text(encoding="utf-8")
        assert text == expected, f"{name} changed: if on purpose, run `python -m tests.regen_golden`"


def test_self_contained(page):
    assert not re.search(r'<(script|img|link|iframe|video|audio|source)\b[^>]*\b(src|href)="(?!data:|#)', page)
    assert not re.search(r"url\((?!data:|#)", page)
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    for name in JS_MODULES:  # every runtime module inlined, each in its own scope (media's: in decks with media)
        assert (f"/* lectern: {name}.js */" in page) == (name != "media")


def test_every_slide_kind_and_footnotes_on_their_slide(page):
    for kind in ("title", "section", "content", "questions", "references"):
        assert f'data-kind="{kind}"' in page
    three = page.split('id="slide-3"')[1].split("</section>")[0]
    assert 'data-fn="slide-3-fn1"' in three and 'id="slide-3-fn1"' in three and 'id="slide-3-fn2"' in three
    assert three.index("Fulgencio Batista had ruled") > three.index("political success")
    assert '<a href="#/15">Sweig 2002, 12</a>' in three
    assert 'Stress that the coup' in three.split('class="notes"')[1]  # notes only in the notes aside


def test_layouts():
    deck = make_deck()
    by_title = {str(s.title): layout_of(s) for s in deck.slides}
    assert by_title["Why 1953?"] == "text"
    assert by_title["A revolution remembered"] == "quote"
    assert by_title["The Sierra Maestra"] == "media"
    assert by_title["Sugar after 1959"] == "media"
    assert by_title["Events, 1953–1959"] == "timeline"
    assert by_title["Reform and rupture"] == "split"


def test_density_grows_with_text():
    short = SlideView(1, "content", "s", Markup("T"), points=[PointView(Markup("A short point"))])
    long = SlideView(1, "content", "s", Markup("T"), points=[PointView(Markup("word " * 40)) for _ in range(8)])
    assert density_of(short, "text") == 0
    assert density_of(long, "text") == 5
    medium = SlideView(1, "content", "s", Markup("T"), points=[PointView(Markup("word " * 30)) for _ in range(6)])
    assert 0 < density_of(medium, "text") < 5
    # the same text beside a picture needs smaller type than across the slide
    assert density_of(medium, "split") > density_of(medium, "text")


def test_references_split_in_order_and_never_too_long():
    entries = [BibEntry(k, f"ref-{k}", Markup(h)) for k, h in REFERENCES * 3]
    pages = split_references(entries)
    assert len(pages) > 1 and all(pages)
    assert [e for p in pages for e in p] == entries
    deck = make_deck(references_split=False)
    slides = paginate(deck)
    refs = [s for s in slides if s.kind == "references"]
    assert len(refs) >= 2 and sum(len(s.references) for s in refs) == len(REFERENCES)
    assert all(density_of(s, "references") <= 2 for s in refs)


def test_footnote_appears_with_the_step_that_calls_it():
    deck = make_deck()
    assert footnote_steps(deck.slides[3]) == {"slide-4-fn1": 2}
    assert footnote_steps(deck.slides[2]) == {}  # not a build slide: notes always shown


def test_text_is_escaped_where_plain():
    deck = make_deck()
    deck.plain_title = "Tom & <Jerry>"
    out = render_deck(deck, make_env(), embed_fonts=False)
    assert "<title>Tom &amp; &lt;Jerry&gt; ·" in out
    assert "<Jerry>" not in out


@pytest.mark.skipif(not fonts.fonts_available(), reason="fonts-linuxlibertine not installed")
def test_fonts_embedded_and_subset(page):
    faces = re.findall(r"@font-face\{[^}]*\}", page)
    assert len(faces) == 3
    assert all("data:font/woff2;base64," in f for f in faces)
    assert sum(len(f) for f in faces) < 90_000  # subset: the full faces are ten times larger


@pytest.mark.skipif(not fonts.fonts_available(), reason="fonts-linuxlibertine not installed")
def test_a_font_replaced_under_its_name_is_the_next_decks_font(tmp_path, monkeypatch):
    """serve keeps its process: a course font swapped while it runs is in the next deck."""
    import os

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "fonts").mkdir()
    mine = tmp_path / "fonts" / "LinBiolinum_R.otf"

    def regular_face() -> str:
        return embedded_face_name(fonts.font_face_css("Havana", template_dirs=[tmp_path]))

    mine.write_bytes((fonts.FONT_DIRS[0] / "LinLibertine_R.otf").read_bytes())
    os.utime(mine, ns=(1_000_000_000, 1_000_000_000))
    first = regular_face()
    mine.write_bytes((fonts.FONT_DIRS[0] / "LinLibertine_RI.otf").read_bytes())
    os.utime(mine, ns=(2_000_000_000, 2_000_000_000))
    assert (first, regular_face()) == ("Linux Libertine O Regular", "Linux Libertine O Italic")


def test_thirty_slide_deck_within_budget():
    deck = make_synthetic_deck(30)
    out = render_deck(deck, make_env())
    assert len(deck.slides) == 30
    assert len(out.encode("utf-8")) < 156_000  # 150 kB until the phone's reading view (reading.js/.css, 6 kB)


def test_course_templates_restyle_the_deck(tmp_path):
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "custom.css").write_text(":root { --accent: #006400; }")
    (tmp_path / "deck" / "deck.html.j2").write_text(
        '{% extends "deck/layout.html.j2" %}{% block theme %}:root{--paper:#fff}{% endblock %}')
    out = render_deck(make_deck(), make_env(tmp_path), embed_fonts=False)
    assert ":root{--accent: #006400}" in out and ":root{--paper:#fff}" in out
    assert out.index("--accent: #006400") > out.index("--accent: #1d4e7a")  # after the default


def _luminance(hex_: str) -> float:
    rgb = [int(hex_[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_default_theme_meets_wcag_aa():
    css = (make_env().loader.get_source(make_env(), "deck/deck.css")[0])
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    for fg, bg in [("ink", "paper"), ("muted", "paper"), ("accent", "paper"), ("accent-2", "paper"),
                   ("accent-ink", "accent"), ("ink", "tint"), ("muted", "tint")]:
        assert _contrast(var[fg], var[bg]) >= 4.5, (fg, bg)


def test_controls_speak_the_course_language():
    deck = make_deck()
    deck.lang = "es-CU"
    out = render_deck(deck, make_env(), embed_fonts=False)
    assert '<html lang="es-CU"' in out
    assert '<h2 id="help-title">Teclas</h2>' in out
    assert '"next_step": "Paso siguiente"' in out  # for the runtime (speaker view)
    assert 'aria-label="Diapositiva 3 de 16"' in out
