"""A course's own templates (issue 22, classes 3 and 4): links outside the course and template mistakes
are problems at the template's path:line, from `check` as from `build`, never a traceback."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from fuzzlib import assert_clean, invoke
from helpers import copy_fixture

REPO = Path(__file__).resolve().parent.parent


def _course(tmp_path: Path) -> Path:
    root = copy_fixture("mini", tmp_path)
    (root / "templates" / "deck").mkdir(parents=True)
    (root / "templates" / "guide").mkdir()
    return root


def _outside(tmp_path: Path, name: str, text: str) -> Path:
    target = tmp_path / "elsewhere" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(text, "utf-8")
    return target


def _setup(case: str, root: Path, tmp_path: Path) -> tuple[str, int, str]:
    """Write the mistake; (file under the course, line, start of the message) expected."""
    t = root / "templates"
    if case == "linked template":
        os.symlink(_outside(tmp_path, "secret.j2", "SECRET-PASSWORD"), t / "deck" / "help.html.j2")
        return "templates/deck/help.html.j2", 1, "this file is a link leading outside the course folder"
    if case == "linked style sheet":
        os.symlink(_outside(tmp_path, "x.css", "body{}"), t / "custom.css")
        return "templates/custom.css", 1, "this file is a link leading outside the course folder"
    if case == "linked font":
        os.symlink(_outside(tmp_path, "f.woff2", "x"), t / "fonts.woff2")
        return "templates/fonts.woff2", 1, "this file is a link leading outside the course folder"
    if case == "self-include":
        (t / "deck" / "help.html.j2").write_text('<p>\n{% include "deck/help.html.j2" %}\n', "utf-8")
        return "templates/deck/help.html.j2", 2, "this template leads back to itself"
    if case == "extends cycle":
        (t / "deck" / "deck.html.j2").write_text('{% extends "deck/layout.html.j2" %}\n', "utf-8")
        (t / "deck" / "layout.html.j2").write_text('\n\n{% extends "deck/deck.html.j2" %}\n', "utf-8")
        return "templates/deck/layout.html.j2", 3, "this template leads back to itself"
    if case == "endless macro":
        (t / "deck" / "help.html.j2").write_text("{% macro f(x) %}\n{{ f(x) }}\n{% endmacro %}{{ f(1) }}\n", "utf-8")
        return "templates/deck/help.html.j2", 2, "the macro `f` calls itself every time it runs"
    if case == "undecodable":
        (t / "deck" / "help.html.j2").write_bytes(b"<p>one</p>\n<p>caf\xe9</p>\n")
        return "templates/deck/help.html.j2", 2, "this file is not UTF-8 text"
    if case == "syntax error":
        (t / "deck" / "help.html.j2").write_text("<p>\n{% if x %}\n", "utf-8")
        return "templates/deck/help.html.j2", 2, "template syntax error"  # Jinja finds it at the end
    if case == "unclosed css block":
        css = (REPO / "templates" / "guide" / "guide.css").read_text("utf-8")
        (t / "guide" / "guide.css").write_text(css + "p.extra { color: red;\nh1 { color: blue; }\n", "utf-8")
        return "templates/guide/guide.css", css.count("\n") + 1, "the block opened here with { is never closed"
    raise AssertionError(case)


CASES = ["linked template", "linked style sheet", "linked font", "self-include", "extends cycle", "endless macro",
         "undecodable", "syntax error", "unclosed css block"]


@pytest.mark.parametrize("case", CASES)
def test_template_mistake_is_a_problem_at_its_line_from_check_and_build(tmp_path, case):
    root = _course(tmp_path)
    where, line, message = _setup(case, root, tmp_path)
    out = tmp_path / "out"
    for args in (["check", str(root)], ["build", str(root), "--out", str(out)]):
        result = invoke(args)
        assert_clean(result)
        assert result.exit_code == 1, result.output
        assert re.search(rf"{re.escape(where)}:{line}:\d+: {re.escape(message)}", result.stderr), result.stderr
        assert "SECRET-PASSWORD" not in result.output
    assert not out.exists()


def test_every_template_mistake_is_reported_in_one_run(tmp_path):
    root = _course(tmp_path)
    for case in ("linked style sheet", "self-include", "unclosed css block"):
        _setup(case, root, tmp_path)
    (root / "templates" / "deck" / "slide-title.html.j2").write_text("{{ oops(\n", "utf-8")
    result = invoke(["check", str(root)])
    assert result.stderr.rstrip().endswith("4 problems found; nothing was written."), result.stderr


def test_a_recursion_check_cannot_see_is_a_template_error_at_build(tmp_path):
    """A macro whose stopping condition never holds: only running it shows the loop."""
    root = _course(tmp_path)
    (root / "templates" / "deck" / "help.html.j2").write_text(
        "{% macro f(x) %}{% if x > 0 %}{{ f(x + 1) }}{% endif %}{% endmacro %}\n{{ f(1) }}\n", "utf-8")
    assert invoke(["check", str(root)]).exit_code == 0
    result = invoke(["build", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(r"templates/deck/help\.html\.j2:1: template error: a macro, include or block here calls "
                     r"itself without end", result.stderr), result.stderr
    assert "bug in Lectern" not in result.output
    written = [p for p in (tmp_path / "out").rglob("*") if ".lectern" not in p.parts]  # (its cache may stay)
    assert not written, written


def test_a_citation_style_linked_from_outside_is_an_error(tmp_path):
    root = _course(tmp_path)
    style = _outside(tmp_path, "style.csl", (REPO / "tests" / "fixtures").as_posix())
    os.symlink(style, root / "mine.csl")
    course = root / "course.yaml"
    course.write_text(re.sub(r"(?m)^csl:.*\n", "", course.read_text("utf-8")) + "csl: mine.csl\n", "utf-8")
    result = invoke(["check", str(root)])
    assert result.exit_code == 1
    assert "the citation style file `mine.csl` leads outside the course folder" in result.stderr, result.stderr
