"""Lectern's own print documents parsed into the tree WeasyPrint reads, several times faster than its parser.

WeasyPrint parses HTML with tinyhtml5, a pure-Python HTML5 parser: about a quarter of a second
for one handout (80 kB), some 5 % of the study guide's whole layout. The documents Lectern
lays out come from its templates and are well formed (every element closed, every `&`
escaped), and for such a document the HTML5 tree is simply its nesting. `parse` reads it with
the standard library's tokenizer and builds that tree, exactly as tinyhtml5 would (SVG tag and
attribute names, whitespace around `head` and after `body`, the newline after `<pre>`);
whenever the input needs one of HTML5's repairs (an unclosed element, a table without its
`tbody`, a block inside a paragraph, a bare `&`...) it stops and hands the text to tinyhtml5.
`tests/test_htmltree.py` compares both trees on every kind of document Lectern makes.

    root = parse(html)          # xml.etree Element <html>, as tinyhtml5.parse(html, namespace_html_elements=False)
    fast_tree(html)             # the same, or None when the document needs tinyhtml5
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import tinyhtml5
from tinyhtml5.constants import adjust_foreign_attributes, adjust_svg_attributes

SVG = "http://www.w3.org/2000/svg"
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# start tags that make an HTML5 parser close an open <p> (or otherwise repair the tree)
CLOSES_P = frozenset("address article aside blockquote center details dialog dir div dl fieldset figcaption "
                     "figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 "
                     "h5 h6 pre listing form plaintext table hr xmp li dd dt".split())
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# elements whose parsing HTML5 treats specially: not worth mimicking, tinyhtml5 reads them
UNUSUAL = frozenset("textarea xmp iframe noembed noframes noscript plaintext template math image select option "
                    "optgroup button form frameset frame param keygen basefont bgsound nobr applet marquee "
                    "object listing isindex menuitem ruby rb rp rt rtc html head body".split())
# HTML tags that end SVG content in an HTML5 parser
BREAKS_SVG = frozenset("b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i "
                       "img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt "
                       "u ul var font".split())
TABLE_PARENT = {"tr": ("tbody", "thead", "tfoot"), "td": ("tr",), "th": ("tr",), "tbody": ("table",),
                "thead": ("table",), "tfoot": ("table",), "caption": ("table",), "colgroup": ("table",),
                "col": ("colgroup",)}
TABLE_CONTEXT = frozenset("table tbody thead tfoot tr colgroup".split())
HEAD_TAGS = frozenset("meta title link style base script".split())
ITEMS = {"li": ("li",), "dd": ("dd", "dt"), "dt": ("dd", "dt")}
ITEM_SCOPE = frozenset("ul ol dl menu table td th caption body html".split())
SVG_TAGS = {name.lower(): name for name in (
    "altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath feBlend "
    "feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap "
    "feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge "
    "feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence "
    "foreignObject glyphRef linearGradient radialGradient textPath").split()}
_LOOSE_AMPERSAND = re.compile(r"&(?![a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)")
_DOCTYPE = re.compile(r"(?i)doctype\s+html\s*")


class _Unusual(Exception):
    """The document needs an HTML5 repair (or holds something rare): tinyhtml5 parses it."""


def parse(html: str) -> ET.Element:
    """The HTML5 tree of `html` (an `xml.etree` element `html`), as WeasyPrint's own parser builds it."""
    root = fast_tree(html)
    if root is not None:
        return root
    # a file object, as WeasyPrint passes it: given a short str, tinyhtml5 reads the file it names
    return tinyhtml5.parse(io.StringIO(html), namespace_html_elements=False)


def fast_tree(html: str) -> ET.Element | None:
    """The tree of a well-formed document, or None when `html` needs HTML5's repairs (see `parse`)."""
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in html or _LOOSE_AMPERSAND.search(html):
        return None
    try:
        return _Builder().read(html)
    except _Unusual:
        return None


