"""The Jinja environment: a course's own templates/ first, then the default theme."""
from __future__ import annotations

from pathlib import Path

import jinja2

DEFAULT_THEME = Path(__file__).resolve().parent.parent.parent / "templates"


def theme_dirs(course_templates: Path | None) -> list[Path]:
    """The template folders in lookup order: the course's overrides, then the default theme."""
    dirs = [course_templates] if course_templates and course_templates.is_dir() else []
    return dirs + [DEFAULT_THEME]


def make_env(course_templates: Path | None = None) -> jinja2.Environment:
    """A Jinja environment that autoescapes and fails loudly on an undefined value."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme_dirs(course_templates)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def read_asset(env: jinja2.Environment, name: str) -> str:
    """The text of a theme file (CSS, JS) found through the same layered lookup as templates."""
    source, _filename, _uptodate = env.loader.get_source(env, name)
    return source
