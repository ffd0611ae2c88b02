"""course.yaml: the course's settings, bibliography, outputs, and the files it lists (lectures, timeline, glossary)."""
from __future__ import annotations

import datetime
import difflib
from pathlib import Path

from ..model import Course, Md, Pos, OUTPUT_KINDS
from ..shapes import BIBLIOGRAPHY_SUFFIXES, COURSE, PAPER_SIZES
from ...invoked import command
from ..yamlnodes import Node, read_yaml
from .lecture_file import lecture
from .reader import Reader
from .timeline_glossary import glossary, timeline

COURSE_KEYS = COURSE.keys


def load(r: Reader) -> Course | None:
    """The course: course.yaml and every file it names, as the model (None when course.yaml cannot be read)."""
    root = _course_yaml(r)
    if root is None:
        return None
    keys = r.mapping(root, COURSE_KEYS, COURSE.required, "course.yaml")
    if keys is None:
        return None
    title = r.md(keys.get("title"), "the course title", required=True) or Md("", root.pos)
    course = Course(root=r.root, title=title, authors=authors(r, keys.get("author")), pos=root.pos)
    course.subtitle = r.md(keys.get("subtitle"), "subtitle")
    course.institution = r.text(keys.get("institution"), "institution") or ""
    settings(r, keys, course)
    course.bibliography = bibliography(r, keys.get("bibliography"))
    if "outputs" in keys:
        course.outputs = outputs(r, keys["outputs"])
    if "names" in keys:
        course.names = [n for n in (r.text(item, "each name", True) for item in r.list(keys["names"], "names")) if n]
    if "embed_origins" in keys:
        course.embed_origins = embed_origins(r, keys["embed_origins"])
    templates = r.root / "templates"
    course.templates = templates if templates.is_dir() else None
    lectures(r, keys.get("lectures"), course)
    timeline_and_glossary(r, keys, course)
    return course


def _course_yaml(r: Reader) -> Node | None:
    """course.yaml's top value, or None (with the problem) when there is none or it does not parse."""
    course_file = r.root / "course.yaml"
    display = r.display(course_file)
    if not course_file.is_file():
        r.error(Pos(display, 1, 1), "there is no course.yaml here: is this a course folder? "
                                    f"(`{command()} new DIR` writes a course to start from)")
        return None
    parsed = read_yaml(course_file, display)
    r.problems += parsed.problems
    return parsed.root


def embed_origins(r: Reader, node: Node) -> list[str]:
    """`embed_origins: [https://poll.example.org]`: the sites whose pages slides may embed (the deck's
    content security policy lets exactly these in)."""
    from .media import origin_of
    found = []
    for item in r.list(node, "embed_origins"):
        value = r.text(item, "each embed origin", required=True)
        if value is None:
            continue
        origin = origin_of(value)
        if origin is None or origin.rstrip("/") != value.strip().rstrip("/").lower():
            hint = f": write just `{origin}`" if origin else ", like https://poll.example.org"
            r.error(item.pos, f"'{value}' is not an origin (a scheme and a host, no path){hint}")
            continue
        found.append(origin)
    return list(dict.fromkeys(found))


def authors(r: Reader, node: Node | None) -> list[str]:
    """`author: Name` or `author: [Name, ...]`."""
    if node is None:
        return []
    if isinstance(node.value, list):
        return [a for a in (r.text(n, "each author", True) for n in node.value) if a]
    one = r.text(node, "author", required=True)
    return [one] if one else []


def settings(r: Reader, keys: dict[str, Node], course: Course) -> None:
    """The date, language, citation style and paper size, where given."""
    if "date" in keys:
        course.date = iso_date(r, keys["date"])
    if "lang" in keys:
        lang(r, keys["lang"], course)
    if "csl" in keys:
        course.csl = r.text(keys["csl"], "csl", required=True) or course.csl
        course.csl_pos = keys["csl"].pos
    if "paper" in keys:
        paper(r, keys["paper"], course)


def iso_date(r: Reader, node: Node) -> str:
    value = r.text(node, "date", required=True, typed=True)
    if value is None:
        return ""
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        r.error(node.pos, f"date '{value}' is not an ISO date like 2026-11-24")
        return ""


def lang(r: Reader, node: Node, course: Course) -> None:
    tag = r.text(node, "lang", required=True)
    if tag is not None and not _looks_like_lang(tag):
        r.error(node.pos, f"lang '{tag}' is not a BCP 47 language tag (like en, en-GB, fr, de)")
    elif tag:
        course.lang = tag


