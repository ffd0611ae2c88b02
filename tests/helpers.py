"""Small helpers shared by the tests: writing throwaway courses and running the CLI in-process."""
from __future__ import annotations

import shutil
import textwrap
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


def run_cli(*args: str):
    """Run the lectern CLI in-process; returns click's Result (exit_code, output, stderr)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
