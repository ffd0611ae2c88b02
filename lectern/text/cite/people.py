"""The people a bibliography names (authors, editors, translators), as written, for print to keep whole.

    names_in([Path("references.yaml")])   # ["Gonzalez", "Mike", "Cushion", "Steve", ...]

Reads CSL-YAML, CSL-JSON and BibTeX well enough to find name parts; a file that does not parse
gives no names (`read_bibliography` reports what is wrong with it). Never runs pandoc.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .bibliography import BIB_SUFFIXES

NAME_FIELDS = ("author", "editor", "translator", "container-author", "collection-editor",
               "editorial-director", "interviewer", "recipient", "director", "illustrator", "composer")
NAME_PARTS = ("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix")
BIBTEX_FIELD = re.compile(r"\b(author|editor|translator)\s*=\s*", re.I)


def names_in(paths: list[Path]) -> list[str]:
    """Every name part of every person in the files, in order, each once."""
    found: dict[str, None] = {}
    for path in paths:
        for name in _names_of(Path(path)):
            name = " ".join(name.split())
            if name:
                found.setdefault(name, None)
    return list(found)


def _names_of(path: Path) -> list[str]:
    kind = BIB_SUFFIXES.get(path.suffix.lower())
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    if kind == "bibtex":
        return _bibtex_names(text)
    try:
        data = json.loads(text) if kind == "json" else yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (ValueError, yaml.YAMLError):
        return []
    if isinstance(data, dict):
        data = data.get("references", [])
    return _csl_names(data if isinstance(data, list) else [])


def _csl_names(entries: list) -> list[str]:
    names = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        for field in NAME_FIELDS:
            people = entry.get(field)
            for person in people if isinstance(people, list) else []:
                if isinstance(person, dict):
                    names += [str(person[part]) for part in NAME_PARTS if isinstance(person.get(part), str)]
    return names


def _bibtex_names(text: str) -> list[str]:
    names = []
    for match in BIBTEX_FIELD.finditer(text):
        value = _bibtex_value(text, match.end())
        for person in re.split(r"\s+and\s+", value):
            names += [part for part in re.split(r"\s*,\s*", person) if part and part != "others"]
    return names


def _bibtex_value(text: str, i: int) -> str:
    """The braced or quoted value starting at `i`, braces removed ("" when it is neither)."""
    if i >= len(text) or text[i] not in '{"':
        return ""
    closer, depth, start = ("}" if text[i] == "{" else '"'), 0, i + 1
    for j in range(i, len(text)):
        char = text[j]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if (closer == "}" and depth == 0 and j > i) or (closer == '"' and char == '"' and j > i and depth == 0):
            return re.sub(r"[{}]", "", text[start:j])
    return ""
