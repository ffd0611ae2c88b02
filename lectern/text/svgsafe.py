"""SVG pictures made safe by an allowlist of drawing elements and attributes, and shown as images."""
from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_FILTERS = ("feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting "
            "feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur "
            "feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile "
            "feTurbulence").split()
ELEMENTS = frozenset("""svg g defs symbol use path rect circle ellipse line polyline polygon text tspan textPath
    title desc linearGradient radialGradient stop pattern clipPath mask marker image filter style""".split() + _FILTERS)
_UNWRAP = {"a", "switch"}  # their content stays (in a <g>); the link itself goes

_GEOMETRY = """x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points pathLength viewBox preserveAspectRatio
    transform gradientTransform gradientUnits patternUnits patternContentUnits patternTransform clipPathUnits
    maskUnits maskContentUnits markerUnits markerWidth markerHeight refX refY orient offset spreadMethod dx dy
    rotate textLength lengthAdjust startOffset method spacing side filterUnits primitiveUnits in in2 result mode
    type values tableValues slope intercept amplitude exponent k1 k2 k3 k4 operator order kernelMatrix divisor bias
    targetX targetY edgeMode preserveAlpha surfaceScale diffuseConstant specularConstant specularExponent
    kernelUnitLength scale xChannelSelector yChannelSelector stdDeviation radius baseFrequency numOctaves seed
    stitchTiles azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle version baseProfile""".split()
_PRESENTATION = """alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-rendering direction display dominant-baseline fill fill-opacity fill-rule
    filter flood-color flood-opacity font font-family font-size font-size-adjust font-stretch font-style
    font-variant font-weight glyph-orientation-horizontal glyph-orientation-vertical image-rendering isolation
    kerning letter-spacing lighting-color marker marker-start marker-mid marker-end mask mix-blend-mode opacity
    overflow paint-order shape-rendering stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor text-decoration
    text-rendering transform-origin unicode-bidi vector-effect visibility word-spacing writing-mode""".split()
ATTRIBUTES = frozenset(_GEOMETRY + _PRESENTATION + "id class style lang role aria-label aria-hidden".split())
_KEPT_NS = {XML_NS + "}space", XML_NS + "}lang"}
_LOCAL_HREF = {"use", "textPath", "linearGradient", "radialGradient", "pattern", "filter"}  # '#id' only
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")
_LOCAL_FRAGMENT = re.compile(r"#[A-Za-z_][\w.:-]*\Z")

_URL = re.compile(r"url\(", re.I)
_LOCAL_URL = re.compile(r"url\(\s*[\"']?\s*#[\w.:-]+\s*[\"']?\s*\)", re.I)  # url(#gradient), nothing else
_SNEAKY_CSS = re.compile(r"\\|@|image-set|expression\(|<|-moz-binding|behavior\s*:", re.I)  # escapes, @import, ...


@dataclass
class CleanSvg:
    """A picture after cleaning: the SVG text, and what was taken out of it (for a warning)."""

    svg: str
    dropped: list[str] = field(default_factory=list)  # what a lecturer would miss: scripts, links, handlers ...
    error: str = ""  # why the file is no SVG picture at all (it then shows as an empty box)


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        return ns, local
    return "", tag


def _parse(text: str) -> ET.Element:
    """Expat with no DTD: the DOCTYPE goes (with any entities it declares), and a second one or a
    stray entity declaration makes the file unreadable, so no entity is ever expanded or fetched."""
    text = re.sub(r"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", "", text, count=1, flags=re.S)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ET.ParseError("it declares entities, which a picture may not")
    return ET.fromstring(text)


def _urls_local(css: str) -> bool:
    return len(_URL.findall(css)) == len(_LOCAL_URL.findall(css))


def _css_ok(css: str) -> bool:
    return not _SNEAKY_CSS.search(css) and _urls_local(css)


