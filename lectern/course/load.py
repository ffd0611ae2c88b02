"""Load stage: a course folder's YAML files become the typed model, with every problem found on the way."""
from __future__ import annotations

import difflib
import functools
import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ..state import usercache
from .model import (Chart, Course, GlossaryEntry, Image, Lecture, Md, Point, Pos, Quote, Section, Slide,
    Table, TimelineEvent, TimelineSpan, OUTPUT_KINDS)
from ..problems import Problem
from .yamlnodes import MAX_YAML_BYTES, Node, one_line, read_yaml

COURSE_KEYS = {"title", "subtitle", "author", "institution", "date", "lang", "bibliography", "csl", "paper",
               "lectures", "timeline", "glossary", "outputs"}
LECTURE_KEYS = {"title", "subtitle", "duration", "summary", "objectives", "sections", "footnotes", "further_reading"}
SECTION_KEYS = {"title", "reading", "slides", "questions"}
SLIDE_KEYS = {"title", "points", "build", "quote", "image", "chart", "notes", "timeline"}
POINT_KEYS = {"text", "points"}
QUOTE_KEYS = {"text", "source"}
IMAGE_KEYS = {"src", "alt", "caption"}
CHART_KEYS = {"type", "title", "data", "x", "y", "unit", "caption", "source"}
TABLE_KEYS = {"columns", "rows"}
SPAN_KEYS = {"from", "to"}
EVENT_KEYS = {"date", "event", "lecture"}
GLOSSARY_KEYS = {"term", "definition", "lecture"}


