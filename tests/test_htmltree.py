"""render.htmltree: Lectern's print documents parse to exactly the tree WeasyPrint's own parser
(tinyhtml5) builds, quickly; anything needing HTML5's repairs goes to tinyhtml5."""
from __future__ import annotations

import io
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tinyhtml5

from lectern.pipeline import check
from lectern.print import guide as guide_render
from lectern.print import handout
from lectern.pdf import htmltree
from lectern.theme.templates import make_env, theme_dirs
from lectern.text.resolve import resolve

REPO = Path(__file__).resolve().parent.parent


def html5(html: str) -> ET.Element:
    return tinyhtml5.parse(io.StringIO(html), namespace_html_elements=False)  # as WeasyPrint calls it


def difference(a: ET.Element, b: ET.Element, path: str = "html") -> str | None:
    """Where two trees first differ (tag, attributes, text, tail, children), or None."""
    for what in ("tag", "attrib", "text", "tail"):
        if getattr(a, what) != getattr(b, what):
            return f"{path}: {what} {getattr(a, what)!r} != {getattr(b, what)!r}"
    if len(a) != len(b):
        return f"{path}: {len(a)} children != {len(b)}"
    for index, (x, y) in enumerate(zip(a, b)):
        found = difference(x, y, f"{path}/{x.tag}[{index}]")
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def documents() -> list[tuple[str, str]]:
    """Every kind of print document the bundled course makes: each part of the guide, and the
    handout, speaker notes and slides PDF of two lectures."""
    checked = check(REPO / "content")
    resolved = resolve(checked.course, checked.markup, checked.marks)
    env = make_env(checked.course.templates)
    roots = [checked.course.root, *theme_dirs(checked.course.templates)]
    renderer = guide_render.GuideRenderer(resolved.guide, env, roots)
    found = [("front", renderer.html("front", folios={})),
             ("folios", renderer.html("folios", folio_pages=["opener", "page", "blank"]))]
    for chapter in resolved.guide.chapters:  # as laid out: blocks numbered, note calls linked
        html = renderer.chapter_html(chapter)
        found.append((chapter.id, guide_render.number_blocks(guide_render.link_note_calls(html))))
    found += [(a.id, renderer.appendix_html(a)) for a in renderer.appendices]
    for lecture, deck in list(resolved.decks.items())[:2]:
        for kind in handout.KINDS:
            found.append((f"{kind} {lecture}", handout.print_html(kind, deck, env, roots, checked.course.paper)))
    return found


def test_every_print_document_parses_to_the_html5_tree_without_tinyhtml5(documents):
    assert len(documents) > 10
    charts = 0
    for name, html in documents:
        fast = htmltree.fast_tree(html)
        assert fast is not None, f"{name} fell back to tinyhtml5: the speed-up is lost"
        assert difference(fast, html5(html)) is None, (name, difference(fast, html5(html)))
        charts += sum(1 for e in fast.iter() if e.tag == f"{{{htmltree.SVG}}}svg")
    assert charts, "the bundled course draws charts: their SVG is compared too"


def test_svg_names_whitespace_and_pre_as_html5():
    html = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>T &amp; x</title>\n"
            "</head>\n<body class=\"a\">\n<p>x<br>y &lt;z&gt; &#8212; &eacute;<svg viewBox=\"0 0 10 10\" "
            "xmlns=\"http://www.w3.org/2000/svg\"><linearGradient id=\"g\" gradientUnits=\"userSpaceOnUse\"/>"
            "<rect x=\"1\" width=\"2\"/><text xml:space=\"preserve\">t</text><a xlink:href=\"#x\">l</a></svg></p>\n"
            "<!-- a comment -->\n<table><tbody><tr><td>1</td></tr></tbody></table>\n<pre>\nline</pre>\n"
            "<input disabled>\n</body>\n</html>\n")
    fast = htmltree.fast_tree(html)
    assert fast is not None
    assert difference(fast, html5(html)) is None, difference(fast, html5(html))
    svg = fast.find(".//{http://www.w3.org/2000/svg}svg")
    assert svg.get("viewBox") == "0 0 10 10"
    assert svg.find("{http://www.w3.org/2000/svg}linearGradient").get("gradientUnits") == "userSpaceOnUse"


