"""Hypothesis strategies that generate and mutate whole courses, and the clean-outcome assertions.

Shared by tests/test_fuzz.py and tests/test_hostile.py. A "clean outcome" is exit 0 (built or
checked), or exit 1 with every line `path:line:column: message` and the count line last.
"""
from __future__ import annotations

import re
import string
import traceback
from dataclasses import dataclass
from pathlib import Path

import yaml
from click.testing import CliRunner, Result
from hypothesis import strategies as st

from lectern.cli import main

PROBLEM_LINE = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+): (warning: )?\S")
SUMMARY_LINE = re.compile(r"^\d+ problems? found; nothing was written\.$")

REFERENCES = """\
- id: k1
  type: book
  author: [{family: Cushion, given: Steve}]
  issued: {date-parts: [[2016]]}
  title: A Hidden History
  publisher: Monthly Review Press
- id: k2
  type: article-journal
  author: [{family: González, given: Mike}]
  issued: {date-parts: [[2016]]}
  title: "The new Cuba: <i>myths</i> & realities"
  container-title: International Socialism
"""

# ---------------------------------------------------------------------------------- strategies
MD_SNIPPETS = [
    "[@k1]", "[@k1, p. 3]", "[see @k1, ch. 2; -@k2]", "@k1", "@k2's", "@nokey", "[@nokey]", "@", "[@", "[-@k1]",
    "^[", "^[a note]", "^[note with [@k1] and *em*]", "^[^[nested]]", "[^a]", "[^b]", "[^", "[^a", "]", "[", "\\",
    "\\[@k1]", "*", "**", "_", "`", "``@k1``", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))", "<javascript:alert(1)>", "![i](x.png)", "[l](http://e.com)", "\n", "\n\n", "# ",
    "- ", "1. ", "> ", "    ", "```", "&amp;", "&#0;", "&#x110000;", '"', "'", "--", "---", "...", "|", "\t",
    "\u202e", "\u200b", "\ufeff", "ﷺ", "𝔘𝔫𝔦", "😀👍🏽", "ﾟ", "مرحبا", "שלום", "中文", "日本語", "한국어", "ไทย",
    "हिन्दी", "Ελληνικά", "кириллица", "a\u0301", "\u0000", "\x85", "\u2028",
]

scalar_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
markdown = st.lists(st.one_of(st.sampled_from(MD_SNIPPETS), scalar_text), max_size=8).map("".join)
plain_words = st.text(string.ascii_letters + " ", min_size=1, max_size=12).filter(str.strip)

any_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10, 10 ** 20), st.floats(allow_nan=True), markdown,
              st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(st.sampled_from(["title", "text", "points", "src", "x"]),
                                                      scalar_text), inner, max_size=3)),
    max_leaves=8,
)


def maybe(good):
    """Usually the good value; sometimes any YAML value at all; sometimes absent (None key dropped)."""
    return st.one_of(good, good, good, any_value, st.just(DROP))


DROP = object()


def mapping(**fields) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({k: maybe(v) for k, v in fields.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not DROP})


point = st.recursive(markdown, lambda inner: mapping(text=markdown, points=st.lists(inner, max_size=3)),
                     max_leaves=4)
chart = mapping(type=st.sampled_from(["bar", "line", "pie"]),
                data=st.one_of(st.just("data/d.csv"), st.just("../d.csv"), st.just("/etc/passwd"),
                               mapping(columns=st.just(["year", "v"]),
                                       rows=st.lists(st.lists(st.one_of(st.integers(), st.floats(), scalar_text),
                                                              min_size=2, max_size=2), max_size=4))),
                x=st.sampled_from(["year", "nope"]), y=st.one_of(st.just("v"), st.just(["v", "w"])),
                title=scalar_text, unit=scalar_text, caption=markdown, source=markdown)
image = mapping(src=st.sampled_from(["images/p.png", "images/e.svg", "images/none.png", "../x.png", "/etc/hosts",
                                     "http://e.com/x.png", "data/d.csv", "images/link.png"]),
                alt=scalar_text, caption=markdown)
