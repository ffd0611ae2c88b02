"""Mathematics: `$...$` and `$$...$$` typeset to SVG on slides and in print, the "$2.5 billion" rule,
and an unsupported command reported at the formula's file:line:column."""
from __future__ import annotations

import re
import subprocess

import pytest

from helpers import ROOT, copy_fixture, run_cli
from lectern.text import mathsvg
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
    assert parsed.formulas == []


def test_inline_and_display_math_become_svg_with_the_source_as_label():
    html, _, _ = render(r"Mean $\bar{x}$ costs $2.5 billion.")
    assert html.count("<svg") == 1
    assert r'role="math" aria-label="\bar{x}"' in html
    assert "$2.5 billion" in html
    assert re.search(r'style="width:[\d.]+em;height:[\d.]+em;vertical-align:-?[\d.]+em"', html)
    block, _, _ = render("Text\n\n$$\nx = \\frac{1}{n} \\tag{2.1}\n$$\n", inline=False)
    assert '<span class="math math-display">' in block
    assert '<span class="math-tag">(2.1)</span>' in block


def test_hat_and_tilde_sit_close_on_their_letter():
    """\\hat and \\tilde are the font's accents set on the letter: the formula is as wide as the
    letter alone and the accent adds less than 0.4 em above it (latex2mathml's ASCII ^ and ~ were
    set as text-size characters: a hat 0.54 em above y, and y a third wider)."""
    y = mathsvg._typeset("y", False)
    for latex in (r"\hat{y}", r"\tilde{y}"):
        accented = mathsvg._typeset(latex, False)
        assert accented.width == y.width, latex
        assert 0.1 < accented.height - y.height < 0.4, latex
        assert accented.depth == y.depth, latex
    wide = mathsvg._typeset(r"\widehat{xy}", False)  # the wide accents stretch over their base
    assert wide.width >= mathsvg._typeset("xy", False).width


def test_unsupported_command_named_at_its_position():
    src = r"Good $x^2$ then bad $\frobnicate{x}$ here"
    _, md, parsed = parse(src)
    failed = mathsvg.typeset_all([key for _pos, key in parsed.formulas])
    bad = [(pos, failed[key]) for pos, key in parsed.formulas if key in failed]
    assert len(parsed.formulas) == 2 and len(bad) == 1
    pos, message = bad[0]
    assert r"\frobnicate" in message
    assert (pos.line, pos.column) == (3, 5 + src.index(r"$\frob") + 1)


def test_a_courses_formulas_are_shared_with_workers_and_come_out_as_typeset_here(tmp_path, monkeypatch):
    """typeset_all hands batches to another process (here a thread stands in for a PDF worker)
    while it typesets others itself: every formula is the one `typeset` gives, kept in the user
    cache, and a formula that cannot be typeset has the same message either way."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    salt = sum(map(ord, str(tmp_path)))  # formulas no earlier test has typeset into memory
    keys = [(rf"\frac{{a_{{{i}}}}}{{b}} + \sqrt{{x_{{{salt}}}}}", i % 3 == 0) for i in range(45)]
    keys.insert(20, (r"\nosuchcommand{x}", False))
    handed = []

    with ThreadPoolExecutor(1) as worker:
        def fan_out(batch):
            handed.append(batch)
            return worker.submit(mathsvg.typeset_batch, batch)
        failed = mathsvg.typeset_all(keys, fan_out)
    shared = {key for batch in handed for key in batch}
    assert len(handed) == -(-len(keys) // mathsvg.BATCH) and len(shared) == len(keys)
    assert list(failed) == [(r"\nosuchcommand{x}", False)] and r"\nosuchcommand" in failed[keys[20]]
    assert len(list((tmp_path / "cache" / "lectern" / "math").glob("*.json"))) == len(keys) - 1

    shared_out = {key: mathsvg._memory.pop(key) for key in keys if key in mathsvg._memory}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    for key, formula in shared_out.items():
        assert mathsvg.typeset(*key) == formula  # typeset alone, in this process, from nothing


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


@pytest.mark.pdf
def test_a_build_sharing_its_formulas_with_the_pdf_workers_reports_a_bad_one_at_its_place(tmp_path, monkeypatch):
    """A build that lays out PDFs typesets a course's new formulas with its workers (more than
    SHARED_FROM of them): a bad one is still reported at file:line:column, nothing is written,
    and once mended the build typesets the rest into the user cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    handed = []
    real = mathsvg.typeset_all

    def spy(keys, fan_out=None):
        return real(keys, fan_out and (lambda batch: handed.append(batch) or fan_out(batch)))
    monkeypatch.setattr(mathsvg, "typeset_all", spy)
    many = " ".join(rf"$y_{{{i}}} = \frac{{{i}}}{{z}}$" for i in range(2 * mathsvg.SHARED_FROM))
    course = _math_course(tmp_path, {"Ask the room which story they know.":
                                     f"Ask the room {many} and $\\nosuchthing{{x}}$."})
    result = run_cli("build", str(course), "--out", str(tmp_path / "out"), "--only", "deck,guide")
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = (course / "lectures" / "intro.yaml").read_text().splitlines()
    line = next(i for i, l in enumerate(lines, 1) if "nosuchthing" in l)
    col = lines[line - 1].index(r"$\nosuchthing") + 1
    assert re.search(rf"intro\.yaml:{line}:{col}\b.*\\nosuchthing", result.output), result.output
    assert not (tmp_path / "out" / "study-guide.pdf").exists()
    assert sum(map(len, handed)) > 2 * mathsvg.SHARED_FROM  # the new formulas were offered to the workers in batches

    intro = course / "lectures" / "intro.yaml"
    intro.write_text(intro.read_text("utf-8").replace(r" and $\nosuchthing{x}$", ""), "utf-8")
    result = run_cli("build", str(course), "--out", str(tmp_path / "out"), "--only", "deck,guide")
    assert result.exit_code == 0, result.output
    kept = list((tmp_path / "cache" / "lectern" / "math").glob("*.json"))
    assert len(kept) >= 2 * mathsvg.SHARED_FROM
    deck = (tmp_path / "out" / "slides" / "intro.html").read_text("utf-8")
    assert 'aria-label="y_{59} = \\frac{59}{z}"' in deck


