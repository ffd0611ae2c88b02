"""The CSL-JSON scanner: entry ids and where they stand, by a small walk over the JSON text."""
from __future__ import annotations

import json
import re

from ...course.model import Pos
from ...problems import Problem
from .lines import _LineIndex


_JSON_WS = re.compile(r"[ \t\r\n]*")


def _scan_json(text: str, name: str) -> tuple[list[tuple[str, Pos]], list[Problem]]:
    """CSL-JSON: an array of objects, each with an "id"; positions by a small scan of the text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return [], [Problem(Pos(name, err.lineno, err.colno), f"invalid JSON: {err.msg}")]
    except RecursionError:
        return [], [Problem(Pos(name, 1, 1), "the JSON nests arrays or objects too deeply for a bibliography")]
    lines = _LineIndex(text)
    if not isinstance(data, list):
        return [], [Problem(lines.pos(name, _JSON_WS.match(text).end()), "a CSL-JSON bibliography is an array of entries, each with an \"id\"")]
    # The text is valid JSON whose top level is an array: walk its objects' top-level members.
    decoder = json.JSONDecoder()
    i = _JSON_WS.match(text, text.index("[") + 1).end()
    found: list[tuple[str, Pos]] = []
    problems: list[Problem] = []
    for entry in data:
        start = i
        if not isinstance(entry, dict):
            problems.append(Problem(lines.pos(name, start), "a bibliography entry must be an object with \"id\", \"type\", \"title\", ..."))
            _, i = decoder.raw_decode(text, i)
        else:
            id_pos = None
            i = _JSON_WS.match(text, i + 1).end()  # past "{"
            while text[i] != "}":
                member, i = json.decoder.scanstring(text, i + 1)
                i = _JSON_WS.match(text, i).end() + 1  # past ":"
                i = _JSON_WS.match(text, i).end()
                if member == "id":
                    id_pos = lines.pos(name, i)
                _, i = decoder.raw_decode(text, i)
                i = _JSON_WS.match(text, i).end()
                if text[i] == ",":
                    i = _JSON_WS.match(text, i + 1).end()
            i += 1  # past "}"
            value = entry.get("id")
            if id_pos is None:
                problems.append(Problem(lines.pos(name, start), "this bibliography entry has no \"id\""))
            elif isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
                problems.append(Problem(id_pos, "an entry's \"id\" must be a non-empty text"))
            else:
                found.append((str(value).strip(), id_pos))
        i = _JSON_WS.match(text, i).end()
        if i < len(text) and text[i] == ",":
            i = _JSON_WS.match(text, i + 1).end()
    return found, problems