slide = mapping(title=markdown, points=st.lists(point, max_size=4), build=st.booleans(),
                quote=mapping(text=markdown, source=markdown), image=image, chart=chart,
                timeline=mapping(**{"from": st.integers(1900, 2000), "to": st.integers(1900, 2000)}),
                notes=markdown)
section = mapping(title=markdown, reading=markdown, slides=st.lists(slide, max_size=3),
                  questions=st.lists(markdown, max_size=2))
lecture = mapping(title=markdown, subtitle=markdown, duration=st.integers(-5, 500), summary=markdown,
                  objectives=st.lists(markdown, max_size=2), sections=st.lists(section, min_size=1, max_size=3),
                  footnotes=st.dictionaries(st.sampled_from(["a", "b", "c d", "ü"]), markdown, max_size=3),
                  further_reading=st.lists(st.sampled_from(["@k1", "@k2", "@zz", "k1", "@"]), max_size=2))
course_meta = mapping(title=markdown, subtitle=markdown, author=st.one_of(plain_words, st.lists(plain_words)),
                      institution=scalar_text, date=st.one_of(st.dates(), scalar_text),
                      lang=st.sampled_from(["en", "en-US", "fr", "de", "ar", "zz-Latn", "x", "ja"]),
                      bibliography=st.sampled_from(["references.yaml", ["references.yaml"], "nope.bib",
                                                    "../references.yaml"]),
                      csl=st.sampled_from(["chicago-author-date", "apa", "nope", "../x.csl"]),
                      paper=st.sampled_from(["A4", "letter", "a5"]),
                      timeline=st.just("timeline.yaml"), glossary=st.just("glossary.yaml"),
                      outputs=st.lists(st.sampled_from(["deck", "guide", "handouts", "bogus"]), max_size=3))
timeline = st.lists(mapping(date=st.sampled_from(["1953", "1956-12-03", "1959-13", "19x9"]), event=markdown,
                            lecture=st.sampled_from(["l1", "l2", "zz"])), max_size=3)
glossary = st.lists(mapping(term=scalar_text, definition=markdown, lecture=st.sampled_from(["l1", "zz"])),
                    max_size=3)


@dataclass
class CourseFiles:
    """A generated course: its files by relative path (str or bytes)."""

    files: dict[str, str | bytes]

    def write(self, root: Path) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        for rel, data in self.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, "utf-8")
        return root


PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360f8cfc0f00f0005ff02fe0b1ea2ba0000000049454e44ae426082")
HOSTILE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">'
               '<script>alert(2)</script><a xlink:href="javascript:alert(3)"><rect width="10" height="10" '
               'onclick="alert(4)"/></a><foreignObject><iframe src="http://e.com"/></foreignObject></svg>')


def dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@st.composite
def courses(draw) -> CourseFiles:
    """A whole course: course.yaml, one to three lectures, bibliography, timeline, glossary, data."""
    n = draw(st.integers(1, 3))
    lecture_files = [f"lectures/l{i + 1}.yaml" for i in range(n)]
    meta = draw(course_meta)
    meta["lectures"] = draw(st.one_of(st.just(lecture_files), st.just(lecture_files), any_value,
                                      st.just(lecture_files + ["lectures/missing.yaml"]),
                                      st.just(lecture_files + lecture_files[:1])))
    files: dict[str, str | bytes] = {"course.yaml": dump(meta), "references.yaml": REFERENCES,
                                     "timeline.yaml": dump(draw(timeline)), "glossary.yaml": dump(draw(glossary)),
                                     "data/d.csv": "year,v\n1990,1\n1991,2.5\n", "images/p.png": PNG_1PX,
                                     "images/e.svg": HOSTILE_SVG}
    for rel in lecture_files:
        files[rel] = dump(draw(lecture))
    return CourseFiles(files)


@st.composite
def mutated(draw, base: dict[str, str]) -> CourseFiles:
    """A known-good course's text with characters inserted, deleted or replaced at random places."""
    files = dict(base)
    for _ in range(draw(st.integers(1, 4))):
        rel = draw(st.sampled_from(sorted(k for k, v in files.items() if isinstance(v, str))))
        text = files[rel]
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 6))
        insert = draw(st.one_of(st.sampled_from(["", ":", "- ", "\n", "  ", "'", '"', "[", "{", "}", "&a", "*a",
                                                 "!!python/object:os.system", "!x", "? ", "|", ">", "#", "\t",
                                                 "\ufeff", "%YAML 1.1\n", "---\n", "<<: *a", "@", "^["]),
                                scalar_text))
        files[rel] = text[:at] + insert + text[at + cut:]
    return CourseFiles(files)


