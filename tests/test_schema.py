"""`lectern schema`: JSON Schemas from the loader's own table; the docs' examples and real courses pass them, mistakes do not."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from lectern.course.scaffold import new_course
from lectern.course.schema import schema_files, schemas

from helpers import ROOT, run_cli


class Yaml12Loader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (1.2 core): `no` and `on` are text, dates are text."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def validator(kind: str) -> jsonschema.Draft7Validator:
    schema = schemas()[f"{kind}.schema.json"]
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def errors(kind: str, text: str) -> list[str]:
    data = yaml.load(text, Loader=Yaml12Loader)
    found = []
    stack = list(validator(kind).iter_errors(data))
    while stack:  # an anyOf (a list file, a point) says why each of its choices failed
        e = stack.pop(0)
        found.append(f"{'/'.join(map(str, e.absolute_path))}: {e.message}")
        stack += e.context
    return found


def kind_of(path_or_comment: str) -> str | None:
    name = path_or_comment.strip("# \n").split()[0] if path_or_comment.strip("# \n") else ""
    if name.startswith("lectures/"):
        return "lecture"
    return {"course.yaml": "course", "timeline.yaml": "timeline", "glossary.yaml": "glossary"}.get(name)


def doc_examples() -> list[tuple[str, str, str]]:
    """Every ```yaml block of docs/format.md and README.md: (where, kind, text)."""
    out = []
    for doc in ("docs/format.md", "README.md"):
        text = (ROOT / doc).read_text("utf-8")
        for m in re.finditer(r"```yaml\n(.*?)```", text, re.S):
            block = m.group(1)
            first = block.split("\n", 1)[0]
            kind = kind_of(first) if first.startswith("#") else ("course" if re.search(r"(?m)^lectures:", block) else None)
            where = f"{doc}:{text[:m.start()].count(chr(10)) + 2}"
            assert kind is not None, f"{where}: say which file the example is, in its first line (`# timeline.yaml`)"
            out.append((where, kind, block))
    return out


EXAMPLES = doc_examples()


def test_the_docs_show_every_kind_of_file():
    assert {kind for _, kind, _ in EXAMPLES} == {"course", "lecture", "timeline", "glossary"}


@pytest.mark.parametrize("where, kind, text", EXAMPLES, ids=[w for w, _, _ in EXAMPLES])
def test_every_example_in_the_docs_validates(where, kind, text):
    assert errors(kind, text) == []


def course_files(root: Path) -> list[tuple[Path, str]]:
    found = [(root / "course.yaml", "course"), *((p, "lecture") for p in sorted((root / "lectures").glob("*.yaml")))]
    found += [(root / name, name.split(".")[0]) for name in ("timeline.yaml", "glossary.yaml") if (root / name).is_file()]
    return found


@pytest.mark.parametrize("which", ["content", "starter", "fixture"])
def test_courses_that_pass_check_strict_pass_the_schema(tmp_path, which):
    root = {"content": ROOT / "content", "fixture": ROOT / "tests" / "fixtures" / "mini"}.get(which)
    if root is None:
        root = tmp_path / "c"
        new_course(root)
    assert run_cli("check", str(root), "--strict").exit_code == 0
    for path, kind in course_files(root):
        assert errors(kind, path.read_text("utf-8")) == [], path


MISTAKES = [
    ("course", "title: T\nauthor: A\nlectures: [l.yaml]\nlectrues: []\n",
     ": Additional properties are not allowed ('lectrues' was unexpected)"),
    ("course", "title: T\nlectures: [l.yaml]\n", ": 'author' is a required property"),
    ("course", "title: T\nauthor: A\nlectures: [l.yaml]\noutputs: [deck, pdf]\n", "outputs/1: 'pdf' is not one of"),
    ("course", "title: T\nauthor: A\nlectures: [l.yaml]\nbibliography: refs.ris\n", "bibliography: 'refs.ris' is not valid"),
    ("lecture", "title: L\nduration: long\nsections: [{title: S}]\n", "duration: 'long' is not of type 'integer'"),
    ("lecture", "title: L\nsections:\n  - title: S\n    slides:\n      - title: X\n        chart: {type: pie, data: d.csv, x: a, y: b}\n",
     "sections/0/slides/0/chart/type: 'pie' is not one of ['bar', 'grouped', 'stacked', 'line', 'area', 'scatter', 'histogram']"),
    ("lecture", "title: L\nsections:\n  - title: S\n    slides: [{title: X, image: {src: a.png}}]\n",
     "sections/0/slides/0/image: 'alt' is a required property"),
    ("timeline", "- date: 'about 1959'\n  event: E\n", "0/date: 'about 1959' is not valid"),
    ("glossary", "- term: T\n  meaning: M\n", "0: 'definition' is a required property"),
]


@pytest.mark.parametrize("kind, text, expected", MISTAKES, ids=[m[2][:40] for m in MISTAKES])
def test_a_mistake_the_loader_refuses_is_flagged_by_the_schema_too(tmp_path, kind, text, expected):
    found = errors(kind, text)
    assert any(e.startswith(expected) or expected in e for e in found), found


def test_lectern_schema_writes_the_files(tmp_path):
    result = run_cli("schema", "--out", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "s").iterdir()} == dict(schema_files())
    for name, data in schema_files():
        jsonschema.Draft7Validator.check_schema(json.loads(data))


def test_the_new_course_points_each_file_at_its_schema(tmp_path):
    root = tmp_path / "c"
    new_course(root)
    for path, kind in course_files(root):
        first = path.read_text("utf-8").split("\n", 1)[0]
        m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert m, (path, first)
        target = (path.parent / m.group(1)).resolve()
        assert target == (root / "schema" / f"{kind}.schema.json").resolve() and target.is_file()
