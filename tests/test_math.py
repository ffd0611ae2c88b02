"""Mathematics: `$...$` and `$$...$$` typeset to SVG on slides and in print, the "$2.5 billion" rule,
and an unsupported command reported at the formula's file:line:column."""
from __future__ import annotations

import re
import subprocess

import pytest

from helpers import copy_fixture, run_cli
from test_markup import parse, render


# ---- the dollar rule -----------------------------------------------------------------------
@pytest.mark.parametrize("src", [
    "Remittances reached $2.5 billion by 2013.",
    "Between $5 and $10 a day.",
    r"A literal \$x\$ stays text.",
    "Prices rose from $3 to $4 million.",
    "A $ sign alone and $x $ with a space.",
    "It was $x$5 dollars.",  # a digit right after the closing dollar
])
def test_dollars_in_prose_stay_text(src):
    html, _, parsed = render(src)
    assert "<svg" not in html and 'role="math"' not in html
    assert "$" in html
    assert parsed.math == []


def test_inline_and_display_math_become_svg_with_the_source_as_label():
    html, _, _ = render(r"Mean $\bar{x}$ costs $2.5 billion.")
    assert html.count("<svg") == 1
    assert r'role="math" aria-label="\bar{x}"' in html
    assert "$2.5 billion" in html
    assert re.search(r'style="width:[\d.]+em;height:[\d.]+em;vertical-align:-?[\d.]+em"', html)
    block, _, _ = render("Text\n\n$$\nx = \\frac{1}{n} \\tag{2.1}\n$$\n", inline=False)
    assert '<span class="math math-display">' in block
    assert '<span class="math-tag">(2.1)</span>' in block


def test_unsupported_command_named_at_its_position():
    src = r"Good $x^2$ then bad $\frobnicate{x}$ here"
    _, md, parsed = parse(src)
    assert len(parsed.math) == 1
    pos, message = parsed.math[0]
    assert r"\frobnicate" in message
    assert (pos.line, pos.column) == (3, 5 + src.index(r"$\frob") + 1)


# ---- a whole course ------------------------------------------------------------------------
MATH_INTRO = {
    "The story usually told begins in the mountains.":
        r"The story usually told begins in the mountains, $\bar{x}_{r} = \frac{1}{n}\sum_i x_i$.",
    "A first inline note, with a citation":
        r"A first inline note with $\sigma^2_{fn}$, with a citation",
    "          - The guerrilla story^[Told by the victors.]":
        r"          - 'The guerrilla story $\alpha_{pt}$^[Told by the victors.]'",
    "Ask the room which story they know.":
        r"Ask the room which story they know, $\beta_{note}$.",
    "      A second paragraph with":
        "      $$\n      \\int_0^1 f(x)\\,dx \\tag{1}\n      $$\n\n      A second paragraph with",
}


def _math_course(tmp_path, extra: dict[str, str] | None = None):
    course = copy_fixture("mini", tmp_path)
    intro = course / "lectures" / "intro.yaml"
    text = intro.read_text("utf-8")
    for old, new in {**MATH_INTRO, **(extra or {})}.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    intro.write_text(text, "utf-8")
    return course


@pytest.mark.pdf
def test_math_in_reading_point_note_and_footnote_on_slides_and_in_print(tmp_path):
    course = _math_course(tmp_path)
    with open(course / "course.yaml", "a", encoding="utf-8") as fh:
        fh.write("outputs: [deck, guide]\n")
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out), "--strict")
    assert result.exit_code == 0, result.output
    deck = (out / "slides" / "intro.html").read_text("utf-8")
    for latex in [r"\alpha_{pt}", r"\beta_{note}"]:
        assert f'role="math" aria-label="{latex}"' in deck, latex
    assert "$" not in re.sub(r"<script.*?</script>|<style.*?</style>", "", deck, flags=re.S).replace("$2.5", "")
    guide = out / "study-guide.pdf"
    text = subprocess.run(["pdftotext", str(guide), "-"], capture_output=True, text=True, check=True).stdout
    assert "mountains" in text and "A first inline note" in text
    assert "$" not in text
    raw = guide.read_bytes()
    from pypdf import PdfReader
    alts = _alt_texts(PdfReader(guide))
    for latex in [r"\bar{x}_{r} = \frac{1}{n}\sum_i x_i", r"\sigma^2_{fn}"]:
        assert latex in alts, (latex, alts[:10])
    assert raw.startswith(b"%PDF-")


def _alt_texts(reader) -> list[str]:
    """Every /Alt of the PDF's structure tree (what a screen reader reads for a figure)."""
    found: list[str] = []
    root = reader.trailer["/Root"].get_object()
    stack = [root.get("/StructTreeRoot")]
    seen = set()
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if hasattr(node, "idnum"):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
        node = node.get_object()
        if isinstance(node, list):
            stack += list(node)
        elif hasattr(node, "get"):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
    return found


def test_unsupported_command_fails_the_check_at_file_line_column(tmp_path):
    course = _math_course(tmp_path, {"Why does the myth persist?": r"Why does $\nosuchthing{x}$ persist?"})
    result = run_cli("check", str(course))
    assert result.exit_code != 0
    line = next(i for i, l in enumerate((course / "lectures" / "intro.yaml").read_text().splitlines(), 1)
                if "nosuchthing" in l)
    col = (course / "lectures" / "intro.yaml").read_text().splitlines()[line - 1].index("$") + 1
    assert re.search(rf"intro\.yaml:{line}:{col}\b.*\\nosuchthing", result.output), result.output
    assert "Traceback" not in result.output
