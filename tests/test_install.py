"""Installed like a user would: a wheel built from the checkout, in a fresh venv far from it, makes a course."""
from __future__ import annotations

import html.parser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """A venv holding Lectern from its wheel alone: (its bin folder, an empty work folder, its environment).

    The venv sees the machine's site-packages for Lectern's dependencies (this machine may have no
    network), never the checkout: the work folder is elsewhere and PYTHONPATH is cleared.
    """
    base = tmp_path_factory.mktemp("install")
    source = base / "source"  # a copy of the checkout as git would give it: no build/ or caches inside
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "output", "build", "*.egg-info",
                                                                  "__pycache__", ".pytest_cache", "tests"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(source)], base, env)
    wheels = list((base / "dist").glob("lectern-*.whl"))
    assert len(wheels) == 1, wheels
    shutil.rmtree(source)  # from here on, only the wheel exists
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(base / "venv")], base, env)
    bin_dir = base / "venv" / "bin"
    _run([str(bin_dir / "python"), "-m", "pip", "install", "--no-deps", "-q", str(wheels[0])], base, env)
    work = base / "work"
    work.mkdir()
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return bin_dir, work, env


def test_the_wheel_holds_the_theme_and_runs_from_the_venv(installed):
    bin_dir, work, env = installed
    where = _run([str(bin_dir / "python"), "-c",
                  "import lectern, lectern.theme as t; print(lectern.__file__); print(t.DEFAULT_THEME)"], work, env)
    package, theme = where.stdout.split()
    venv = bin_dir.parent
    assert Path(package).is_relative_to(venv), package  # the wheel's copy, not the checkout's
    assert Path(theme).is_relative_to(venv) and (Path(theme) / "deck" / "deck.html.j2").is_file()
    assert (Path(theme) / "fonts" / "LinLibertine_R.otf").is_file()
    version = _run([str(bin_dir / "python"), "-m", "lectern", "--version"], work, env)
    assert "lectern" in version.stdout


def test_new_then_build_gives_a_deck_and_pdfs_with_pages(installed):
    bin_dir, work, env = installed
    made = _run([str(bin_dir / "lectern"), "new", "my-course"], work, env)
    assert "build it with: lectern build my-course" in made.stderr  # the command this user has
    _run([str(bin_dir / "lectern"), "check", "my-course", "--strict"], work, env)
    _run([str(bin_dir / "lectern"), "build", "my-course", "--out", "out", "-q"], work, env)
    out = work / "out"
    decks = sorted((out / "slides").glob("*.html"))
    assert decks and (out / "index.html").is_file()
    for deck in decks:
        page = deck.read_text("utf-8")
        html.parser.HTMLParser().feed(page)  # parses
        assert 'class="slide' in page and "<style>" in page and "@font-face" in page
    pdfs = [out / "study-guide.pdf", *sorted((out / "handouts").glob("*.pdf"))]
    assert len(pdfs) >= 2
    for pdf in pdfs:
        assert len(pypdf.PdfReader(pdf).pages) >= 1, pdf
