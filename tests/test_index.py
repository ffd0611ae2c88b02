"""The course page: every lecture with its duration and links, the study guide, readable on a phone."""
from __future__ import annotations

import re

import pytest

from deck_browser import ARGS, CHROMIUM, Watch, need_chromium
from deck_fixture import make_index
from lectern.deck.index import render_index
from lectern.theme.templates import make_env


@pytest.fixture(scope="module")
def page_html() -> str:
    return render_index(make_index(), make_env())


def test_lists_every_lecture_with_its_outputs(page_html):
    assert '<html lang="en">' in page_html
    assert "<title>Cuba: Myths and Realities</title>" in page_html
    assert page_html.count('class="lecture"') == 3
    assert '<a href="slides/revolution.html">The Cuban Revolution, 1953–1959</a>' in page_html
    assert "50 minutes" in page_html and "45 minutes" in page_html
    assert 'href="handouts/revolution.pdf"' in page_html
    assert 'href="handouts/sugar-notes.pdf"' in page_html and 'href="slides/sugar.pdf"' in page_html
    assert 'href="study-guide.pdf"' in page_html
    # a lecture whose deck was not built is listed without a dead link
    exile = page_html.split('id="lecture-exile"')[1].split("</li>\n</ol>")[0]
    assert "<a " not in exile.split("</h3>")[0] and "Exile &amp; Miami" in exile
    assert not re.search(r'(src|href)="https?:', page_html)


def test_no_guide_link_when_not_built():
    index = make_index()
    index.guide = None
    assert "study-guide.pdf" not in render_index(index, make_env(), embed_fonts=False)


@pytest.mark.browser
def test_readable_on_a_phone(tmp_path, page_html):
    need_chromium()
    from playwright.sync_api import sync_playwright

    path = tmp_path / "index.html"
    path.write_text(page_html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        watch = Watch()
        watch.attach(page)
        page.goto(path.as_uri())
        no_sideways = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        body_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.lecture-subtitle')).fontSize)")
        target = page.evaluate("document.querySelector('.links a').getBoundingClientRect().height")
        browser.close()
    assert no_sideways
    assert body_px >= 16
    assert target >= 44  # touch targets at least 44 px high
    assert watch.errors == [] and watch.foreign() == []


def test_course_templates_restyle_the_page(tmp_path):
    (tmp_path / "index.html.j2").write_text(
        '{% extends "index-layout.html.j2" %}{% block styles %}:root{--accent:#006400}{% endblock %}'
        '{% block footer %}<footer>Our own footer</footer>{% endblock %}')
    out = render_index(make_index(), make_env(tmp_path), embed_fonts=False)
    assert ":root{--accent:#006400}" in out and "<footer>Our own footer</footer>" in out
    assert "The slides work offline" not in out and 'href="slides/revolution.html"' in out
