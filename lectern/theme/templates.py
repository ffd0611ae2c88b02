"""The Jinja environment: a course's own templates/ first, then the default theme."""
from __future__ import annotations

import re
import traceback
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from . import DEFAULT_THEME


def theme_dirs(course_templates: Path | None) -> list[Path]:
    """The template folders in lookup order: the course's overrides, then the default theme."""
    dirs = [course_templates] if course_templates and course_templates.is_dir() else []
    return dirs + [DEFAULT_THEME]


def make_env(course_templates: Path | None = None) -> jinja2.Environment:
    """A sandboxed Jinja environment that autoescapes and fails loudly on an undefined value.

    Sandboxed because a course's templates/ may come from anywhere: a template must not be able
    to reach Python internals (and through them run commands) at build time.
    """
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([str(d) for d in theme_dirs(course_templates)]),
            # the default theme also answers as "default/...", so a course's override can
            # `{% extends "default/deck/deck.html.j2" %}` and replace a single block
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(DEFAULT_THEME))}),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=KeptBytecode(),
    )
    env.filters["in_capitals"] = in_capitals
    env.filters["balanced"] = balanced
    from ..text.labels import text_direction
    env.filters["text_dir"] = text_direction  # `dir="rtl"` for Arabic, Hebrew, Persian, Urdu, ...
    return env


class KeptBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in the user's cache folder, so a process (a PDF worker, the next
    build) loads a template in a millisecond where compiling it took up to 0.05 s. Jinja rejects a
    kept one whose source changed (it keeps a checksum); the key names the template's file and
    every setting of `make_env` that changes the compiled code."""

    KEPT = 256
    SETTINGS = "sandboxed autoescape trim_blocks lstrip_blocks keep_trailing_newline"  # change with make_env

    def __init__(self) -> None:
        from ..state import usercache
        self.folder = usercache.folder("templates")
        self.salt = f"{jinja2.__version__}\0{self.SETTINGS}"
        self.dumped = 0

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.salt}\0{name}", filename)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.folder / f"{bucket.key}.jinja").read_bytes()
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # a damaged file: compiled again and replaced
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from ..state import usercache
        if usercache.keep(self.folder / f"{bucket.key}.jinja", bucket.bytecode_to_string()):
            self.dumped += 1
            if self.dumped == 1:
                usercache.prune(self.folder, "*.jinja", self.KEPT)


@jinja2.pass_environment
def balanced(env: jinja2.Environment, html: object, size: float, measure: float) -> Markup:
    """A heading broken into balanced lines, the same on screen and paper (theme.balance), set
    in the theme's bold sans as found for this environment (a course's own font first)."""
    from .balance import FONT, balanced_html
    from .fonts import find_font

    return balanced_html(html, size, measure, find_font(FONT, env_dirs(env)))


_PLURAL_OF_NUMBER = re.compile(r"(?<=\d)s\b")


def in_capitals(html: object) -> Markup:
    """HTML set in capitals by its style (text-transform) with the s of "1950s" or "the 30s"
    kept lower case: in a span of class keep-lower (not "1950S")."""
    parts = re.split(r"(<[^>]*>)", str(html if html is not None else ""))
    return Markup("".join(part if part.startswith("<") else
                          _PLURAL_OF_NUMBER.sub('<span class="keep-lower">s</span>', part) for part in parts))


_SHARED: dict[Path | None, jinja2.Environment] = {}


def shared_env(course_templates: Path | None = None) -> jinja2.Environment:
    """`make_env`, kept for the life of the process (serve's builds, a PDF worker's jobs).

    Compiling the theme's templates takes longer than rendering a deck; a kept environment
    compiles each once and again only when its file changes (Jinja checks on every lookup).
    """
    if course_templates not in _SHARED:
        _SHARED[course_templates] = make_env(course_templates)
    return _SHARED[course_templates]


def env_dirs(env: jinja2.Environment) -> list[Path]:
    """The template folders an environment looks in, in order (course overrides, then the theme)."""
    loaders = env.loader.loaders if isinstance(env.loader, jinja2.ChoiceLoader) else [env.loader]
    return [Path(p) for loader in loaders for p in getattr(loader, "searchpath", [])]


def read_asset(env: jinja2.Environment, name: str) -> str:
    """The text of a theme file (CSS, JS) found through the same layered lookup as templates."""
    source, _filename, _uptodate = env.loader.get_source(env, name)
    return source


def describe_template_error(exc: jinja2.TemplateError) -> str:
    """`path:line: message` for an error in a template, found from Jinja's rewritten traceback."""
    where = None
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where = f"{exc.filename}:{exc.lineno}"
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".j2", ".html", ".css", ".js")):
                where = f"{frame.filename}:{frame.lineno}"
                break
    kind = "unsafe operation" if exc.__class__.__name__ == "SecurityError" else "error"
    message = f"template {kind}: {exc.message or exc}"
    return f"{where}: {message}" if where else message


def template_trouble(exc: BaseException) -> str | None:
    """The message for an exception a template caused (a Jinja error, or a macro or include calling
    itself without end), or None when the exception did not come from a template."""
    if isinstance(exc, jinja2.TemplateError):
        return describe_template_error(exc)
    if isinstance(exc, RecursionError):
        spots = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
                 if f.filename.endswith((".j2", ".html"))]
        if spots:
            file, line = max(set(spots), key=spots.count)  # the line the recursion passes through most
            where = f"{file}:{line}"
            return (f"{where}: template error: a macro, include or block here calls itself without end "
                    "(give the recursion a condition that stops it)")
    return None
