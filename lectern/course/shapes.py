"""The content format as a table: every mapping's keys, which are required, and what each key's value is.

The loader (course/load) takes its key sets and required keys from here, and `lectern schema`
(course/schema) writes this same table as JSON Schema, so an editor's completion and the loader
never disagree. A value's kind is a small JSON Schema fragment; `ref(name)` points at another
shape. Text-valued keys accept numbers and true/false too, because the loader reads them as the
text that was typed (`lang: no`, `subtitle: 1.10`).
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import OUTPUT_KINDS

TEXT = {"type": ["string", "number", "boolean"]}
MARKDOWN = {**TEXT, "description": "Markdown"}
TEXTS = {"type": "array", "items": TEXT}
MARKDOWNS = {"type": "array", "items": MARKDOWN}
COUNT = {"type": "integer", "minimum": 1}
FLAG = {"type": "boolean"}
YEAR = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\d{4}"}]}
ISO_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
PARTIAL_DATE = {"anyOf": [{"type": "integer", "minimum": 1000, "maximum": 9999},
                          {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}]}
PATH = {"type": "string", "minLength": 1}
LANG = {"type": "string", "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"}
PAPER_SIZES = ("A4", "letter")  # matched without regard to case
CHART_TYPES = ("bar", "grouped", "stacked", "line", "area", "scatter", "histogram")
BIBLIOGRAPHY_SUFFIXES = (".yaml", ".yml", ".json", ".bib")


def ref(name: str) -> dict:
    return {"$ref": f"#/definitions/{name}"}


def one_or_list(item: dict) -> dict:
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _case_free(words: tuple[str, ...]) -> str:
    return "^(" + "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in w)
                           for w in words) + ")$"


@dataclass(frozen=True)
class Shape:
    """One kind of mapping: its keys with their values' kinds, and which keys must be there."""

    name: str
    fields: dict[str, dict]
    required: tuple[str, ...] = ()

    @property
    def keys(self) -> set[str]:
        return set(self.fields)


BIBLIOGRAPHY_FILE = {"type": "string", "pattern": r"\." + _case_free(tuple(s[1:] for s in BIBLIOGRAPHY_SUFFIXES))[1:]}
POINT_ITEM = {"anyOf": [MARKDOWN, ref("point")]}  # a point is text, or a mapping with a sub-list

COURSE = Shape("course", {
    "title": MARKDOWN, "subtitle": MARKDOWN, "author": one_or_list(TEXT), "institution": TEXT,
    "date": ISO_DATE, "lang": LANG, "bibliography": one_or_list(BIBLIOGRAPHY_FILE), "csl": TEXT,
    "paper": {"type": "string", "pattern": _case_free(PAPER_SIZES)},
    "lectures": {"type": "array", "items": PATH, "minItems": 1},
    "timeline": PATH, "glossary": PATH,
    "outputs": {"type": "array", "items": {"enum": list(OUTPUT_KINDS)}, "uniqueItems": True},
    "names": {"type": "array", "items": TEXT},
    "embed_origins": {"type": "array", "items": {"type": "string", "pattern": r"^https?://[^/?#\s]+/?$"}},
}, ("title", "author", "lectures"))

LECTURE = Shape("lecture", {
    "title": MARKDOWN, "subtitle": MARKDOWN, "duration": COUNT, "summary": MARKDOWN, "objectives": MARKDOWNS,
    "sections": {"type": "array", "items": ref("section"), "minItems": 1},
    "footnotes": {"type": "object", "additionalProperties": MARKDOWN},
    "further_reading": {"type": "array", "items": {"type": "string", "pattern": "^@."}},
}, ("title", "sections"))

SECTION = Shape("section", {
    "title": MARKDOWN, "reading": MARKDOWN, "slides": {"type": "array", "items": ref("slide")}, "questions": MARKDOWNS,
}, ("title",))

