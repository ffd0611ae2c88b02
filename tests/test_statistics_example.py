"""The second example course (examples/statistics): math, code in two languages, a CSV table and a
chart build with no warning, and every output carries them."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from helpers import ROOT, run_cli

pytestmark = pytest.mark.pdf


def test_the_statistics_example_builds_strict_with_math_code_and_tables(tmp_path):
    course = tmp_path / "statistics"
    shutil.copytree(ROOT / "examples" / "statistics", course)
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out), "--strict")
    assert result.exit_code == 0, result.output
    deck = (out / "slides" / "01-estimation.html").read_text("utf-8")
    assert r'role="math" aria-label="\bar{x}"' in deck
    assert '<pre class="code" data-lang="r">' in deck and deck.count('<span class="line hl">') == 2
    assert '<th style="text-align:right">mean</th>' in deck
    deck2 = (out / "slides" / "02-regression.html").read_text("utf-8")
    assert '<pre class="code" data-lang="python">' in deck2 and "<svg" in deck2
    guide = subprocess.run(["pdftotext", "-layout", str(out / "study-guide.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Table 1.1" in guide and "Figure 2.1" in guide and "(2.1)" in guide
    assert "$2.5 million" in re.sub(r"\s+", " ", guide)  # prose dollars stay text
    assert "$" not in guide.replace("$2.5", "")
    for name in ["handouts/01-estimation.pdf", "handouts/01-estimation-notes.pdf"]:
        assert (out / name).read_bytes().startswith(b"%PDF-")


def test_formulas_in_every_pdf_are_tagged_formulas_with_their_latex(tmp_path):
    """A screen reader reading the handouts or the guide meets each formula as a /Formula whose
    alternate text is its LaTeX, on slides (drawn inline) as in the guide's prose (an image)."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent))
    from test_pdf import _structure
    out = tmp_path / "out"
    assert run_cli("build", str(ROOT / "examples" / "statistics"), "--out", str(out)).exit_code == 0
    for name in ("handouts/01-estimation.pdf", "handouts/01-estimation-notes.pdf", "study-guide.pdf"):
        tagged = _structure((out / name).read_bytes())
        formulas = [alt for kind, alt in tagged if kind == "/Formula"]
        assert r"\bar{x}" in formulas or any(r"\bar{x}" in f for f in formulas), (name, tagged)
        assert not [alt for kind, alt in tagged if kind == "/Figure" and "\\" in alt], name  # none left a Figure
