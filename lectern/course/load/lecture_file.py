"""A lecture file: its keys, sections, footnotes and further reading; reused from `kept` while unchanged."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..model import Lecture, Md, Section
from ..shapes import LECTURE, SECTION
from ..yamlnodes import MAX_YAML_BYTES, Node, read_yaml
from . import kept
from .reader import Reader
from .slides import slide

LECTURE_KEYS = LECTURE.keys
SECTION_KEYS = SECTION.keys


def lecture(r: Reader, path: Path, lecture_id: str) -> Lecture | None:
    """A lecture file, or the object loaded from it before when neither it nor the files it names changed."""
    display = r.display(path)
    raw = _read_once(path)  # the bytes fingerprinted are the bytes parsed, even if the file changes now
    digest = hashlib.sha256(raw).hexdigest() if raw is not None else None
    key = (str(path), lecture_id, display, str(r.root))
    before = kept.found(key, digest)
    if before is not None:
        r.problems += before.problems
        return before.lecture
    start, r.touched = len(r.problems), []
    try:
        loaded = _lecture(r, path, lecture_id, display, raw)
    finally:
        touched, r.touched = r.touched, None
    if digest is not None:
        kept.keep(key, digest, loaded, r.problems[start:], touched)
    return loaded


def _read_once(path: Path) -> bytes | None:
    """The file's bytes, or None when it is too large or unreadable (read_yaml then says what is wrong)."""
    try:
        if path.stat().st_size <= MAX_YAML_BYTES:
            return path.read_bytes()
    except OSError:
        pass
    return None


def _lecture(r: Reader, path: Path, lecture_id: str, display: str, raw: bytes | None = None) -> Lecture | None:
    parsed = read_yaml(path, display, raw)
    r.problems += parsed.problems
    if parsed.root is None:
        return None
    keys = r.mapping(parsed.root, LECTURE_KEYS, LECTURE.required, f"the lecture '{lecture_id}'")
    if keys is None:
        return None
    title = r.md(keys.get("title"), "the lecture title", required=True) or Md("", parsed.root.pos)
    out = Lecture(id=lecture_id, path=path, title=title, pos=parsed.root.pos)
    out.subtitle = r.md(keys.get("subtitle"), "subtitle")
    out.duration = r.integer(keys.get("duration"), "duration (minutes)")
    out.summary = r.md(keys.get("summary"), "summary")
    out.objectives = r.md_list(keys.get("objectives"), "objectives")
    sections(r, keys.get("sections"), out)
    footnotes(r, keys.get("footnotes"), out)
    further_reading(r, keys.get("further_reading"), out)
    return out


MAX_SLIDES = 5000  # in one lecture (docs/format.md): a lecture has dozens; the handout and the guide chapter
# of one are laid out in pieces (print/printparts, print/chapterpieces): 2,000 slides peak under 0.4 GB


def sections(r: Reader, node: Node | None, out: Lecture) -> None:
    for item in r.list(node, "sections"):
        one = section(r, item)
        if one is not None:
            out.sections.append(one)
    slides = [s for sec in out.sections for s in sec.slides]
    if len(slides) > MAX_SLIDES:
        r.error(slides[MAX_SLIDES].pos, f"the lecture has {len(slides):,} slides; a lecture may have at most "
                f"{MAX_SLIDES} (this is slide {MAX_SLIDES + 1}): split it into several lectures")
    if node is not None and node.value is not None and not node.value:
        r.error(node.pos, "the lecture has no sections: add at least one")


def section(r: Reader, node: Node) -> Section | None:
    keys = r.mapping(node, SECTION_KEYS, SECTION.required, "a section")
    if keys is None:
        return None
    title = r.md(keys.get("title"), "the section title", required=True) or Md("", node.pos)
    out = Section(title=title, pos=node.pos)
    out.reading = r.md(keys.get("reading"), "reading")
    out.questions = r.md_list(keys.get("questions"), "questions")
    for slide_node in r.list(keys.get("slides"), "slides"):
        one = slide(r, slide_node)
        if one is not None:
            out.slides.append(one)
    return out


def footnotes(r: Reader, node: Node | None, out: Lecture) -> None:
    """`footnotes:` a mapping of label: Markdown text."""
    if node is None or node.value is None:
        return
    if not isinstance(node.value, dict):
        r.error(node.pos, f"footnotes must be a mapping of label: text, not {node.kind}")
        return
    for label, value in node.value.items():
        md = r.md(value, f"the footnote '{label}'", required=True)
        if md is not None:
            out.footnotes[label] = md


def further_reading(r: Reader, node: Node | None, out: Lecture) -> None:
    """`further_reading:` a list of citation keys, each written "@key"."""
    for item in r.list(node, "further_reading"):
        key = r.text(item, "each further reading", required=True)
        if key is None:
            continue
        key = key.strip()
        if not key.startswith("@") or len(key) < 2:
            r.error(item.pos, f"further reading '{key}' must be a citation key like \"@kapcia2014\" "
                              "(quoted, because @ cannot start a plain YAML value)")
            continue
        out.further_reading.append((key[1:], item.pos))
