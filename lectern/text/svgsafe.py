"""SVG images made safe to inline: no scripts, no event attributes, no outside references."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
XLINK = "{http://www.w3.org/1999/xlink}href"
# compared in lower case: an HTML parser reads inline <SCRIPT> or <ForeignObject> as the real thing
_DROP = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener", "frame", "frameset"}
_ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion", "animatecolor"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers ignore these inside a URL scheme
_OUTSIDE_URL = re.compile(r"url\((?!\s*[\"']?\s*(?:#|data:image/))[^)]*\)", re.I)  # any url() but #id or an image


_SNEAKY_CSS = re.compile(r"\\|image-set|@import|@font-face|expression\(", re.I)  # escapes hide url( from us


def _sets_a_link_or_handler(element) -> bool:
    """An animation element that would change a link or an event attribute (a script in disguise)."""
    target = element.attrib.get("attributeName", "").split(":")[-1].strip().lower()  # xlink:href
    return _local(element.tag).lower() in _ANIMATIONS and (target == "href" or target.startswith("on"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sanitize_svg(text: str, label: str = "") -> Markup:
    """Parse an SVG file and return it cleaned for inlining; unparsable SVG becomes an empty figure."""
    text = re.sub(r"<!DOCTYPE[^>]*(\[.*?\])?\s*>", "", text, flags=re.S)  # no entities, no external DTDs
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return Markup('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}"></svg>').format(label)
    if _local(root.tag).lower() != "svg":
        return Markup('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}"></svg>').format(label)
    for parent in root.iter():
        for child in list(parent):
            if not isinstance(child.tag, str) or _local(child.tag).lower() in _DROP or _sets_a_link_or_handler(child):
                parent.remove(child)
    for element in root.iter():
        for name in list(element.attrib):
            local = _local(name).lower()
            value = element.attrib[name].strip()
            squeezed = _INVISIBLE.sub("", value).lower()
            if local.startswith("on"):
                del element.attrib[name]
            elif local == "href" and not value.startswith("#") and not value.startswith("data:image/"):
                del element.attrib[name]
            elif any(scheme in squeezed for scheme in ("javascript:", "vbscript:", "data:text/html")):
                del element.attrib[name]
            elif local == "style" and _SNEAKY_CSS.search(value):
                del element.attrib[name]
            elif "url(" in squeezed:  # style="fill:url(//tracker)": no outside fetches, keep url(#gradient)
                element.attrib[name] = _OUTSIDE_URL.sub("none", value)
        if _local(element.tag).lower() == "style" and element.text:
            element.text = "" if _SNEAKY_CSS.search(element.text) else _OUTSIDE_URL.sub("none", element.text)
    root.set("role", "img")
    if label:
        root.set("aria-label", label)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return Markup(ET.tostring(root, encoding="unicode"))
