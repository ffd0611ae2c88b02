"""Small helpers shared by the tests: writing throwaway courses and running the CLI in-process."""
from __future__ import annotations

import importlib.util
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from lectern.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def write_course(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root (text is dedented) and return root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return root


def copy_fixture(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURES / name, target)
    return target


@dataclass
class Built:
    """A fixture course copied and built with every output (--strict): where, and what the build said."""

    course: Path
    out: Path
    output: str


def build_fixture(name: str, dest: Path) -> Built:
    course = copy_fixture(name, dest)
    result = run_cli("build", str(course), "--out", str(dest / "out"), "--strict")
    assert result.exit_code == 0, result.output
    return Built(course, dest / "out", result.output)


def run_cli(*args: str):
    """Run the lectern CLI in-process; returns click's Result (exit_code, output, stderr)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def embedded_face_name(css: str, style: str = "normal", weight: int = 400) -> str:
    """"Family Subfamily" of the woff2 face a deck's or page's @font-face rules embed for a style
    and weight (as the font names itself)."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont
    data = re.search(rf"font-style:{style};font-weight:{weight};[^}}]*base64,([A-Za-z0-9+/=]+)", css).group(1)
    names = TTFont(io.BytesIO(base64.b64decode(data)))["name"]
    return f"{names.getDebugName(1)} {names.getDebugName(2)}"


def source_hasher():
    """tests/data/make_source_hashes.py as a module: how the course's source is folded into words and hashed."""
    spec = importlib.util.spec_from_file_location("make_source_hashes", ROOT / "tests" / "data" / "make_source_hashes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
