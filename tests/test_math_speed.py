"""ziaspeed's shortcuts to ziamath change how fast a formula is typeset, never what it looks like."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lectern.text import mathsvg, ziaspeed

ROOT = Path(__file__).resolve().parent.parent

# Formulas a statistics, physics or calculus lecturer writes: fences that stretch around
# fractions, nested fences, \middle, matrices, cases, roots, accents, sums and integrals.
CORPUS = [
    r"\left( \frac{a}{b} \right)", r"\left[ \left( x + 1 \right) \middle| y \right]",
    r"\lim_{n\to\infty} \left(1+\frac{1}{n}\right)^n = e", r"\sqrt{x^2+y^2}",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", r"\begin{cases} 1 & x>0 \\ 0 & \text{else} \end{cases}",
    r"\sum_{k=0}^{\infty} \binom{n}{k} p^k (1-p)^{n-k}",
    r"f(x) = \int_{-\infty}^{\infty} \hat f(\xi)\, e^{2\pi i \xi x}\, d\xi",
    r"\mathbb{E}[X] = \mu", r"|x| + \|y\|", r"\overline{AB} \underbrace{a+b}_{n}",
    r"x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}", r"\frac{\partial^2 u}{\partial t^2} = c^2 \nabla^2 u",
    r"P(A \mid B) = \frac{P(B \mid A)\,P(A)}{P(B)}", r"\left\{ x \in \mathbb{R} : |x| < \frac{1}{2} \right\}",
    r"\mathbf{F} = m\mathbf{a}", r"e^{i\pi} + 1 = 0", r"\left\langle \psi \middle| \phi \right\rangle",
    r"\hat{\beta} = (X^\top X)^{-1} X^\top y", r"\frac{1}{1+\frac{1}{1+\frac{1}{x}}}",
]


def _statistics_formulas() -> list[str]:
    text = "\n".join(p.read_text("utf-8") for p in (ROOT / "examples" / "statistics").rglob("*.yaml"))
    return sorted({m.strip() for m in re.findall(r"\$\$?([^$]+?)\$\$?", text)
                   if "\\\\" not in m and m.strip()})


@pytest.fixture
def unpatched():
    mathsvg._typeset(r"x", False)  # import ziamath and apply the shortcuts
    ziaspeed.undo()
    yield
    ziaspeed.apply()


def test_the_shortcuts_draw_every_formula_exactly_as_ziamath_does(unpatched):
    formulas = CORPUS + _statistics_formulas()
    assert len(formulas) > 30
    ziaspeed.undo()
    plain = [ziaspeed_off(f, display) for f in formulas for display in (False, True)]
    ziaspeed.apply()
    fast = [mathsvg._typeset(f, display) for f in formulas for display in (False, True)]
    ziaspeed.undo()
    differ = [a.latex for a, b in zip(plain, fast) if a != b]
    assert not differ


def ziaspeed_off(latex: str, display: bool) -> mathsvg.Formula:
    """Typeset with ziamath as released (_typeset calls apply(): make it do nothing meanwhile)."""
    original = ziaspeed.apply
    ziaspeed.apply = lambda: None
    try:
        return mathsvg._typeset(latex, display)
    finally:
        ziaspeed.apply = original


def test_a_row_with_nothing_that_stretches_is_laid_out_once(unpatched):
    from ziamath.nodes import mrow
    calls = []
    real = mrow.Mrow._get_height_nostretch
    mrow.Mrow._get_height_nostretch = lambda self, line, **kw: (calls.append(1), real(self, line, **kw))[1]
    try:
        ziaspeed_off(r"\frac{\frac{a_1}{b_2}}{\frac{c^3}{d^4}}", True)
        slow = len(calls)
        calls.clear()
        ziaspeed._applied = False
        ziaspeed.apply()  # wraps the counting method
        mathsvg._typeset(r"\frac{\frac{a_1}{b_2}}{\frac{c^3}{d^4}}", True)
        assert slow > 20 and calls == []  # the original pass never runs: nothing in it stretches
    finally:
        ziaspeed.undo()
        mrow.Mrow._get_height_nostretch = real


def test_glyphs_joined_into_one_path_print_the_same_ink(tmp_path: Path, monkeypatch):
    """mathsvg joins a formula's glyphs into one path per colour (a tenth of the elements to
    draw): printed, every pixel is where it was with a path per glyph, overlaps (\\not) too."""
    import shutil
    import subprocess

    from PIL import Image, ImageChops

    from lectern.pdf import engine  # noqa: F401  (Lectern's WeasyPrint, as the guide uses it)
    import weasyprint

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    formulas = CORPUS + [r"a \not= b", r"x \notin A"]

    def printed(name: str) -> Image.Image:
        mathsvg._memory.clear()
        html = "".join(f"<p>{mathsvg._typeset(f, True).print_html()}</p>" for f in formulas)
        weasyprint.HTML(string=f"<body style='font-size:20pt'>{html}</body>").write_pdf(tmp_path / f"{name}.pdf")
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True)
        return Image.open(tmp_path / f"{name}.png").convert("L")

    joined = printed("joined")
    assert sum(mathsvg._typeset(f, True).svg.count("<path") for f in formulas) < 3 * len(formulas)
    monkeypatch.setattr(mathsvg, "_GLYPH_RUN", re.compile("(?!)"))  # a path a glyph, as ziamath draws
    apart = printed("apart")
    assert ImageChops.difference(joined, apart).getbbox() is None