# ---- code ----------------------------------------------------------------------------------
def test_fenced_code_is_highlighted_and_unknown_languages_warn_with_close_names():
    html, _, parsed = render("Text\n\n```python\ndef f(x):\n    return x  # done\n```\n", inline=False)
    assert '<pre class="code" data-lang="python">' in html
    assert '<span class="k">def</span>' in html and '<span class="c1"># done</span>' in html
    assert parsed.code == []
    _, _, parsed = parse("Text\n\n```pyhton\nx = 1\n```\n", inline=False)
    (pos, message), = parsed.code
    assert "'pyhton'" in message and "python" in message.split("did you mean")[1]
    assert pos.line == 3 + 2


def test_highlighted_code_is_read_back_by_the_next_process_and_highlighted_again_when_it_changes(
        tmp_path, monkeypatch):
    """A build (a new process) takes the blocks an earlier build highlighted from the user's cache
    folder, neither importing Pygments' lexers nor running them; changed code, marks or language
    are highlighted afresh (issue 17: highlighted blocks cached between builds)."""
    from lectern.text import codehl

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runs = []
    real = codehl._highlight
    monkeypatch.setattr(codehl, "_highlight", lambda *a: runs.append(a[:3]) or real(*a))

    def new_process():
        for name, value in (("_kept", {}), ("_loaded", False), ("_new", False)):
            monkeypatch.setattr(codehl._BLOCKS, name, value)

    course = _code_course(tmp_path, BODY_SLIDE)
    new_process()
    assert run_cli("build", str(course), "--out", str(tmp_path / "out"), "--only", "deck").exit_code == 0
    assert len(runs) == 1 and list((tmp_path / "cache" / "lectern").glob("code-*.pkl"))
    deck = (tmp_path / "out" / "slides" / "second.html").read_text("utf-8")
    new_process()
    assert run_cli("build", str(course), "--out", str(tmp_path / "again"), "--only", "deck").exit_code == 0
    assert len(runs) == 1  # read back, not highlighted
    assert (tmp_path / "again" / "slides" / "second.html").read_text("utf-8") == deck

    code = "x = 1\nprint(x)"
    first = codehl.highlight(code, "python", frozenset({2}))
    assert len(runs) == 2 and 'class="line hl"' in first
    assert codehl.highlight(code, "python", frozenset({2})) == first and len(runs) == 2
    assert codehl.highlight(code, "python", frozenset({1})) != first and len(runs) == 3
    assert codehl.highlight(code, "r", frozenset({2})) != first and len(runs) == 4
    assert codehl.highlight(code.replace("1", "2"), "python", frozenset({2})) != first and len(runs) == 5


def _code_course(tmp_path, slide_yaml: str):
    course = copy_fixture("mini", tmp_path)
    second = course / "lectures" / "second.yaml"
    second.write_text(second.read_text("utf-8") + slide_yaml, "utf-8")
    return course


