"""A course's own templates/ checked before anything is built: every problem as path:line and what to do.

What `check` (and so every build) finds here, all in one run:
- a file (or the folder itself) that is a link leading outside the course folder: the deck would
  publish its content, and docs/format.md promises that links leading outside are errors;
- a template, style sheet or script that is not UTF-8 text;
- a Jinja syntax error;
- an `include`, `extends` or `import` that comes back to the template it starts from (itself, or
  through others, the default theme's included);
- a style sheet Jinja or WeasyPrint could not read to its end (an unclosed block or comment).
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import nodes

from ..course.model import Pos
from ..problems import Problem
from . import DEFAULT_THEME

TEXT_SUFFIXES = (".j2", ".html", ".css", ".js", ".csl", ".svg")


def check_templates(templates: Path | None, course_root: Path) -> list[Problem]:
    """Every problem of the course's templates/ folder."""
    if templates is None:
        return []
    root = course_root.resolve()
    if not _inside(templates, root):
        return [Problem(Pos(display(templates), 1, 1), "the templates folder is a link leading outside the course "
                        f"folder (to {templates.resolve()}): copy the templates into the course")]
    problems: list[Problem] = []
    sources: dict[str, tuple[Path, str]] = {}  # template name -> (file, text) of the course's own templates
    for path in _files(templates):
        name = path.relative_to(templates).as_posix()
        if not _inside(path, root):
            problems.append(Problem(Pos(display(path), 1, 1), f"this file is a link leading outside the course "
                                    f"folder (to {path.resolve()}): copy the file into the course"))
            continue
        if not path.name.endswith(TEXT_SUFFIXES):
            continue
        text = _text(path, problems)
        if text is not None:
            sources[name] = (path, text)
            if path.suffix == ".css":
                problems += _css(path, text)
    problems += _templates(sources)
    return problems


