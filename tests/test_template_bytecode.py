"""Compiled templates are kept: in the user's cache folder between processes (theme.templates
.KeptBytecode), and in a worker between the chapters it lays out (print.guide.guide_env)."""
from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from helpers import copy_fixture


@pytest.fixture
def compiles(monkeypatch, tmp_path):
    """The names of the templates Jinja compiles from source from now on (cache: tmp_path/cache)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    names: list[str] = []
    real = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


def test_a_template_compiled_once_is_read_back_by_the_next_process_until_its_source_changes(tmp_path, compiles):
    from lectern.theme.templates import make_env

    course = copy_fixture("mini", tmp_path)
    help_page = course / "templates" / "deck" / "help.html.j2"
    help_page.parent.mkdir(parents=True)
    help_page.write_text("<p>Press {{ key }} for the next slide.</p>\n", "utf-8")

    def fresh_process() -> str:  # a new environment has nothing compiled in memory
        return make_env(course / "templates").get_template("deck/help.html.j2").render(key="N")

    assert fresh_process() == "<p>Press N for the next slide.</p>\n"
    assert compiles == ["deck/help.html.j2"]
    kept = list((tmp_path / "cache" / "lectern" / "templates").glob("*.jinja"))
    assert len(kept) == 1
    assert fresh_process() == "<p>Press N for the next slide.</p>\n"
    assert compiles == ["deck/help.html.j2"]  # read back, not compiled

    help_page.write_text("<p>Press {{ key }} or the space bar.</p>\n", "utf-8")
    assert fresh_process() == "<p>Press N or the space bar.</p>\n"  # the edit is seen ...
    assert compiles == ["deck/help.html.j2"] * 2  # ... compiled again
    assert fresh_process() == "<p>Press N or the space bar.</p>\n" and len(compiles) == 2

    for file in kept:
        file.write_bytes(b"not compiled code")
    assert fresh_process() == "<p>Press N or the space bar.</p>\n"  # a damaged file: compiled again
    assert len(compiles) == 3
    assert fresh_process() == "<p>Press N or the space bar.</p>\n" and len(compiles) == 3  # and replaced


def test_a_template_mistake_read_back_from_the_cache_still_names_its_line(tmp_path, compiles):
    from lectern.theme.templates import describe_template_error, make_env

    course = copy_fixture("mini", tmp_path)
    page = course / "templates" / "deck" / "help.html.j2"
    page.parent.mkdir(parents=True)
    page.write_text("<p>one</p>\n<p>{{ slide.missing.title }}</p>\n", "utf-8")
    messages = []
    for _ in range(2):  # compiled, then read back
        with pytest.raises(jinja2.TemplateError) as caught:
            make_env(course / "templates").get_template("deck/help.html.j2").render(slide={})
        messages.append(describe_template_error(caught.value))
    assert len(compiles) == 1
    assert messages[0] == messages[1]
    assert messages[0].startswith(f"{page}:2: ")


def test_a_worker_compiles_the_guide_template_once_for_all_its_chapters(tmp_path, compiles):
    from lectern.print.guide import TEMPLATE, guide_env
    from lectern.theme.templates import make_env

    env = make_env(None)
    first = guide_env(env).get_template(TEMPLATE)
    assert guide_env(env) is guide_env(env)
    assert guide_env(env).get_template(TEMPLATE) is first
    assert compiles.count(TEMPLATE) == 1
    other = make_env(None).overlay()  # an overlay of an environment is not that environment
    assert guide_env(other) is not guide_env(env)
    assert "plain_text" not in env.filters  # the guide's filters stay in its own overlay