BODY_SLIDE = """      - title: Fitting a line
        body: |
          The estimate is $\\hat{\\beta} = (X^\\top X)^{-1}X^\\top y$:

          ```python
          import numpy as np
          beta = np.linalg.solve(X.T @ X, X.T @ y)  # the normal equations
          ```

          | model | $R^2$ |
          |-------|------:|
          | linear | 0.81 |
        notes: Stress the normal equations.
"""


@pytest.mark.pdf
def test_slide_body_holds_math_code_and_a_table_in_the_deck(tmp_path):
    course = _code_course(tmp_path, BODY_SLIDE)
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out), "--strict")
    assert result.exit_code == 0, result.output
    deck = (out / "slides" / "second.html").read_text("utf-8")
    assert '<div class="body">' in deck
    assert '<span class="kn">import</span>' in deck
    assert r'aria-label="\hat{\beta} = (X^\top X)^{-1}X^\top y"' in deck
    assert re.search(r"<th[^>]*>model</th>", deck) and re.search(r'<td style="text-align:right">0.81</td>', deck)


def test_a_fenced_block_in_a_point_is_an_error_with_advice(tmp_path):
    course = _code_course(tmp_path, """      - title: Bad
        points:
          - |
            Look:
            ```python
            x = 1
            ```
""")
    result = run_cli("check", str(course))
    assert result.exit_code != 0
    assert re.search(r"second\.yaml:\d+:\d+: a point cannot hold a fenced code block.*`body`.*`code`", result.output), \
        result.output


def test_code_too_wide_for_any_type_size_warns_with_the_slide_position(tmp_path):
    long_line = "x = [" + ", ".join(str(i) for i in range(60)) + "]"
    course = _code_course(tmp_path, f"""      - title: Too wide
        body: |
          ```python
          {long_line}
          ```
""")
    result = run_cli("check", str(course), "--strict")
    assert result.exit_code != 0
    assert re.search(r"second\.yaml:\d+:\d+: (warning: )?the slide 'Too wide' has a line of code \d+ characters long", result.output), \
        result.output


@pytest.mark.pdf
def test_a_long_code_line_scales_the_slide_type_down_instead(tmp_path):
    line = "result = model.fit(data, weights=weights, penalty=0.5, tolerance=1e-8, max_iter=500)  # 100 chars"
    course = _code_course(tmp_path, f"""      - title: Long but fits
        body: |
          ```python
          {line}
          ```
""")
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out), "--strict", "--only", "deck")
    assert result.exit_code == 0, result.output
    deck = (out / "slides" / "second.html").read_text("utf-8")
    m = re.search(r'<section[^>]*data-density="(\d)"[^>]*>(?:(?!</section>).)*Long but fits', deck, re.S)
    assert m and int(m.group(1)) >= 4, m and m.group(0)[:300]


@pytest.mark.pdf
def test_a_code_line_wider_than_the_guides_measure_prints_whole_at_a_smaller_type(tmp_path):
    """The guide's measure holds 54 characters of code at its type: a block with a longer line
    is set smaller (up to 72 characters), so its lines are not broken mid-expression."""
    from lectern.print.guidehtml import fit_code
    line = "print(statistics.mean(heights), statistics.stdev(heights), len(heights))"  # 72
    course = copy_fixture("mini", tmp_path)
    second = course / "lectures" / "second.yaml"
    second.write_text(second.read_text("utf-8").replace(
        "    reading: A short reading.^[With one note.]\n",
        "    reading: |\n      A short reading.^[With one note.]\n\n      ```python\n"
        f"      import statistics\n      {line}\n      ```\n"), "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out), "--strict", "--only", "guide")
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", str(out / "study-guide.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert any(row.strip() == line for row in text.splitlines()), "the line was broken"
    html = '<pre class="code" data-lang="python"><code><span class="line">{}</span></code></pre>'
    assert fit_code(html.format("x" * 54)) == html.format("x" * 54)  # fits: as it was
    assert '<pre class="code w60" data-lang="python">' in fit_code(html.format("x" * 55))
    assert '<pre class="code w66"' in fit_code(html.format("a &lt; b " + "x" * 55))  # 61 characters as printed
    assert '<pre class="code w72"' in fit_code(html.format("x" * 90))  # the smallest; it wraps


@pytest.mark.pdf
def test_code_key_shows_a_file_excerpt_with_marked_lines_and_caption(tmp_path):
    course = _code_course(tmp_path, """      - title: The fit
        code: {lang: r, file: code/fit.R, lines: "2-4", highlight: "2", caption: "The fit in *R*"}
""")
    (course / "code").mkdir()
    (course / "code" / "fit.R").write_text("# header\nlibrary(stats)\nfit <- lm(y ~ x, data = d)\nsummary(fit)\n# tail\n")
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out), "--strict", "--only", "deck")
    assert result.exit_code == 0, result.output
    deck = (out / "slides" / "second.html").read_text("utf-8")
    pre = re.search(r'<pre class="code" data-lang="r">.*?</pre>', deck, re.S).group(0)
    assert "# header" not in pre and "# tail" not in pre and "summary" in pre
    marked = re.findall(r'<span class="line hl">(.*?)</span>\n', pre)
    assert len(marked) == 1 and "lm" in re.sub(r"<[^>]+>", "", marked[0])
    assert '<p class="code-caption">The fit in <em>R</em></p>' in deck