def display(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when inside it, the link's
    own name (not its target's)."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(absolute)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _files(folder: Path) -> list[Path]:
    """Every file under the folder, links included (a linked folder is listed, not entered)."""
    found = []
    for here, dirs, files in os.walk(folder):
        for name in sorted(files) + sorted(d for d in dirs if (Path(here) / d).is_symlink()):
            found.append(Path(here) / name)
        dirs[:] = sorted(d for d in dirs if not (Path(here) / d).is_symlink())
    return found


def _text(path: Path, problems: list[Problem]) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(Pos(display(path), 1, 1), f"cannot read this file: {exc.strerror}"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(Pos(display(path), line, 1), "this file is not UTF-8 text: save it as UTF-8"))
        return None


def _css(path: Path, text: str) -> list[Problem]:
    """An unclosed block, string or comment: WeasyPrint would drop the rest of the sheet unsaid."""
    import tinycss2
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    problems = [Problem(Pos(display(path), r.source_line, r.source_column),
                        f"this style sheet cannot be read here ({r.message}): fix the rule")
                for r in rules if r.type == "error"]
    if text.count("/*") > text.count("*/"):
        line = text[: text.rfind("/*")].count("\n") + 1
        problems.append(Problem(Pos(display(path), line, 1), "a comment opened here is never closed with */: "
                                "the rest of the sheet is ignored"))
    opened: list[int] = []  # where each block still open began
    for n, char in enumerate(_without_strings_and_comments(text)):
        if char == "{":
            opened.append(n)
        elif char == "}" and opened:
            opened.pop()
        elif char == "}":
            problems.append(Problem(Pos(display(path), text[:n].count("\n") + 1, 1),
                                    "this } closes no block: remove it"))
    for n in opened[:1]:
        problems.append(Problem(Pos(display(path), text[:n].count("\n") + 1, 1),
                                "the block opened here with { is never closed with }: the rules after it are lost"))
    return problems


def _without_strings_and_comments(text: str) -> str:
    """The sheet with strings and comments blanked (same length), so braces inside them do not count."""
    import re
    blank = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    return re.sub(r'/\*.*?(\*/|$)|"(\\.|[^"\\\n])*"|\'(\\.|[^\'\\\n])*\'', blank, text, flags=re.S)


def _templates(sources: dict[str, tuple[Path, str]]) -> list[Problem]:
    """Syntax errors, then include/extends/import cycles through the course's and the theme's templates."""
    env = jinja2.Environment()
    problems: list[Problem] = []
    edges: dict[str, list[tuple[str, int]]] = {}
    for name, (path, text) in sources.items():
        if not name.endswith((".j2", ".html")):
            continue
        try:
            ast = env.parse(text, name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(Pos(display(path), exc.lineno or 1, 1),
                                    f"template syntax error: {(exc.message or '').rstrip('.')}: fix the template"))
            continue
        edges[name] = _references(ast)
        problems += [Problem(Pos(display(path), line, 1), message) for line, message in _endless_macros(ast)]
    for name in sorted(edges):
        cycle = _cycle(name, edges)
        if cycle:
            path = sources[name][0]
            target, line = cycle[0]
            through = " -> ".join([name] + [t for t, _ in cycle])
            problems.append(Problem(Pos(display(path), line, 1), f"this template leads back to itself ({through}): "
                                    "a template cannot include, extend or import itself; to extend the "
                                    f"theme's own, write \"default/{name}\""))
    return problems


def _endless_macros(ast: nodes.Template) -> list[tuple[int, str]]:
    """A macro that calls itself outside any {% if %} or {% for %}: every call makes another."""
    found = []
    for macro in ast.find_all(nodes.Macro):
        for call in _unguarded_calls(macro.body):
            if isinstance(call.node, nodes.Name) and call.node.name == macro.name:
                found.append((call.lineno, f"the macro `{macro.name}` calls itself every time it runs, so it never "
                              "ends: put the call inside an {% if %} that stops it"))
                break
    return found


def _unguarded_calls(body: list[nodes.Node]):
    """The calls in `body` that run whenever the body runs (not inside a condition or a loop)."""
    for node in body:
        if isinstance(node, (nodes.If, nodes.CondExpr, nodes.For, nodes.Macro, nodes.CallBlock)):
            continue
        if isinstance(node, nodes.Call):
            yield node
        yield from _unguarded_calls(list(node.iter_child_nodes()))


def _references(ast: nodes.Template) -> list[tuple[str, int]]:
    """(template name, line) of each include, extends, import and from-import with a constant name."""
    found = []
    for node in ast.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        names = node.template.value if isinstance(node.template, nodes.Const) else None
        if isinstance(node.template, (nodes.Tuple, nodes.List)):
            names = [n.value for n in node.template.items if isinstance(n, nodes.Const)]
        for target in ([names] if isinstance(names, str) else names or []):
            found.append((target, node.lineno))
    return found


def _cycle(start: str, edges: dict[str, list[tuple[str, int]]]) -> list[tuple[str, int]] | None:
    """The path of references from `start` back to it, if any (a template of the course's own first,
    then the default theme's, as Jinja's loader looks them up)."""
    stack = [(start, [])]
    seen: set[str] = set()
    while stack:
        name, path = stack.pop()
        for target, line in _edges_of(name, edges):
            if target == start:
                return path + [(target, line)]
            if target not in seen:
                seen.add(target)
                stack.append((target, path + [(target, line)]))
    return None


def _edges_of(name: str, edges: dict[str, list[tuple[str, int]]]) -> list[tuple[str, int]]:
    if name in edges:
        return edges[name]
    theme_file = DEFAULT_THEME / name.removeprefix("default/")
    if not theme_file.is_file() or not name.endswith((".j2", ".html")):
        return []
    return _theme_edges(str(theme_file))


@lru_cache(maxsize=None)
def _theme_edges(file: str) -> list[tuple[str, int]]:
    """A default-theme template's references (a name in them still finds the course's own first)."""
    return _references(jinja2.Environment().parse(Path(file).read_text("utf-8")))