def _value_ok(name: str, value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    if any(s in squeezed for s in ("javascript:", "vbscript:", "data:text", "expression(")):
        return False
    if name == "style" or name in _PRESENTATION:
        return _css_ok(value)
    return _urls_local(value)


class _Cleaner:
    def __init__(self) -> None:
        self.dropped: list[str] = []

    def note(self, what: str) -> None:
        if what not in self.dropped:
            self.dropped.append(what)

    def element(self, el: ET.Element) -> None:
        """Clean `el` in place: its attributes, then its children (dropped, unwrapped or cleaned)."""
        ns, local = _split(el.tag)
        el.tag = f"{{{SVG_NS}}}{local}"
        self.attributes(el, local)
        if local == "style":
            css = "".join(el.itertext())
            for child in list(el):
                el.remove(child)
            el.attrib.clear()
            if css.strip() and not _css_ok(css):
                self.note("a <style> that reaches outside the picture (@import, url(), escapes)")
                css = ""
            el.text = css
            return
        for child in list(el):
            if not isinstance(child.tag, str):  # a comment or processing instruction
                el.remove(child)
                continue
            cns, clocal = _split(child.tag)
            if cns not in ("", SVG_NS):
                if cns in ("http://www.w3.org/1999/xhtml", XLINK_NS):
                    self.note(f"<{clocal}>")
                el.remove(child)  # an editor's own data (Inkscape, Illustrator): silently
            elif clocal in _UNWRAP:
                for target in self._outside_links(child):
                    self.note(f"a link to '{target[:60]}'")
                child.tag, child.attrib = f"{{{SVG_NS}}}g", {k: v for k, v in child.attrib.items()
                                                              if _split(k)[1] != "href"}
                self.element(child)
            elif clocal in ELEMENTS:
                self.element(child)
            else:
                if clocal != "metadata":
                    self.note(f"<{clocal}>")
                el.remove(child)

    @staticmethod
    def _outside_links(el: ET.Element) -> list[str]:
        return [v.strip() for k, v in el.attrib.items()
                if _split(k)[1] == "href" and not _LOCAL_FRAGMENT.match(v.strip())]

    def attributes(self, el: ET.Element, local: str) -> None:
        for name in list(el.attrib):
            ns, attr = _split(name)
            value = el.attrib.pop(name)
            if attr == "href" and ns in ("", XLINK_NS):
                if self._href_ok(local, value.strip()):
                    el.set(f"{{{XLINK_NS}}}href" if ns else "href", value.strip())
                else:
                    self.note(f"a reference to '{value.strip()[:60]}'" if not value.startswith("data:")
                              else "an embedded file that is no PNG, JPEG, GIF or WebP picture")
            elif (ns == "" and attr in ATTRIBUTES) or f"{ns}}}{attr}" in _KEPT_NS:
                if _value_ok(attr, value):
                    el.set(name, value)
                else:
                    self.note(f"{attr}=\"{value.strip()[:40]}\"")
            elif ns == "" and attr.lower().startswith("on"):
                self.note(f"the event handler {attr}")
            # any other attribute goes silently: an editor's (data-name, enable-background) changes nothing drawn

    @staticmethod
    def _href_ok(element: str, value: str) -> bool:
        if element == "image":
            return bool(_DATA_IMAGE.match(value))
        return element in _LOCAL_HREF and bool(_LOCAL_FRAGMENT.match(value))


MAX_DEPTH = 200  # deeper nesting is no drawing (and would exhaust Python's recursion while cleaning)


def _depth(root: ET.Element) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            stack.extend((child, depth + 1) for child in element)
    return deepest


def clean_svg(text: str) -> CleanSvg:
    """The SVG file's text with only the allowlisted elements and attributes (see docs/format.md)."""
    try:
        root = _parse(text)
    except ET.ParseError as exc:
        return CleanSvg(_EMPTY, error=f"it is not well-formed XML ({exc})")
    if _depth(root) > MAX_DEPTH:
        return CleanSvg(_EMPTY, error=f"its elements are nested more than {MAX_DEPTH} deep")
    ns, local = _split(root.tag)
    if local != "svg" or ns not in ("", SVG_NS):
        return CleanSvg(_EMPTY, error=f"its outermost element is <{local}>, not <svg>")
    cleaner = _Cleaner()
    cleaner.element(root)
    _give_size(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return CleanSvg(ET.tostring(root, encoding="unicode"), cleaner.dropped)


def _give_size(root: ET.Element) -> None:
    """An image needs a size of its own: a drawing with only a viewBox gets the viewBox's (as an
    <img>, WeasyPrint would otherwise draw it nothing wide, and Chromium 300 by 150)."""
    box = root.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4 and not (root.get("width") and root.get("height")):
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError:
            return
        if width > 0 and height > 0:
            root.set("width", root.get("width") or f"{width:g}")
            root.set("height", root.get("height") or f"{height:g}")


_EMPTY = f'<svg xmlns="{SVG_NS}" viewBox="0 0 4 3"></svg>'


def sanitize_svg(text: str, label: str = "") -> Markup:
    """The cleaned SVG as markup (for tests and tools; pictures in outputs are `svg_image`)."""
    return Markup(clean_svg(text).svg)


def svg_image(text: str, label: str = "") -> Markup:
    """An SVG picture as an <img> of its cleaned text: an image document, so nothing in it (a
    <style>, an id, an element an HTML parser would lift out) can touch the page around it."""
    data = base64.b64encode(clean_svg(text).svg.encode("utf-8")).decode("ascii")
    return Markup('<img class="svg-picture" src="data:image/svg+xml;base64,{}" alt="{}">').format(Markup(data), label)