@pytest.mark.parametrize("yaml, needle", [
    ('{lang: python, text: "x = 1", file: code/a.py}', "`text` (the code itself) or `file`"),
    ('{lang: python, file: ../outside.py}', "leads outside the course folder"),
    ('{lang: pyhton, text: "x = 1"}', "did you mean python"),
    ('{lang: python, text: "x = 1", highlight: "3-1"}', 'highlight must list lines like "3,7-9"'),
])
def test_code_key_mistakes_are_reported_at_their_line(tmp_path, yaml, needle):
    course = _code_course(tmp_path, f"""      - title: Code
        code: {yaml}
""")
    (tmp_path / "outside.py").write_text("x = 1\n")
    result = run_cli("check", str(course), "--strict")
    assert result.exit_code != 0
    assert re.search(r"second\.yaml:1[0-9]:\d+: (warning: )?.*" + re.escape(needle), result.output), result.output


# ---- tables --------------------------------------------------------------------------------
def _table_course(tmp_path, rows: int, extra_cols: int = 0):
    cols = ["country", "share"] + [f"extra column {i}" for i in range(extra_cols)]
    course = _code_course(tmp_path, """      - title: Results
        table: {data: data/results.csv, caption: "Shares by country.", source: "[@gonzalez2016]"}
""")
    lines = [",".join(cols)] + [",".join([f"Country {i}", f"{i * 1.5:.1f}"] + ["x" * 20] * extra_cols)
                                for i in range(1, rows + 1)]
    (course / "data" / "results.csv").write_text("\n".join(lines) + "\n")
    return course


@pytest.mark.pdf
def test_a_table_on_the_slide_and_numbered_in_the_guide_with_its_header_on_every_page(tmp_path):
    course = _table_course(tmp_path, rows=90)
    with open(course / "course.yaml", "a", encoding="utf-8") as fh:
        fh.write("outputs: [deck, guide]\n")
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out))
    assert result.exit_code == 0, result.output
    deck = (out / "slides" / "second.html").read_text("utf-8")
    assert '<th style="text-align:left">country</th><th style="text-align:right">share</th>' in deck
    assert '<td style="text-align:right">1.5</td>' in deck
    guide = out / "study-guide.pdf"
    pages = []
    n = 1
    while True:
        r = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(guide), "-"], capture_output=True, text=True)
        if r.returncode != 0:
            break
        pages.append(r.stdout)
        n += 1
    with_rows = [p for p in pages if "Country 4" in p or "Country 8" in p]
    assert len(with_rows) >= 2, "the 90-row table should run over two pages"
    assert "Table 2.1 Shares by country." in "".join(pages).replace("\n", " ")
    for page in with_rows:
        assert re.search(r"country\s+share", page), page[:400]


def test_a_table_too_wide_for_a_slide_warns_at_its_line(tmp_path):
    course = _table_course(tmp_path, rows=3, extra_cols=6)
    result = run_cli("check", str(course), "--strict")
    assert result.exit_code != 0
    assert re.search(r"second\.yaml:1[0-9]:\d+: (warning: )?the table on the slide 'Results' is about \d+ characters",
                     result.output), result.output


def test_highlighting_uses_pygments_own_lexers_only():
    """An unknown language must not send Pygments through other packages' plugin lexers: one
    (IPython's) imports jedi, which raises the interpreter's recursion limit for everyone."""
    import subprocess
    import sys
    code = ("import sys; limit = sys.getrecursionlimit(); from lectern.text.codehl import highlight, unknown_language;"
            "highlight('x = 1', 'nosuchlanguage'); unknown_language('pyhton'); highlight('x = 1', 'python');"
            "print(sys.getrecursionlimit() == limit, 'IPython' in sys.modules, 'jedi' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False", "False"]