HEAD = "<!DOCTYPE html><html><head><title>t</title></head><body>"


@pytest.mark.parametrize("body", [
    "<p>a<div>a block closes the paragraph</div></p>",
    "<p>unclosed paragraph",
    "<ul><li>one<li>two</ul>",
    "<table><tr><td>no tbody</td></tr></table>",
    "<table><tbody><tr>text in a row<td>1</td></tr></tbody></table>",
    "<p>a bare & ampersand</p>",
    "<a href='?a=1&copy=2'>legacy entity</a>",
    "<div/>self-closing div",
    "<p><b>mis<i>nested</b></i></p>",
    "<h1>a<h2>b</h2></h1>",
    "<svg><foreignObject><p>html in svg</p></foreignObject></svg>",
    "<svg><rect/><p>breaks out of svg</p></svg>",
    "<select><option>a<option>b</select>",
    "<a href='#'>outer <a href='#'>inner</a></a>",
    "<title>&lt;<!-- a comment in a title is text --></title>",
])
def test_documents_needing_html5_repairs_go_to_tinyhtml5(body):
    html = HEAD + body + "</body></html>"
    assert htmltree.fast_tree(html) is None
    assert difference(htmltree.parse(html), html5(html)) is None


def test_a_document_without_its_head_or_doctype_goes_to_tinyhtml5():
    for html in ("<html><head></head><body><p>no doctype</p></body></html>", "<!DOCTYPE html><p>bare</p>",
                 HEAD + "<p>after</p></body><p>text after the body</p></html>"):
        assert htmltree.fast_tree(html) is None
        assert difference(htmltree.parse(html), html5(html)) is None


# ---- random documents: wherever the fast path answers, it answers as tinyhtml5 ----------------

TAGS = ("p div span em strong a ul ol li table tbody thead tr td th caption h1 h2 section figure figcaption br "
        "img hr pre code blockquote dl dt dd svg rect g text title lineargradient style b i sup label input nav "
        "small col colgroup script button select option template math font textarea q wbr").split()
TEXTS = ("x", " ", "\n", "a &amp; b", "&lt;", "é", "  y  ", "&#8212;", "&nbsp;", "1 < 2", "a > b", "&copy;", "&",
         "&foo;", "\t")
ATTRIBUTES = ('class="c"', 'id="i"', 'viewBox="0 0 1 1"', 'xlink:href="#a"', 'href="?a=1&amp;b=2"', "data-x",
              'style="color: red"', 'xml:lang="en"', 'CLASS="u"', 'class="d" class="e"', 'gradientUnits="x"')


def random_document(seed: int) -> str:
    rnd = random.Random(seed)
    closing = rnd.choice((1.0, 0.95))

    def content(depth: int) -> str:
        out = []
        for _ in range(rnd.randint(0, 4)):
            r = rnd.random()
            if r < 0.35 or depth > 4:
                out.append(rnd.choice(TEXTS))
            elif r < 0.4:
                out.append("<!-- c -->")
            else:
                tag = rnd.choice(TAGS)
                attrs = "".join(" " + a for a in rnd.sample(ATTRIBUTES, rnd.randint(0, 2)))
                slash = "/" if rnd.random() < 0.05 else ""
                end = f"</{tag}>" if rnd.random() < closing else ""
                out.append(f"<{tag}{attrs}{slash}>{content(depth + 1)}{end}")
        return "".join(out)

    head = rnd.choice(("<head><meta charset=\"utf-8\"><title>t</title></head>", "<head>\n<title>a &amp; b</title>\n</head>\n"))
    return (rnd.choice(("<!DOCTYPE html>", "<!doctype html>\n", "")) + '<html lang="en">' + rnd.choice(("", "\n"))
            + head + rnd.choice(("", "\n", " x ")) + "<body>" + content(0) + "</body>" + rnd.choice(("", "\n", " z"))
            + "</html>" + rnd.choice(("", "\n")))


def test_random_documents_parse_as_tinyhtml5_parses_them():
    fast = 0
    for seed in range(3000):
        html = random_document(seed)
        tree = htmltree.fast_tree(html)
        if tree is None:
            continue
        fast += 1
        assert difference(tree, html5(html)) is None, (seed, html, difference(tree, html5(html)))
    assert fast > 200  # the fast path was exercised, not only the fallback