class _Builder(HTMLParser):
    """A tree builder for well-formed documents that refuses (`_Unusual`) whatever it would get wrong."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tree = ET.TreeBuilder(insert_comments=True)
        self.stack: list[tuple[str, str]] = []  # open elements: (lower-case name, tag in the tree)
        self.mode = "start"  # start, html, head, after-head, body, after-body
        self.doctype = False
        self.svg = 0  # open <svg> elements
        self.pre = False  # the next text follows a <pre> start tag
        self.root: ET.Element | None = None
        self.body: ET.Element | None = None

    def read(self, html: str) -> ET.Element:
        self.feed(html)
        self.close()
        if self.mode != "after-body" or self.stack or self.root is None:
            raise _Unusual("unclosed")
        return self.root

    def top(self) -> str:
        return self.stack[-1][0] if self.stack else ""

    # ---- tags -----------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list, closed: bool) -> None:
        self.pre = False
        if (self.mode, tag) in (("start", "html"), ("html", "head"), ("after-head", "body")):
            if closed or (tag == "html" and not self.doctype):
                raise _Unusual(tag)
            element = self._open(tag, attrs)
            self.mode = tag  # html, head, body
            if tag == "html":
                self.root = element
            elif tag == "body":
                self.body = element
            return
        top = self.top()
        if self.mode not in ("head", "body") or tag in UNUSUAL or not self.stack \
                or (self.mode == "head" and (top != "head" or tag not in HEAD_TAGS)):
            raise _Unusual(tag)
        if self.svg:
            if tag in BREAKS_SVG or tag == "script" or top in ("foreignobject", "desc", "title", "style"):
                raise _Unusual(tag)
            self._open(SVG_TAGS.get(tag, tag), attrs, svg=True)
            if closed:
                self._close()
            return
        if top in ("title", "style", "script") or (tag in CLOSES_P and any(n == "p" for n, _ in self.stack)) \
                or (tag in HEADINGS and top in HEADINGS) or (tag == "a" and any(n == "a" for n, _ in self.stack)) \
                or (tag in ITEMS and self._open_item(tag)):
            raise _Unusual(tag)
        if (tag in TABLE_PARENT and top not in TABLE_PARENT[tag]) or (top in TABLE_CONTEXT and tag not in TABLE_PARENT):
            raise _Unusual(tag)
        if tag == "svg":
            self._open(tag, attrs, svg=True)
            if closed:
                self._close()
            return
        if closed and tag not in VOID:
            raise _Unusual(tag)  # <div/> leaves the div open in HTML
        self._open(tag, attrs)
        if tag in VOID:
            self._close()
        self.pre = tag == "pre"

    def _open_item(self, tag: str) -> bool:
        """Whether an item this start tag would close (an HTML5 parser closes an open li before a new one)."""
        for name, _ in reversed(self.stack):
            if name in ITEMS[tag]:
                return True
            if name in ITEM_SCOPE:
                return False
        return False

    def _open(self, tag: str, attrs: list, svg: bool = False) -> ET.Element:
        found: dict[str, str] = {}
        for name, value in attrs:
            if svg:
                name = adjust_svg_attributes.get(name, name)
                foreign = adjust_foreign_attributes.get(name)
                if foreign is not None:
                    name = f"{{{foreign[2]}}}{foreign[1]}"
            if name in found:
                raise _Unusual(f"two {name} attributes")
            found[name] = value if value is not None else ""
        full = f"{{{SVG}}}{tag}" if svg else tag
        if svg and tag == "svg":
            self.svg += 1
        self.stack.append((tag.lower(), full))
        return self.tree.start(full, found)

    def _close(self) -> None:
        name, full = self.stack.pop()
        if full == f"{{{SVG}}}svg":
            self.svg -= 1
        self.tree.end(full)

    def handle_endtag(self, tag: str) -> None:
        self.pre = False
        if self.mode == "after-body" and tag == "html" and not self.stack:
            return
        if tag in VOID or self.top() != tag or tag == "html":
            raise _Unusual(f"</{tag}>")
        self._close()
        if tag == "head":
            self.mode = "after-head"
        elif tag == "body":
            self.mode = "after-body"
            self.stack = []  # the html element: only </html> and whitespace may follow

    # ---- text, comments, declarations ------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.pre and data.startswith("\n"):
            data = data[1:]
        self.pre = False
        if not data:
            return
        if self.svg and self.top() == "style" and ("&" in data or "<" in data):
            raise _Unusual("markup in an SVG style")  # raw text to the tokenizer, markup to HTML5
        blank = not data.strip(" \t\n\f")
        if self.mode in ("start", "html"):
            if blank:
                return  # dropped before <head>
            raise _Unusual("text before <head>")
        if self.mode == "after-body":
            if not blank:
                raise _Unusual("text after </body>")
            body = self.body
            if len(body):  # HTML5 puts it at the end of the body
                body[-1].tail = (body[-1].tail or "") + data
            else:
                body.text = (body.text or "") + data
            return
        if not blank and (self.mode == "after-head" or self.top() in TABLE_CONTEXT
                          or (self.mode == "head" and self.top() not in ("title", "style", "script"))):
            raise _Unusual("text where HTML5 moves it")
        self.tree.data(data)

    def handle_comment(self, data: str) -> None:
        if self.mode not in ("head", "body") or self.svg or self.top() == "title":
            raise _Unusual("comment")  # (in a title, HTML5 reads it as text)
        self.pre = False
        self.tree.comment(data)

    def handle_decl(self, decl: str) -> None:
        if self.mode != "start" or not _DOCTYPE.fullmatch(decl):
            raise _Unusual(decl)
        self.doctype = True

    def unknown_decl(self, data: str) -> None:
        raise _Unusual(data)

    def handle_pi(self, data: str) -> None:
        raise _Unusual(data)
