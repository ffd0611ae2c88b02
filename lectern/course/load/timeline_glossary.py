"""The timeline and glossary files: a list of dated events, a list of terms with definitions."""
from __future__ import annotations

import datetime
from pathlib import Path

from ..model import GlossaryEntry, TimelineEvent
from ..shapes import EVENT, GLOSSARY_ENTRY
from ..yamlnodes import Node, read_yaml
from .reader import Reader

EVENT_KEYS = EVENT.keys
GLOSSARY_KEYS = GLOSSARY_ENTRY.keys


def top_list(r: Reader, path: Path, what: str) -> list[Node]:
    """The file's list: at its top, or as the one key of a mapping (`events: [...]`, `terms: [...]`)."""
    parsed = read_yaml(path, r.display(path))
    r.problems += parsed.problems
    if parsed.root is None:
        return []
    root = parsed.root
    only = next(iter(root.value.values())) if isinstance(root.value, dict) and len(root.value) == 1 else None
    if only is not None and isinstance(only.value, list):
        root = only  # allow `events: [...]` / `terms: [...]`
    return r.list(root, what)


def timeline(r: Reader, path: Path) -> list[TimelineEvent]:
    events = []
    for node in top_list(r, path, "the timeline"):
        event = timeline_event(r, node)
        if event is not None:
            events.append(event)
    return events


def timeline_event(r: Reader, node: Node) -> TimelineEvent | None:
    keys = r.mapping(node, EVENT_KEYS, EVENT.required, "a timeline event")
    if keys is None or "date" not in keys or "event" not in keys:
        return None
    date = r.text(keys["date"], "the event's date", required=True, typed=True)
    if date is None:
        return None
    if not _valid_partial_date(date):
        r.error(keys["date"].pos, f"the date '{date}' must be a year (1959), a month (1959-01) "
                                  "or a day (1959-01-01); quote it")
        return None
    event = r.md(keys["event"], "the event", required=True)
    if event is None:
        return None
    lecture = r.text(keys.get("lecture"), "the event's lecture")
    return TimelineEvent(date, event, node.pos, lecture)


def glossary(r: Reader, path: Path) -> list[GlossaryEntry]:
    entries = []
    for node in top_list(r, path, "the glossary"):
        entry = glossary_entry(r, node)
        if entry is not None:
            entries.append(entry)
    return entries


def glossary_entry(r: Reader, node: Node) -> GlossaryEntry | None:
    keys = r.mapping(node, GLOSSARY_KEYS, GLOSSARY_ENTRY.required, "a glossary entry")
    if keys is None or "term" not in keys or "definition" not in keys:
        return None
    term = r.text(keys["term"], "the term", required=True)
    definition = r.md(keys["definition"], "the definition", required=True)
    if term is None or definition is None:
        return None
    return GlossaryEntry(term, definition, node.pos, r.text(keys.get("lecture"), "the entry's lecture"),
                         r.text(keys.get("sort"), "the entry's sort key") or "")


def _valid_partial_date(text: str) -> bool:
    try:
        if len(text) == 4 and text.isdigit():
            return True
        if len(text) == 7:
            datetime.date.fromisoformat(text + "-01")
            return True
        if len(text) == 10:
            datetime.date.fromisoformat(text)
            return True
    except ValueError:
        return False
    return False