def read_fixture(root: Path) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            rel = str(path.relative_to(root))
            data = path.read_bytes()
            try:
                out[rel] = data.decode("utf-8")
            except UnicodeDecodeError:
                out[rel] = data
    return out


# ---------------------------------------------------------------------------------- running
def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, catch_exceptions=True)


def assert_clean(result: Result, allowed: tuple[int, ...] = (0, 1)) -> None:
    """No traceback; exit status allowed; on exit 1 every line is `path:line:column: message`."""
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        raise AssertionError(f"traceback instead of a clean report:\n{tb}\noutput:\n{result.output}")
    assert result.exit_code in allowed, (result.exit_code, result.output)
    if result.exit_code == 1:
        lines = result.stderr.rstrip("\n").split("\n")
        if SUMMARY_LINE.match(lines[-1]):
            bad = [line for line in lines[:-1] if not PROBLEM_LINE.match(line)]
            assert not bad, f"lines not in path:line:column form: {bad!r}\nfull output:\n{result.stderr}"
        else:  # a single non-content error (output folder, render): one clear line, no traceback
            assert "Traceback" not in result.output, result.output
            assert result.stderr.startswith("Error: ") or PROBLEM_LINE.match(lines[0]), result.stderr


# ---------------------------------------------------------------------------------- valid courses
SAFE_SNIPPETS = [s + " " if s.endswith(("@k1", "@k2")) else s for s in MD_SNIPPETS
                 if "nokey" not in s and s not in ("[^b]", "^[^[nested]]", "[^", "[^a")
                 # each of these is (alone or beside a neighbour) a reported mistake, not wild text:
                 # a link to a file beside the source, a fence inside a point, "@" + word = unknown key,
                 # "^[" + "^[a note]" = a note inside a note
                 and s not in ("![i](x.png)", "```", "@", "[@", "^[")]
safe_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="@"), max_size=12)
safe_markdown = st.lists(st.one_of(st.sampled_from(SAFE_SNIPPETS), safe_text), max_size=8).map("".join)
title_text = st.one_of(safe_text.filter(str.strip), safe_markdown.filter(str.strip))


def fields(**kw) -> st.SearchStrategy[dict]:
    """A mapping whose keys are each present or absent, but always with a well-formed value."""
    return st.fixed_dictionaries({}, optional=kw)


safe_point = st.recursive(safe_markdown.filter(str.strip),
                          lambda inner: st.fixed_dictionaries({"text": safe_markdown.filter(str.strip)},
                                                              optional={"points": st.lists(inner, max_size=3)}),
                          max_leaves=4)
safe_slide = st.fixed_dictionaries({"title": title_text}, optional={
    "points": st.lists(safe_point, max_size=4), "build": st.booleans(),
    "quote": fields(text=safe_markdown.filter(str.strip), source=safe_markdown).filter(lambda q: "text" in q),
    "image": st.fixed_dictionaries({"src": st.sampled_from(["images/p.png", "images/e.svg"]),
                                    "alt": safe_text.filter(str.strip)}, optional={"caption": safe_markdown}),
    "notes": safe_markdown,
}).flatmap(lambda s: st.one_of(st.just(s), st.just(s) if "image" in s else st.builds(lambda c: {**s, "chart": c}, st.fixed_dictionaries({
    "type": st.sampled_from(["bar", "line"]), "x": st.just("year"), "y": st.just("v"),
    "data": st.one_of(st.just("data/d.csv"),
                      st.builds(lambda rows: {"columns": ["year", "v"], "rows": rows},
                                st.lists(st.tuples(st.one_of(st.integers(1900, 2100), safe_text),
                                                   st.one_of(st.integers(-10 ** 9, 10 ** 9),
                                                             st.floats(-1e12, 1e12))).map(list), max_size=6)))},
    optional={"title": safe_text, "unit": safe_text, "caption": safe_markdown, "source": safe_markdown}))))