def _looks_like_lang(tag: str) -> bool:
    parts = tag.split("-")
    return 2 <= len(parts[0]) <= 3 and parts[0].isalpha() and all(p.isalnum() and 1 <= len(p) <= 8 for p in parts)


def paper(r: Reader, node: Node, course: Course) -> None:
    size = r.text(node, "paper", required=True)
    if size is None:
        return
    match = {s.lower(): s for s in PAPER_SIZES}.get(size.lower())
    if match is None:
        r.error(node.pos, f"paper must be A4 or letter, not '{size}'")
    else:
        course.paper = match


def bibliography(r: Reader, bib: Node | None) -> list[Path]:
    """`bibliography: file` or a list of files: CSL-YAML, CSL-JSON or BibTeX inside the course folder."""
    files: list[Path] = []
    for node in bib.value if bib is not None and isinstance(bib.value, list) else ([bib] if bib else []):
        path = r.course_path(node, "the bibliography file")
        if path is None:
            continue
        if path.suffix.lower() not in BIBLIOGRAPHY_SUFFIXES:
            r.error(node.pos, f"the bibliography '{node.value}' must be CSL-YAML (.yaml), "
                              "CSL-JSON (.json) or BibTeX (.bib)")
        else:
            files.append(path)
    return files


def outputs(r: Reader, node: Node) -> list[str]:
    """`outputs:` the kinds of output to build, each once."""
    kinds: list[str] = []
    for item in r.list(node, "outputs"):
        name = r.text(item, "each output", True)
        if name is None:
            continue
        if name not in OUTPUT_KINDS:
            close = difflib.get_close_matches(name, OUTPUT_KINDS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            r.error(item.pos, f"unknown output '{name}'{hint} (outputs are {', '.join(OUTPUT_KINDS)})")
        elif name not in kinds:
            kinds.append(name)
    return kinds


MAX_ID_BYTES = 200  # a lecture id is part of output file names; most file systems allow 255 bytes


def lectures(r: Reader, node: Node | None, course: Course) -> None:
    """Each lecture file listed, loaded; a lecture id (its file name) used twice is an error."""
    seen: dict[str, Pos] = {}
    listed: set[Path] = set()
    for item in r.list(node, "lectures"):
        path = r.course_path(item, "the lecture file")
        if path is None:
            continue
        listed.add(path)
        lecture_id = path.stem
        if lecture_id in seen:
            r.error(item.pos, f"the lecture id '{lecture_id}' is used twice (also at line "
                              f"{seen[lecture_id].line}): each lecture file needs its own name")
            continue
        seen[lecture_id] = item.pos
        if len(lecture_id.encode("utf-8")) > MAX_ID_BYTES:
            r.error(item.pos, f"the lecture file name '{path.name[:40]}…' is {len(lecture_id.encode('utf-8'))} "
                              f"bytes long: its name becomes the outputs' names (slides/NAME.html, "
                              f"NAME-handout.pdf), which may be at most {MAX_ID_BYTES} bytes: rename the file")
            continue
        one = lecture(r, path, lecture_id)
        if one is not None:
            course.lectures.append(one)
    course.listed_ids = set(seen)  # type: ignore[attr-defined]  # loaded or not: validate skips broken ones
    if node is not None and not node.value:
        r.error(node.pos, "the course has no lectures: list at least one lecture file")
    unlisted(r, {lecture.path for lecture in course.lectures} | listed)


def unlisted(r: Reader, listed: set[Path]) -> None:
    """A lecture file in lectures/ that course.yaml does not list is built by nobody: say so."""
    folder = r.root / "lectures"
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
    except OSError:
        return
    for path in files:
        if path.resolve() not in listed:
            rel = path.relative_to(r.root).as_posix()
            r.warn(Pos(r.display(path), 1, 1), "this lecture file is not listed under `lectures:` in course.yaml, "
                                               f"so nothing is built from it: add `- {rel}` there, or move the "
                                               "file out of lectures/")


def timeline_and_glossary(r: Reader, keys: dict[str, Node], course: Course) -> None:
    if "timeline" in keys:
        path = r.course_path(keys["timeline"], "the timeline file")
        if path is not None:
            course.timeline = timeline(r, path)
    if "glossary" in keys:
        path = r.course_path(keys["glossary"], "the glossary file")
        if path is not None:
            course.glossary = glossary(r, path)