@dataclass
class Loader:
    """Reads one course; `problems` collects everything wrong instead of stopping at the first."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    touched: list | None = None  # while loading a lecture: the files it names (see `_Kept`)

    # ---- helpers -------------------------------------------------------------------------
    def display(self, path: Path) -> str:
        """How a file is named in messages: relative to the working folder when inside it."""
        return display_path(path)

    def error(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, message))

    def warn(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, message, "warning"))

    def mapping(self, node: Node, allowed: set[str], required: tuple[str, ...], what: str) -> dict[str, Node] | None:
        """Check a mapping's keys: required present, unknown ones named with a suggestion."""
        if not isinstance(node.value, dict):
            self.error(node.pos, f"{what} must be a mapping of keys (like `title: ...`), not {node.kind}")
            return None
        for key, value in node.value.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(allowed))}"
                self.error(getattr(value, "key_pos", value.pos), f"unknown key '{key}' in {what}{hint}")
        for key in required:
            if key not in node.value:
                self.error(node.pos, f"{what} is missing the required key '{key}'")
        return node.value

    def text(self, node: Node | None, what: str, required: bool = False) -> str | None:
        if node is None:
            return None
        if node.value is None:
            if required:
                self.error(node.pos, f"{what} is empty: write a value")
            return None
        if isinstance(node.value, (dict, list)) or isinstance(node.value, bool):
            self.error(node.pos, f"{what} must be text, not {node.kind}")
            return None
        return str(node.value)

    def md(self, node: Node | None, what: str, required: bool = False) -> Md | None:
        value = self.text(node, what, required)
        if value is None:
            return None
        return Md(value, node.pos, block=node.style in ("|", ">"), indent=node.indent)

    def md_list(self, node: Node | None, what: str) -> list[Md]:
        items = self.list(node, what)
        return [m for m in (self.md(item, f"each of {what}") for item in items) if m is not None]

    def list(self, node: Node | None, what: str) -> list[Node]:
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            self.error(node.pos, f"{what} must be a list (lines starting with '- '), not {node.kind}")
            return []
        return node.value

    def integer(self, node: Node | None, what: str) -> int | None:
        if node is None or node.value is None:
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value <= 0:
            self.error(node.pos, f"{what} must be a whole number greater than 0, not {node.value!r}")
            return None
        return node.value

    def course_path(self, node: Node, what: str) -> Path | None:
        """A relative path inside the course folder; absolute paths, URLs and escapes are errors."""
        value = self.text(node, what, required=True)
        if value is None:
            return None
        if "://" in value or value.startswith(("data:", "javascript:")):
            self.error(node.pos, f"{what} '{value}' is a URL: Lectern reads only files inside the course folder")
            return None
        candidate = Path(value)
        if candidate.is_absolute():
            self.error(node.pos, f"{what} '{value}' is an absolute path: give a path relative to the course folder")
            return None
        full = (self.root / candidate)
        try:
            resolved = full.resolve()
            resolved.relative_to(self.root.resolve())
        except (ValueError, OSError, RuntimeError):
            self.error(node.pos, f"{what} '{value}' leads outside the course folder: keep course files inside it")
            return None
        exists = resolved.is_file()
        if self.touched is not None:
            self.touched.append((full, resolved, exists))
        if not exists:
            self.error(node.pos, f"{what} '{value}' does not exist (looked for {self.display(full)})")
            return None
        return resolved

    # ---- the course ----------------------------------------------------------------------
    def load(self) -> Course | None:
        course_file = self.root / "course.yaml"
        display = self.display(course_file)
        if not course_file.is_file():
            self.error(Pos(display, 1, 1), "there is no course.yaml here: is this a course folder? "
                                           "(`python build.py new DIR` writes a course to start from)")
            return None
        parsed = read_yaml(course_file, display)
        self.problems += parsed.problems
        if parsed.root is None:
            return None
        keys = self.mapping(parsed.root, COURSE_KEYS, ("title", "author", "lectures"), "course.yaml")
        if keys is None:
            return None
        title = self.md(keys.get("title"), "the course title", required=True) or Md("", parsed.root.pos)
        authors_node = keys.get("author")
        authors: list[str] = []
        if authors_node is not None:
            if isinstance(authors_node.value, list):
                authors = [a for a in (self.text(n, "each author", True) for n in authors_node.value) if a]
            else:
                one = self.text(authors_node, "author", required=True)
                authors = [one] if one else []
        course = Course(root=self.root, title=title, authors=authors, pos=parsed.root.pos)
        course.subtitle = self.md(keys.get("subtitle"), "subtitle")
        course.institution = self.text(keys.get("institution"), "institution") or ""
        if "date" in keys:
            course.date = self.iso_date(keys["date"])
        if "lang" in keys:
            lang = self.text(keys["lang"], "lang", required=True)
            if lang is not None and not _looks_like_lang(lang):
                self.error(keys["lang"].pos, f"lang '{lang}' is not a BCP 47 language tag (like en, en-GB, fr, de)")
            elif lang:
                course.lang = lang
        if "csl" in keys:
            course.csl = self.text(keys["csl"], "csl", required=True) or course.csl
            course.csl_pos = keys["csl"].pos
        if "paper" in keys:
            paper = self.text(keys["paper"], "paper", required=True)
            if paper is not None:
                match = {"a4": "A4", "letter": "letter"}.get(paper.lower())
                if match is None:
                    self.error(keys["paper"].pos, f"paper must be A4 or letter, not '{paper}'")
                else:
                    course.paper = match
        bib = keys.get("bibliography")
        bib_nodes = bib.value if bib is not None and isinstance(bib.value, list) else ([bib] if bib else [])
        for node in bib_nodes:
            path = self.course_path(node, "the bibliography file")
            if path is not None:
                if path.suffix.lower() not in (".yaml", ".yml", ".json", ".bib"):
                    self.error(node.pos, f"the bibliography '{node.value}' must be CSL-YAML (.yaml), "
                                         "CSL-JSON (.json) or BibTeX (.bib)")
                else:
                    course.bibliography.append(path)
        if "outputs" in keys:
            outputs = []
            for node in self.list(keys["outputs"], "outputs"):
                name = self.text(node, "each output", True)
                if name is None:
                    continue
                if name not in OUTPUT_KINDS:
                    close = difflib.get_close_matches(name, OUTPUT_KINDS, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    self.error(node.pos, f"unknown output '{name}'{hint} (outputs are {', '.join(OUTPUT_KINDS)})")
                elif name not in outputs:
                    outputs.append(name)
            course.outputs = outputs
        templates = self.root / "templates"
        course.templates = templates if templates.is_dir() else None
        seen: dict[str, Pos] = {}
        for node in self.list(keys.get("lectures"), "lectures"):
            path = self.course_path(node, "the lecture file")
            if path is None:
                continue
            lecture_id = path.stem
            if lecture_id in seen:
                self.error(node.pos, f"the lecture id '{lecture_id}' is used twice (also at line "
                                     f"{seen[lecture_id].line}): each lecture file needs its own name")
                continue
            seen[lecture_id] = node.pos
            lecture = self.lecture(path, lecture_id)
            if lecture is not None:
                course.lectures.append(lecture)
        course.listed_ids = set(seen)  # type: ignore[attr-defined]  # loaded or not: validate skips broken ones
        if "lectures" in keys and not keys["lectures"].value:
            self.error(keys["lectures"].pos, "the course has no lectures: list at least one lecture file")
        if "timeline" in keys:
            path = self.course_path(keys["timeline"], "the timeline file")
            if path is not None:
                course.timeline = self.timeline(path)
        if "glossary" in keys:
            path = self.course_path(keys["glossary"], "the glossary file")
            if path is not None:
                course.glossary = self.glossary(path)
        return course

    def iso_date(self, node: Node) -> str:
        import datetime
        value = self.text(node, "date", required=True)
        if value is None:
            return ""
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            self.error(node.pos, f"date '{value}' is not an ISO date like 2026-11-24")
            return ""

    # ---- a lecture -----------------------------------------------------------------------
    def lecture(self, path: Path, lecture_id: str) -> Lecture | None:
        """A lecture file, or the object loaded from it before when neither it nor the files it names changed."""
        display = self.display(path)
        raw = None  # read once: the bytes fingerprinted are the bytes parsed, even if the file changes now
        try:
            if path.stat().st_size <= MAX_YAML_BYTES:
                raw = path.read_bytes()
        except OSError:
            pass  # read_yaml says what is wrong
        digest = hashlib.sha256(raw).hexdigest() if raw is not None else None
        key = (str(path), lecture_id, display, str(self.root))
        kept = _KEPT.get(key)
        if digest is not None and (kept is None or kept.digest != digest):
            kept = _read_kept(key, digest)  # an earlier build's load (and parse) of these bytes
            if kept is not None:
                _remember(key, kept)
        if digest is not None and kept is not None and kept.still(digest):
            self.problems += kept.problems
            return kept.lecture
        before, self.touched = len(self.problems), []
        try:
            lecture = self._lecture(path, lecture_id, display, raw)
        finally:
            touched, self.touched = self.touched, None
        if digest is not None:
            _remember(key, _Kept(digest, lecture, self.problems[before:], touched))
        return lecture

    def _lecture(self, path: Path, lecture_id: str, display: str, raw: bytes | None = None) -> Lecture | None:
        parsed = read_yaml(path, display, raw)
        self.problems += parsed.problems
        if parsed.root is None:
            return None
        keys = self.mapping(parsed.root, LECTURE_KEYS, ("title", "sections"), f"the lecture '{lecture_id}'")
        if keys is None:
            return None
        title = self.md(keys.get("title"), "the lecture title", required=True) or Md("", parsed.root.pos)
        lecture = Lecture(id=lecture_id, path=path, title=title, pos=parsed.root.pos)
        lecture.subtitle = self.md(keys.get("subtitle"), "subtitle")
        lecture.duration = self.integer(keys.get("duration"), "duration (minutes)")
        lecture.summary = self.md(keys.get("summary"), "summary")
        lecture.objectives = self.md_list(keys.get("objectives"), "objectives")
        for node in self.list(keys.get("sections"), "sections"):
            section = self.section(node)
            if section is not None:
                lecture.sections.append(section)
        if "sections" in keys and keys["sections"].value is not None and not keys["sections"].value:
            self.error(keys["sections"].pos, "the lecture has no sections: add at least one")
        notes = keys.get("footnotes")
        if notes is not None and notes.value is not None:
            if not isinstance(notes.value, dict):
                self.error(notes.pos, f"footnotes must be a mapping of label: text, not {notes.kind}")
            else:
                for label, value in notes.value.items():
                    md = self.md(value, f"the footnote '{label}'", required=True)
                    if md is not None:
                        lecture.footnotes[label] = md
        for node in self.list(keys.get("further_reading"), "further_reading"):
            key = self.text(node, "each further reading", required=True)
            if key is None:
                continue
            key = key.strip()
            if not key.startswith("@") or len(key) < 2:
                self.error(node.pos, f"further reading '{key}' must be a citation key like \"@kapcia2014\" "
                                     "(quoted, because @ cannot start a plain YAML value)")
                continue
            lecture.further_reading.append((key[1:], node.pos))
        return lecture

    def section(self, node: Node) -> Section | None:
        keys = self.mapping(node, SECTION_KEYS, ("title",), "a section")
        if keys is None:
            return None
        title = self.md(keys.get("title"), "the section title", required=True) or Md("", node.pos)
        section = Section(title=title, pos=node.pos)
        section.reading = self.md(keys.get("reading"), "reading")
        section.questions = self.md_list(keys.get("questions"), "questions")
        for slide_node in self.list(keys.get("slides"), "slides"):
            slide = self.slide(slide_node)
            if slide is not None:
                section.slides.append(slide)
        return section

    def slide(self, node: Node) -> Slide | None:
        keys = self.mapping(node, SLIDE_KEYS, ("title",), "a slide")
        if keys is None:
            return None
        title = self.md(keys.get("title"), "the slide title", required=True) or Md("", node.pos)
        slide = Slide(title=title, pos=node.pos)
        slide.points = self.points(keys.get("points"))
        if "build" in keys and keys["build"].value is not None:
            if not isinstance(keys["build"].value, bool):
                self.error(keys["build"].pos, f"build must be true or false, not {keys['build'].value!r}")
            else:
                slide.build = keys["build"].value
        if "quote" in keys:
            q = self.mapping(keys["quote"], QUOTE_KEYS, ("text",), "a quote")
            if q is not None:
                text = self.md(q.get("text"), "the quote text", required=True)
                if text is not None:
                    slide.quote = Quote(text, self.md(q.get("source"), "the quote source"))
        if "image" in keys:
            slide.image = self.image(keys["image"])
        if "chart" in keys:
            slide.chart = self.chart(keys["chart"])
        if "timeline" in keys:
            t = self.mapping(keys["timeline"], SPAN_KEYS, ("from", "to"), "a timeline span")
            if t is not None and "from" in t and "to" in t:
                start, end = self.year(t["from"]), self.year(t["to"])
                if start is not None and end is not None:
                    if start > end:
                        self.error(keys["timeline"].pos, f"the timeline span runs backwards ({start} to {end})")
                    else:
                        slide.timeline = TimelineSpan(start, end, keys["timeline"].pos)
        slide.notes = self.md(keys.get("notes"), "notes")
        return slide

    def year(self, node: Node) -> int | None:
        value = node.value
        if isinstance(value, str) and value[:4].isdigit():
            value = int(value[:4])
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(node.pos, f"a timeline year must be a year like 1959, not {value!r}")
            return None
        return value

    def points(self, node: Node | None, depth: int = 0) -> list[Point]:
        out = []
        for item in self.list(node, "points"):
            if isinstance(item.value, dict):
                keys = self.mapping(item, POINT_KEYS, ("text",), "a point with a sub-list")
                if keys is None:
                    continue
                text = self.md(keys.get("text"), "the point's text", required=True)
                if text is None:
                    continue
                if depth >= 2 and keys.get("points"):
                    self.error(keys["points"].pos, "points may nest two levels deep at most: a slide cannot show more")
                    continue
                out.append(Point(text, self.points(keys.get("points"), depth + 1)))
            else:
                text = self.md(item, "a point", required=True)
                if text is not None:
                    out.append(Point(text))
        return out

    def image(self, node: Node) -> Image | None:
        keys = self.mapping(node, IMAGE_KEYS, ("src", "alt"), "an image")
        if keys is None or "src" not in keys:
            return None
        alt = self.text(keys.get("alt"), "the image's alt text")
        if "alt" in keys and not (alt or "").strip():
            self.error(keys["alt"].pos, "the image's alt text is empty: describe the picture for readers who cannot see it")
        src = self.text(keys["src"], "the image path", required=True) or ""
        path = self.course_path(keys["src"], "the image")
        if path is not None and path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"):
            self.error(keys["src"].pos, f"the image '{src}' must be PNG, JPEG, GIF, WebP or SVG")
            path = None
        return Image(src=src, alt=alt or "", pos=node.pos, caption=self.md(keys.get("caption"), "caption"), path=path)

    def chart(self, node: Node) -> Chart | None:
        keys = self.mapping(node, CHART_KEYS, ("type", "data", "x", "y"), "a chart")
        if keys is None or not {"type", "data", "x", "y"} <= keys.keys():
            return None
        kind = self.text(keys["type"], "the chart type", required=True)
        if kind is not None and kind not in ("bar", "line"):
            self.error(keys["type"].pos, f"chart type must be bar or line, not '{kind}'")
            kind = None
        x = self.text(keys["x"], "the chart's x column", required=True)
        y_node = keys["y"]
        ys = [self.text(n, "each y column", True) for n in y_node.value] if isinstance(y_node.value, list) \
            else [self.text(y_node, "the chart's y column", True)]
        ys = [y for y in ys if y]
        if kind is None or x is None or not ys:
            return None
        chart = Chart(type=kind, x=x, y=ys, pos=node.pos)
        chart.title = self.text(keys.get("title"), "the chart title") or ""
        chart.unit = self.text(keys.get("unit"), "the chart unit") or ""
        chart.caption = self.md(keys.get("caption"), "caption")
        chart.source = self.md(keys.get("source"), "source")
        data = keys["data"]
        if isinstance(data.value, dict):
            t = self.mapping(data, TABLE_KEYS, ("columns", "rows"), "an inline chart table")
            if t is not None and "columns" in t and "rows" in t:
                columns = [str(c.value) for c in self.list(t["columns"], "columns")]
                rows = []
                for row in self.list(t["rows"], "rows"):
                    cells = self.list(row, "each row")
                    if len(cells) != len(columns):
                        self.error(row.pos, f"this row has {len(cells)} cells but there are {len(columns)} columns")
                        continue
                    rows.append([c.value for c in cells])
                chart.table = Table(columns, rows)
        else:
            path = self.course_path(data, "the chart data")
            if path is not None:
                if path.suffix.lower() != ".csv":
                    self.error(data.pos, f"chart data '{data.value}' must be a CSV file (.csv) or an inline table")
                else:
                    chart.data_path = str(path)
        return chart

    # ---- timeline and glossary -----------------------------------------------------------
    def top_list(self, path: Path, what: str) -> list[Node]:
        parsed = read_yaml(path, self.display(path))
        self.problems += parsed.problems
        if parsed.root is None:
            return []
        root = parsed.root
        if isinstance(root.value, dict) and len(root.value) == 1 and isinstance(next(iter(root.value.values())).value, list):
            root = next(iter(root.value.values()))  # allow `events: [...]` / `terms: [...]`
        return self.list(root, what)

    def timeline(self, path: Path) -> list[TimelineEvent]:
        events = []
        for node in self.top_list(path, "the timeline"):
            keys = self.mapping(node, EVENT_KEYS, ("date", "event"), "a timeline event")
            if keys is None or "date" not in keys or "event" not in keys:
                continue
            date = self.text(keys["date"], "the event's date", required=True)
            if date is None:
                continue
            if not _valid_partial_date(date):
                self.error(keys["date"].pos, f"the date '{date}' must be a year (1959), a month (1959-01) "
                                             "or a day (1959-01-01); quote it")
                continue
            event = self.md(keys["event"], "the event", required=True)
            if event is None:
                continue
            lecture = self.text(keys.get("lecture"), "the event's lecture")
            events.append(TimelineEvent(date, event, node.pos, lecture))
        return events

    def glossary(self, path: Path) -> list[GlossaryEntry]:
        entries = []
        for node in self.top_list(path, "the glossary"):
            keys = self.mapping(node, GLOSSARY_KEYS, ("term", "definition"), "a glossary entry")
            if keys is None or "term" not in keys or "definition" not in keys:
                continue
            term = self.text(keys["term"], "the term", required=True)
            definition = self.md(keys["definition"], "the definition", required=True)
            if term is None or definition is None:
                continue
            entries.append(GlossaryEntry(term, definition, node.pos, self.text(keys.get("lecture"), "the entry's lecture")))
        return entries


def _looks_like_lang(tag: str) -> bool:
    parts = tag.split("-")
    return 2 <= len(parts[0]) <= 3 and parts[0].isalpha() and all(p.isalnum() and 1 <= len(p) <= 8 for p in parts)


def _valid_partial_date(text: str) -> bool:
    import datetime
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


@dataclass
class _Kept:
    """A lecture as last loaded: reused while its file's bytes and the files it names are unchanged.

    `serve` loads the course after every save; re-reading an unchanged lecture's YAML (and, as
    `markup.parse_course` keeps its parse on the object, re-parsing its Markdown) is what made a
    save in a large course slow to show. A plain `build` loads each lecture once and gains nothing.
    """

    digest: str  # sha256 of the lecture file
    lecture: Lecture | None
    problems: list[Problem]
    touched: list[tuple[Path, Path, bool]]  # files the lecture names: (as written, resolved, was a file)

    saved: bool = False  # written to the user's cache with its parse (see `keep_parsed`)

    def still(self, digest: str) -> bool:
        if digest != self.digest:
            return False
        try:
            return all(full.resolve() == resolved and resolved.is_file() == exists
                       for full, resolved, exists in self.touched)
        except (OSError, RuntimeError):
            return False


_KEPT: dict[tuple[str, str, str, str], _Kept] = {}  # by (path, lecture id, display name, course root)
MAX_KEPT = 1024
KEPT_FILES = 512  # lectures kept in the user's cache folder between processes (the newest)
KEPT_FORMAT = 1  # the layout of a kept file (its contents follow the code: see `_code_stamp`)


def _remember(key: tuple, kept: _Kept) -> None:
    _KEPT.pop(key, None)
    while len(_KEPT) >= MAX_KEPT:
        _KEPT.pop(next(iter(_KEPT)))
    _KEPT[key] = kept


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """The code that shapes a kept lecture (the model, loading, parsing, markdown-it): a
    lecture kept by other code is never read back, whatever its version number says."""
    import markdown_it
    h = hashlib.blake2b(markdown_it.__version__.encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent
    names = ["course/model.py", "course/load.py", "course/yamlnodes.py", "text/markup.py", "text/mdrules.py"]
    names += sorted(p.relative_to(package).as_posix() for p in (package / "text" / "cite").glob("*.py"))
    for name in names:
        try:
            h.update((package / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()


def _kept_path(key: tuple, digest: str) -> Path:
    """A lecture's loaded-and-parsed form in this user's cache folder (never an output folder:
    it is unpickled, so it must come from nowhere anyone else writes), by file and bytes."""
    name = hashlib.blake2b(repr((KEPT_FORMAT, _code_stamp(), key, digest)).encode(), digest_size=16).hexdigest()
    return usercache.folder("lectures") / f"{name}.pkl"


def _read_kept(key: tuple, digest: str) -> _Kept | None:
    try:
        kept = pickle.loads(_kept_path(key, digest).read_bytes())
    except Exception:  # missing, unreadable, or written by another version of the model
        return None
    if not isinstance(kept, _Kept) or kept.digest != digest or kept.lecture is None or kept.lecture.parsed is None:
        return None
    return kept


def keep_parsed(course: Course) -> None:
    """Write each lecture loaded and parsed in this process to the user's cache, so the next
    build (a new process, after an edit elsewhere) neither reads its YAML nor parses its Markdown."""
    wrote = False
    ours = {id(lecture) for lecture in course.lectures}
    for key, kept in list(_KEPT.items()):
        lecture = kept.lecture
        if kept.saved or lecture is None or lecture.parsed is None or id(lecture) not in ours:
            continue
        try:
            data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, RecursionError):
            return
        if not usercache.keep(_kept_path(key, kept.digest), data):
            return
        kept.saved = True
        wrote = True
    if wrote:
        usercache.prune(usercache.folder("lectures"), "*.pkl", KEPT_FILES)


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def load_course(root: Path) -> tuple[Course | None, list[Problem]]:
    """Read a course folder into the model; returns the course (None if unreadable) and every problem."""
    loader = Loader(root.resolve() if root.exists() else root)
    course = loader.load()
    return course, [one_line(p) for p in loader.problems]