def test_a_formula_that_makes_no_valid_mathml_is_a_problem_not_a_crash():
    """A control character (YAML's "\\b" in double quotes is a backspace) made latex2mathml write
    broken XML, and the build died with a ParseError traceback (found by the Markdown fuzz)."""
    from lectern.text.mathsvg import MathError, typeset
    with pytest.raises(MathError):
        typeset("\x08", display=False)


def test_math_in_titles_reaches_the_deck_title_and_pdf_bookmarks_as_latex(tmp_path):
    """A formula in a lecture or section title is an SVG on the page; where only text can go (the
    browser tab, the PDF outline) it is its LaTeX source, not nothing."""
    from pypdf import PdfReader
    from helpers import copy_fixture, run_cli
    root = copy_fixture("mini", tmp_path)
    lecture = root / "lectures" / "second.yaml"
    text = lecture.read_text("utf-8").replace("title: The second lecture", "title: 'The law of $E = mc^2$'", 1)
    lecture.write_text(text.replace("  - title: Afterwards", "  - title: 'Sums $\\sum_i x_i$ afterwards'", 1), "utf-8")
    out = tmp_path / "out"
    assert run_cli("build", str(root), "--out", str(out)).exit_code == 0
    assert "<title>The law of E = mc^2 · " in (out / "slides" / "second.html").read_text("utf-8")

    def titles(outline):
        return [t for x in outline for t in (titles(x) if isinstance(x, list) else [x.title])]
    guide = titles(PdfReader(out / "study-guide.pdf").outline)
    assert "2. The law of E = mc^2" in guide and "2.1 Sums \\sum_i x_i afterwards" in guide, guide
    handout = titles(PdfReader(out / "handouts" / "second.pdf").outline)
    assert "The law of E = mc^2" in handout and "Sums \\sum_i x_i afterwards" in handout, handout


def test_a_build_code_slide_emphasises_its_highlighted_groups_in_turn(tmp_path, browser):
    """`build: true` on a code slide: the groups of `highlight` lines are steps (lines 1 and 3-4 are
    two groups); the deck stays on the slide until both are shown; every printed form shows both."""
    course = _code_course(tmp_path, """      - title: Stepped code
        build: true
        code:
          lang: python
          text: |
            import numpy as np
            x = np.arange(10)
            y = 2 * x + 1
            slope = np.polyfit(x, y, 1)[0]
            print(slope)
          highlight: "1,3-4"
""")
    out = tmp_path / "out"
    assert run_cli("build", str(course), "--out", str(out), "--strict", "--only", "deck").exit_code == 0
    deck = out / "slides" / "second.html"
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(deck.as_uri())
    page.evaluate("lectern.go(lectern.slideCount)")
    while "Stepped code" not in page.locator("#deck > .slide.current h2").inner_text():
        page.evaluate("lectern.prev()")
    here = page.evaluate("lectern.current")
    plain = page.evaluate("""() => getComputedStyle(document.querySelector(
        '#deck > .slide.current pre.code .line:not(.hl)')).backgroundColor""")

    def emphasised():
        return page.evaluate("""(plain) => Array.from(document.querySelectorAll(
            '#deck > .slide.current pre.code .line')).map((l, i) => [i + 1, getComputedStyle(l).backgroundColor])
            .filter(([i, bg]) => bg !== plain).map(([i]) => i)""", plain)
    page.wait_for_timeout(300)
    assert emphasised() == []
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert emphasised() == [1] and page.evaluate("lectern.current") == here
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert emphasised() == [1, 3, 4] and page.evaluate("lectern.current") == here
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert emphasised() == [1]
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    assert emphasised() == [1, 3, 4]  # printing the deck shows the slide's final state
    page.close()
def test_typesetting_leaves_the_root_logger_alone(tmp_path):
    """ziafont logs every glyph with logging.debug(), which gives the root logger a stderr handler
    when it has none: every later warning of any library in the process was then printed."""
    import os
    import sys
    code = ("import logging; from lectern.text import mathsvg; "
            "mathsvg.typeset(r'\\hat{\\beta}_1 = \\frac{\\sum_i x_i y_i}{\\sum_i x_i^2}', True); "
            "print(len(logging.getLogger().handlers)); logging.getLogger('weasyprint').warning('said')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0" and "WARNING:weasyprint" not in done.stderr, (done.stdout, done.stderr)
