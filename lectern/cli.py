"""The command line: build (the default), check, serve, new, schema, clean. A thin layer over the pipeline."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .course.model import OUTPUT_KINDS
from .report import QuietReporter, Reporter

DEFAULT_COURSE = "content"
DEFAULT_OUT = "output"


def _only(ctx, param, value: str | None) -> list[str] | None:
    if not value:
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in OUTPUT_KINDS]
    if unknown:
        raise click.BadParameter(f"unknown output {', '.join(unknown)}; choose from {', '.join(OUTPUT_KINDS)}")
    return names


def _reporter(quiet: bool) -> Reporter:
    return QuietReporter() if quiet else Reporter()


course_arg = click.argument("course", default=DEFAULT_COURSE, required=False,
                            type=click.Path(file_okay=False, path_type=Path))
out_opt = click.option("--out", "out", default=DEFAULT_OUT, show_default=True,
                       type=click.Path(path_type=Path), help="Folder the outputs are written to.")
strict_opt = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
quiet_opt = click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")


class LecternGroup(click.Group):
    """Turns an error in a (course's own) template into a message naming its file and line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if "jinja2" not in sys.modules:  # not imported: no template ran (a no-change build)
                raise
            from .problems import LecternError
            from .theme.templates import template_trouble
            message = template_trouble(exc)
            if message is None:
                raise
            raise LecternError(message + "\nFix the template (or remove the course's "
                               "override to use the default theme); nothing was written.") from None


@click.group(cls=LecternGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lectern")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Lectern: build slide decks, a study guide and handouts from one course source.

    Without a command, builds the course in content/ into output/.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


@main.command()
@course_arg
@out_opt
@click.option("--only", callback=_only, help=f"Comma-separated outputs to build: {', '.join(OUTPUT_KINDS)}.")
@strict_opt
@click.option("--force", is_flag=True, help="Rebuild every output, changed or not.")
@quiet_opt
def build(course: Path = Path(DEFAULT_COURSE), out: Path = Path(DEFAULT_OUT), only: list[str] | None = None,
          strict: bool = False, force: bool = False, quiet: bool = False) -> None:
    """Build COURSE (default: content/) into --out (default: output/)."""
    from .pipeline import BuildOptions, build as run_build
    _require_course(course)
    run_build(course, out, BuildOptions(only=only, strict=strict, force=force), _reporter(quiet))


@main.command()
@course_arg
@strict_opt
@quiet_opt
def check(course: Path, strict: bool, quiet: bool) -> None:
    """Validate COURSE and report every problem; builds nothing."""
    from .pipeline import check as run_check
    _require_course(course)
    checked = run_check(course, strict, _reporter(quiet))
    if not quiet:
        n = len(checked.course.lectures)
        click.echo(f"{course}: {n} lecture{'s' if n != 1 else ''}, no errors"
                   + (f", {len(checked.warnings)} warning(s)" if checked.warnings else ""), err=True)


@main.command()
@course_arg
@out_opt
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@strict_opt
def serve(course: Path, out: Path, port: int, host: str, strict: bool) -> None:
    """Build COURSE, serve --out on 127.0.0.1, rebuild on every save and reload open pages."""
    from .serve import serve as run_serve
    _require_course(course)
    run_serve(course, out, port=port, host=host, strict=strict, reporter=Reporter())


@main.command()
@click.argument("course_dir", type=click.Path(path_type=Path))
def new(course_dir: Path) -> None:
    """Write a small working course to COURSE_DIR to start from."""
    from .course.scaffold import new_course
    from .invoked import command
    written = new_course(course_dir)
    click.echo(f"wrote {len(written)} files to {course_dir}; build it with: {command()} build {course_dir}",
               err=True)


@main.command()
@click.option("--out", "out", default="schema", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder the schema files are written to.")
def schema(out: Path) -> None:
    """Write JSON Schemas of the course, lecture, timeline and glossary files, for editors."""
    from .course.schema import write_schemas
    from .problems import OutputError
    try:
        written = write_schemas(out)
    except OSError as e:
        raise OutputError(f"cannot write the schemas to '{out}': {e.strerror or e}") from None
    click.echo(f"wrote {len(written)} schemas to {out}: {', '.join(p.name for p in written)}. A YAML file names "
               f"its schema on its first line, relative to itself: "
               f"`# yaml-language-server: $schema={(out / 'course.schema.json').as_posix()}`", err=True)


@main.command()
@out_opt
def clean(out: Path) -> None:
    """Remove what builds wrote to --out (and nothing else)."""
    from .state.outputs import clean as run_clean
    removed = run_clean(out)
    click.echo(f"removed {len(removed)} files from {out}", err=True)


def _require_course(course: Path) -> None:
    if not course.is_dir():
        raise click.UsageError(f"there is no course folder '{course}' (give the folder holding course.yaml)")