safe_section = st.fixed_dictionaries({"title": title_text, "slides": st.lists(safe_slide, min_size=1, max_size=3)},
                                     optional={"reading": safe_markdown.filter(str.strip),
                                               "questions": st.lists(safe_markdown.filter(str.strip), max_size=2)})
safe_lecture = st.fixed_dictionaries(
    {"title": title_text, "sections": st.lists(safe_section, min_size=1, max_size=3),
     "footnotes": st.fixed_dictionaries({"a": safe_markdown.filter(str.strip)})},
    optional={"subtitle": safe_markdown, "duration": st.integers(1, 300), "summary": safe_markdown,
              "objectives": st.lists(safe_markdown.filter(str.strip), max_size=2),
              "further_reading": st.lists(st.sampled_from(["@k1", "@k2"]), max_size=2)})


@st.composite
def valid_courses(draw) -> CourseFiles:
    """Well-formed courses whose Markdown text is wild: most pass `check` and go on to build."""
    n = draw(st.integers(1, 2))
    lecture_files = [f"lectures/l{i + 1}.yaml" for i in range(n)]
    meta = {"title": draw(title_text), "author": draw(st.one_of(safe_text.filter(str.strip),
                                                                 st.lists(safe_text.filter(str.strip), max_size=3))),
            "bibliography": "references.yaml", "lectures": lecture_files, "timeline": "timeline.yaml",
            "glossary": "glossary.yaml"}
    meta.update(draw(fields(subtitle=safe_markdown, institution=safe_text, date=st.dates(),
                            lang=st.sampled_from(["en", "en-US", "fr", "de", "ar", "ja", "ru", "pl"]))))
    tl = draw(st.lists(st.fixed_dictionaries({"date": st.sampled_from(["1953", "1956-12-03", "1959-01"]),
                                              "event": safe_markdown.filter(str.strip)}), max_size=3))
    gl = draw(st.lists(st.fixed_dictionaries({"term": safe_text.filter(str.strip),
                                              "definition": safe_markdown.filter(str.strip)}), max_size=3))
    files: dict[str, str | bytes] = {"course.yaml": dump(meta), "references.yaml": REFERENCES,
                                     "timeline.yaml": dump(tl), "glossary.yaml": dump(gl),
                                     "data/d.csv": "year,v\n1990,1\n1991,2.5\n", "images/p.png": PNG_1PX,
                                     "images/e.svg": HOSTILE_SVG}
    for rel in lecture_files:
        lec = draw(safe_lecture)
        if "[^a]" not in dump(lec):  # keep the labelled note called, or it is only a warning anyway
            lec["sections"][0]["slides"][0]["title"] += "[^a]"
        files[rel] = dump(lec)
    return CourseFiles(files)


def assert_report(message: str) -> None:
    """A ContentError's text: every line `path:line:column: message`, then the count line."""
    lines = message.rstrip("\n").split("\n")
    assert SUMMARY_LINE.match(lines[-1]), message
    bad = [line for line in lines[:-1] if not PROBLEM_LINE.match(line)]
    assert not bad, f"lines not in path:line:column form: {bad!r}\n{message}"


# ---------------------------------------------------------------------------------- HTML safety
from html.parser import HTMLParser  # noqa: E402

URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background", "srcset"}


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.stack: list[str] = []
        self.script_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed", "foreignobject", "base", "meta") and tag != "meta":
            self.found.append(f"<{tag}> element")
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs):
            self.found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event attribute {name}={value!r} on <{tag}>")
            v = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in URL_ATTRS and v.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"{name}={value!r} on <{tag}>")
        if tag == "script":
            self.script_depth += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self.script_depth = max(0, self.script_depth - 1)

    def handle_data(self, data):
        if self.script_depth and "alert(" in data:
            self.found.append(f"course text inside a <script>: {data[:80]!r}")


def unsafe_html(html: str) -> list[str]:
    """What in a rendered page would run a course author's script (event attributes, javascript:
    URLs, injected <script> content, frames). The theme's own runtime never calls alert()."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.found
