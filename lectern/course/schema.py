"""`lectern schema`: the content format (course/shapes) as JSON Schema files for editors with a YAML language server."""
from __future__ import annotations

import json
from pathlib import Path

from .shapes import COURSE, EVENT, GLOSSARY_ENTRY, LECTURE, SHAPES, Shape

SCHEMA_FOLDER = "schema"  # where `new` puts them in a course, and `lectern schema` by default
DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft YAML language servers know best


def _definition(shape: Shape) -> dict:
    return {"type": "object", "properties": dict(shape.fields), "required": list(shape.required),
            "additionalProperties": False}


def _list_file(item: Shape, what: str) -> dict:
    """A timeline or glossary file: a list at its top, or under one key (`events: [...]`)."""
    items = {"type": "array", "items": {"$ref": f"#/definitions/{item.name}"}}
    return {"description": what, "anyOf": [items, {"type": "object", "minProperties": 1, "maxProperties": 1,
                                                   "additionalProperties": items}]}


def schemas() -> dict[str, dict]:
    """File name → JSON Schema, for course.yaml, a lecture, the timeline and the glossary."""
    definitions = {shape.name: _definition(shape) for shape in SHAPES}
    tops = {
        "course": {"description": "Lectern course.yaml", **_definition(COURSE)},
        "lecture": {"description": "A Lectern lecture file", **_definition(LECTURE)},
        "timeline": _list_file(EVENT, "A Lectern timeline: dated events"),
        "glossary": _list_file(GLOSSARY_ENTRY, "A Lectern glossary: terms and definitions"),
    }
    return {f"{name}.schema.json": {"$schema": DRAFT, "title": f"Lectern {name} file", **top,
                                    "definitions": definitions}
            for name, top in tops.items()}


def schema_files() -> list[tuple[str, bytes]]:
    """The schema files as (name, bytes): stable, readable JSON."""
    return [(name, (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            for name, doc in schemas().items()]


def write_schemas(folder: Path) -> list[Path]:
    """Write the schema files into `folder` (created if needed), replacing older ones; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in schema_files():
        target = folder / name
        tmp = target.with_name(f".{name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        written.append(target)
    return written