SLIDE = Shape("slide", {
    "title": MARKDOWN, "points": {"type": "array", "items": POINT_ITEM}, "build": FLAG, "quote": ref("quote"),
    "image": ref("image"), "chart": ref("chart"), "notes": MARKDOWN, "timeline": ref("span"),
    "body": MARKDOWN,  # block Markdown: paragraphs, lists, math, fenced code, pipe tables
    "code": ref("code"), "table": ref("datatable"),
    # --- layouts (issue 18) ---
    "columns": {"type": "array", "items": ref("column"), "minItems": 2, "maxItems": 3},
    "widths": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}},
    "images": {"type": "array", "items": ref("image"), "minItems": 2, "maxItems": 6},
    "background": {"anyOf": [{"type": "string", "pattern": r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"}, ref("background")]},
    "video": ref("video"), "embed": ref("embed"),
}, ("title",))

# --- layouts (issue 18): a column holds what a slide holds, without title, notes or layout keys ---
COLUMN_KEYS = ("points", "body", "image", "images", "chart", "code", "table", "quote", "video", "embed")
BACKGROUND = Shape("background", {"src": PATH, "alt": TEXT, "dim": {"type": "number", "minimum": 0, "maximum": 1}},
                   ("src", "alt"))
FITS = ("contain", "cover")
VIDEO_SUFFIXES = (".mp4", ".webm", ".ogg", ".ogv")  # what every current browser plays
SECONDS = {"type": "number", "minimum": 0}
VIDEO = Shape("video", {"src": {"type": "string", "pattern": r"\." + _case_free(tuple(s[1:] for s in VIDEO_SUFFIXES))[1:]},
                        "poster": PATH, "caption": MARKDOWN, "title": TEXT, "start": SECONDS, "end": SECONDS}, ("src",))
EMBED = Shape("embed", {"url": {"type": "string", "pattern": r"^https?://"}, "title": TEXT, "caption": MARKDOWN,
                        "height": {"type": "integer", "minimum": 120, "maximum": 600}}, ("url", "title"))

POINT = Shape("point", {"text": MARKDOWN, "points": {"type": "array", "items": POINT_ITEM}}, ("text",))
QUOTE = Shape("quote", {"text": MARKDOWN, "source": MARKDOWN}, ("text",))
IMAGE = Shape("image", {"src": PATH, "alt": TEXT, "caption": MARKDOWN,
                       "width": {"type": "number", "minimum": 1, "maximum": 100},  # layouts (issue 18)
                       "fit": {"enum": ["contain", "cover"]}}, ("src", "alt"))
CHART = Shape("chart", {
    "type": {"enum": list(CHART_TYPES)}, "title": TEXT,
    "data": {"anyOf": [{"type": "string", "pattern": r"\." + _case_free(("csv",))[1:]}, ref("table")]},
    "x": TEXT, "y": one_or_list(TEXT), "unit": TEXT, "caption": MARKDOWN, "source": MARKDOWN,
    "trend": FLAG,  # scatter: a least-squares line through each series
    "error": one_or_list(TEXT),  # error bars: a column of ± values for each y column
    "bins": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 100},
                       {"type": "array", "items": {"type": "number"}, "minItems": 2}]},  # histogram
}, ("type", "data", "x"))
TABLE = Shape("table", {"columns": TEXTS, "rows": {"type": "array", "items": {"type": "array"}}}, ("columns", "rows"))
LINE_RANGE = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": r"^\s*\d+\s*(-\s*\d+\s*)?$"}]}
LINE_LIST = {"anyOf": [{"type": "integer", "minimum": 1},
                       {"type": "string", "pattern": r"^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$"}]}
CODE = Shape("code", {"lang": TEXT, "text": TEXT, "file": PATH, "lines": LINE_RANGE, "highlight": LINE_LIST,
                      "caption": MARKDOWN}, ("lang",))
DATATABLE = Shape("datatable", {
    "data": {"anyOf": [{"type": "string", "pattern": r"\." + _case_free(("csv",))[1:]}, ref("table")]},
    "caption": MARKDOWN, "source": MARKDOWN,
    "align": {"type": "object", "additionalProperties": {"enum": ["left", "right", "center"]}},
}, ("data",))
SPAN = Shape("span", {"from": YEAR, "to": YEAR}, ("from", "to"))
EVENT = Shape("event", {"date": PARTIAL_DATE, "event": MARKDOWN, "lecture": TEXT}, ("date", "event"))
GLOSSARY_ENTRY = Shape("term", {"term": TEXT, "definition": MARKDOWN, "lecture": TEXT, "sort": TEXT},
                       ("term", "definition"))

COLUMN = Shape("column", {k: SLIDE.fields[k] for k in COLUMN_KEYS})  # layouts (issue 18)

SHAPES = (COURSE, LECTURE, SECTION, SLIDE, COLUMN, BACKGROUND, VIDEO, EMBED, POINT, QUOTE, IMAGE, CHART, TABLE, CODE, DATATABLE, SPAN, EVENT, GLOSSARY_ENTRY)
